"""A manager's team: a row a rep with the team summary's figures (``drillcoach report
--team``'s: last drilling day, streak, assignments, answers waiting for review, days
drilled and the mean rating with their trends, retention, weakest skill, widest
calibration gap, honesty, leeches, vision), sorted by any column; the grid of mastery by
skill; below, the review inbox, oldest first. Enter opens a rep (their drills and skills,
to rate) or an answer (to review and rate)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Generic, Protocol, TypeAlias, TypeVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from drillcoach.events import ReviewRequest
from drillcoach.progress.charts import arrow, figure
from drillcoach.progress.director import DirectorSummary, ManagerRow, managers_below
from drillcoach.progress.director_report import (
    manager_gap_words,
    manager_packs_words,
    manager_weakest_words,
)
from drillcoach.progress.model import TeamRow, TeamSummary
from drillcoach.progress.team_report import GRID_WHAT, gap_words, packs_words, vision_words
from drillcoach.services import Services
from drillcoach.team.workspace import Member, Membership
from drillcoach.text import cell, clip, day_text, plural, request_when, waiting_line
from drillcoach.tui.screens.rep import RepScreen
from drillcoach.tui.screens.review import ReviewScreen
from drillcoach.tui.team import failure_text, rep_of, team_apart
from drillcoach.tui.widgets.plain import Plain

HOW_THE_TEAM_WORKS = (
    "Your reps, from what their last sync brought in: the day they last drilled, their "
    "streak, the packs assigned to them (done, overdue), the answers they sent you for "
    "review; days drilled in the last 30 and their mean rating, with arrows comparing the "
    "last two weeks with the two before; true retention, their weakest skill, the widest "
    "gap between their self-ratings and yours, how often they rated above their own "
    "checklist, leeches, and their vision when they share it. s sorts by the next column, "
    "or click a header. Below, the share of each skill's drills they have mastered. The "
    "same figures: drillcoach report --team. "
    "Open a rep (enter) to see their drills and skills and rate one "
    "after a role-play, a joint call or a call review (r); o opens the 1:1 agenda for the "
    "rep under the cursor. Open an answer in the inbox "
    "to read it beside the model answer and rate it. Ratings reach the rep at your next "
    "sync (y on Today). A director sees a row a manager first, their reps pooled (the "
    "median streak, retention of every review together, the skill weakest for most, the "
    "widest gap and whose); enter on a manager shows that manager's team, escape comes "
    "back up."
)


Sortable: TypeAlias = float | str | tuple[int, int]


class Named(Protocol):
    @property
    def name(self) -> str: ...


Row = TypeVar("Row", bound=Named)


@dataclass(frozen=True)
class Column(Generic[Row]):
    """A column of the reps (or managers) table: its header, its cell, and how it sorts."""

    key: str
    label: str
    text: Callable[[Row, date], str]  # the cell, given today
    value: Callable[[Row], Sortable | None]  # None: sorts last either way
    descending: bool  # the first order s or a click gives it: the most first, names A to Z


def _trend_cell(figure_text: str, direction: str | None) -> str:
    return f"{figure_text} {arrow(direction)}".rstrip()


def _last_drilled(row: TeamRow) -> float | None:
    return row.last_drilled.toordinal() if row.last_drilled else None


def _gap(row: TeamRow) -> float | None:
    return abs(row.calibration.gap) if row.calibration else None


COLUMNS: tuple[Column[TeamRow], ...] = (
    Column("rep", "Rep", lambda row, _: escape(row.name), lambda row: row.name.casefold(), False),
    Column("last", "Last drilled", lambda row, today: day_text(row.last_drilled, today),
           _last_drilled, True),
    Column("streak", "Streak", lambda row, _: plural(row.streak, "day") if row.streak else "-",
           lambda row: row.streak, True),
    Column("packs", "Assignments",
           lambda row, _: packs_words(row) if row.packs_assigned else "-",
           lambda row: (row.packs_overdue, row.packs_assigned - row.packs_done), True),
    Column("reviews", "Reviews", lambda row, _: str(row.inbox) if row.inbox else "-",
           lambda row: row.inbox, True),
    Column("days", "30 days",
           lambda row, _: _trend_cell(figure(row.days_drilled), row.days_trend.direction),
           lambda row: row.days_drilled, True),
    Column("rating", "Rating",
           lambda row, _: _trend_cell(figure(row.rating_trend.recent, "mean"),
                                      row.rating_trend.direction),
           lambda row: row.rating_trend.recent, True),
    Column("retention", "Retention", lambda row, _: figure(row.retention, "share"),
           lambda row: row.retention, True),
    Column("weakest", "Weakest skill",
           lambda row, _: escape(row.weakest.title) if row.weakest else "-",
           lambda row: row.weakest.title.casefold() if row.weakest else None, False),
    Column("gap", "Widest gap",
           lambda row, _: escape(gap_words(row)) if row.calibration else "-", _gap, True),
    Column("above", "Above checklist", lambda row, _: figure(row.honesty.share, "share"),
           lambda row: row.honesty.share, True),
    Column("leeches", "Leeches", lambda row, _: str(row.leeches) if row.leeches else "-",
           lambda row: row.leeches, True),
    Column("vision", "Vision", lambda row, _: escape(clip(vision_words(row), VISION_WIDTH)),
           lambda row: row.vision.casefold() if row.vision else None, False),
)  # fmt: skip
VISION_WIDTH = 60


def _manager_last(row: ManagerRow) -> float | None:
    return row.last_drilled.toordinal() if row.last_drilled else None


MANAGER_COLUMNS: tuple[Column[ManagerRow], ...] = (
    Column("manager", "Manager", lambda row, _: escape(row.name),
           lambda row: row.name.casefold(), False),
    Column("reps", "Reps", lambda row, _: str(row.reps), lambda row: row.reps, True),
    Column("last", "Last drilled", lambda row, today: day_text(row.last_drilled, today),
           _manager_last, True),
    Column("streak", "Median streak", lambda row, _: figure(row.streak, "mean"),
           lambda row: row.streak, True),
    Column("days", "30 days", lambda row, _: figure(row.days_drilled, "mean"),
           lambda row: row.days_drilled, True),
    Column("packs", "Assignments",
           lambda row, _: manager_packs_words(row) if row.packs_assigned else "-",
           lambda row: (row.packs_overdue, row.packs_assigned - row.packs_done), True),
    Column("reviews", "Reviews", lambda row, _: str(row.inbox) if row.inbox else "-",
           lambda row: row.inbox, True),
    Column("retention", "Retention", lambda row, _: figure(row.retention, "share"),
           lambda row: row.retention, True),
    Column("weakest", "Weakest skill", lambda row, _: escape(manager_weakest_words(row)),
           lambda row: row.weakest.title.casefold() if row.weakest else None, False),
    Column("gap", "Widest gap",
           lambda row, _: escape(manager_gap_words(row)) if row.calibration else "-",
           lambda row: abs(row.calibration.gap) if row.calibration else None, True),
    Column("above", "Above checklist", lambda row, _: figure(row.honesty.share, "share"),
           lambda row: row.honesty.share, True),
    Column("leeches", "Leeches", lambda row, _: str(row.leeches) if row.leeches else "-",
           lambda row: row.leeches, True),
    Column("visions", "Visions", lambda row, _: str(row.visions) if row.visions else "-",
           lambda row: row.visions, True),
)  # fmt: skip
GRID_NAME = 16  # a rep's name in the grid
GRID_SKILL = 12  # a skill's title over its column


def sorted_rows(rows: Sequence[Row], column: Column[Row], descending: bool) -> list[Row]:
    """Rows in the column's order, names A to Z among equals; a row without a figure
    there comes last either way."""
    known = [(value, row) for row in rows if (value := column.value(row)) is not None]
    unknown = [row for row in rows if column.value(row) is None]
    by_name = sorted(known, key=lambda found: found[1].name.casefold())
    ordered = sorted(by_name, key=lambda found: found[0], reverse=descending)
    return [row for _, row in ordered] + unknown


class TeamScreen(Screen[None]):
    CSS_PATH = "team.tcss"
    HELP_TEXT = HOW_THE_TEAM_WORKS
    BINDINGS = [
        # priority: the tables would otherwise take enter for themselves
        Binding("enter", "open", "Open", priority=True,
                tooltip="Open the rep, or the answer, under the cursor"),
        Binding("a", "scope(True)", "Everyone",
                tooltip="Everyone below you, not only the reps you manage directly"),
        Binding("a", "scope(False)", "My reps", tooltip="Only the reps you manage directly"),
        Binding("o", "agenda", "Agenda", tooltip="The 1:1 agenda for the rep under the cursor"),
        Binding("s", "sort", "Sort", tooltip="Sort the reps by the next column"),
        Binding("i", "inbox", "Inbox", tooltip="To the answers waiting for your review"),
        Binding("escape", "back", "Back", tooltip="Back to Today"),
    ]  # fmt: skip

    def __init__(self, services: Services, mine: Membership, manager: Member | None = None) -> None:
        """My team; with ``manager`` (a director's drill-down), the team of that manager
        below me: every rep below them, as their own Team screen shows with a."""
        super().__init__()
        self.services = services
        self.mine = mine
        self.manager = manager
        self.viewing = Membership(mine.team, manager) if manager else mine
        # a director with no reps of their own sees everyone below them from the start
        self.everyone = True if manager else not mine.my_reps()
        self.below = managers_below(self.viewing)  # a director: managers report to them
        self.director: DirectorSummary | None = None
        self.managers: list[ManagerRow] = []  # in the order shown
        self.manager_sort: Column[ManagerRow] | None = None
        self.manager_descending = False
        self.summary: TeamSummary | None = None
        self.reps: list[TeamRow] = []  # in the order shown
        self.waiting: list[ReviewRequest] = []
        self.sort: Column[TeamRow] | None = None  # None: team.toml's order
        self.descending = False

    def compose(self) -> ComposeResult:
        yield Plain("", id="heading")
        yield Plain("", id="hint")
        managers: DataTable[str] = DataTable(
            id="managers", cursor_type="row", zebra_stripes=True, fixed_columns=1
        )
        managers.display = False
        yield managers
        reps: DataTable[str] = DataTable(
            id="reps", cursor_type="row", zebra_stripes=True, fixed_columns=1
        )
        yield reps
        yield Static("", id="grid-title")
        grid: DataTable[str] = DataTable(
            id="grid", cursor_type="row", zebra_stripes=True, fixed_columns=1
        )
        yield grid
        yield Static("", id="inbox-title")
        waiting: DataTable[str] = DataTable(id="inbox", cursor_type="row", zebra_stripes=True)
        waiting.add_columns("Sent", "Rep", "Drill")
        yield waiting
        yield Footer()

    def on_screen_resume(self) -> None:
        # also the first time the screen shows, and after a rating or a review
        self.refresh_team()

    @property
    def whom(self) -> str:
        if self.manager is not None:
            return f"everyone below {self.manager.name}"
        return "everyone below you" if self.everyone else "your reps"

    def refresh_team(self) -> None:
        """Read the reps, the managers' rows (a director) and the inbox in a worker; the
        screen fills when they are in."""
        self.query_one("#heading", Plain).update(f"Team {self.mine.team.name} · {self.whom} ...")
        read = partial(team_apart, self.services, self.viewing, self.everyone, bool(self.below))
        self.run_worker(read, group="team", thread=True, exclusive=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "team":
            return
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            self.summary, self.waiting, self.director = event.worker.result
            self._fill()
        elif event.state == WorkerState.ERROR:
            self.query_one("#hint", Plain).update(failure_text(event.worker, "reading the team"))
            self.query_one("#hint", Plain).display = True

    def _fill(self) -> None:
        mine = self.mine
        rows = self.summary.reps if self.summary else ()
        heading = f"Team {mine.team.name} · {self.whom} ({len(rows)})"
        if self.director is not None and self.director.managers:
            heading += f" · {plural(len(self.director.managers), 'manager')}"
        self.query_one("#heading", Plain).update(heading)
        self._fill_managers()
        self._fill_reps()
        services = self.services
        names = mine.team.names
        title = waiting_line(len(self.waiting)) if self.waiting else "Nothing waits for your review"
        self.query_one("#inbox-title", Static).update(f"Inbox: {title}")
        waiting = self.query_one("#inbox", DataTable)
        waiting.clear()
        for request in self.waiting:
            drill = services.library.drill(request.drill_uid)
            waiting.add_row(
                request_when(request.at, services.tz),
                escape(names.get(request.rep, request.rep)),
                escape(drill.title if drill else request.drill_uid),
            )
        waiting.display = bool(self.waiting)
        hint = ""
        if not self.reps and not self.everyone and mine.my_reps(everyone=True):
            hint = "No reps report to you directly: a shows everyone below you."
        elif not self.reps:
            hint = (
                "No reps below you in team.toml yet. Add one with:\n"
                '  drillcoach team add alice --name "Alice Ng" --role rep'
            )
        self.query_one("#hint", Plain).update(hint)
        self.query_one("#hint", Plain).display = bool(hint)
        if not isinstance(self.focused, DataTable) or not self.focused.display:
            if self.managers:
                self.query_one("#managers", DataTable).focus()
            else:
                (self.query_one("#reps", DataTable) if self.reps else waiting).focus()
        self.refresh_bindings()

    def _fill_reps(self) -> None:
        """The reps table in the order chosen, and the grid in the same order; the cursor
        stays on the rep it was on."""
        rows = self.summary.reps if self.summary else ()
        self.reps = sorted_rows(rows, self.sort, self.descending) if self.sort else list(rows)
        today = self.services.scheduler.days.day_of(self.services.clock())
        table = self.query_one("#reps", DataTable)
        current = self._current_rep(table)
        table.clear(columns=True)
        for column in COLUMNS:
            mark = (" ▼" if self.descending else " ▲") if column is self.sort else ""
            table.add_column(column.label + mark, key=column.key)
        for row in self.reps:
            table.add_row(*[column.text(row, today) for column in COLUMNS], key=row.rep)
        table.display = bool(self.reps)
        self._fill_grid()
        if current is not None and current in {row.rep for row in self.reps}:
            table.move_cursor(row=table.get_row_index(current))

    def _fill_managers(self) -> None:
        """The managers' rows (a director), in the order chosen; the cursor stays on the
        manager it was on."""
        rows = self.director.managers if self.director else ()
        if self.manager_sort:
            self.managers = sorted_rows(rows, self.manager_sort, self.manager_descending)
        else:
            self.managers = list(rows)
        today = self.services.scheduler.days.day_of(self.services.clock())
        table = self.query_one("#managers", DataTable)
        current = self._current_rep(table)
        table.clear(columns=True)
        for column in MANAGER_COLUMNS:
            mark = ""
            if column is self.manager_sort:
                mark = " ▼" if self.manager_descending else " ▲"
            table.add_column(column.label + mark, key=column.key)
        for row in self.managers:
            cells = [column.text(row, today) for column in MANAGER_COLUMNS]
            table.add_row(*cells, key=row.manager)
        table.display = bool(self.managers)
        if current is not None and current in {row.manager for row in self.managers}:
            table.move_cursor(row=table.get_row_index(current))

    def _current_rep(self, table: DataTable[str]) -> str | None:
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _fill_grid(self) -> None:
        skills = self.summary.skills if self.summary else ()
        grid = self.query_one("#grid", DataTable)
        grid.clear(columns=True)
        grid.add_column("Rep", key="rep", width=GRID_NAME)
        for skill in skills:
            grid.add_column(cell(skill.title, GRID_SKILL), key=skill.skill)
        for row in self.reps:
            shares = [figure(found.share, "share") for found in row.mastery]
            grid.add_row(escape(cell(row.name, GRID_NAME)), *shares, key=row.rep)
        shown = bool(self.reps and skills)
        grid.display = shown
        title = self.query_one("#grid-title", Static)
        title.update(f"Mastery by skill: {GRID_WHAT}")
        title.display = shown

    def action_sort(self) -> None:
        """The next column, in its first order (after the last, team.toml's order), of the
        managers' table when it has the focus, else of the reps'."""
        if self.focused is self.query_one("#managers") and self.managers:
            at = MANAGER_COLUMNS.index(self.manager_sort) + 1 if self.manager_sort else 0
            self.manager_sort = MANAGER_COLUMNS[at] if at < len(MANAGER_COLUMNS) else None
            self.manager_descending = self.manager_sort.descending if self.manager_sort else False
            self._fill_managers()
            return
        index = COLUMNS.index(self.sort) + 1 if self.sort else 0
        self.sort = COLUMNS[index] if index < len(COLUMNS) else None
        self.descending = self.sort.descending if self.sort else False
        self._fill_reps()

    @on(DataTable.HeaderSelected, "#reps")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        """A click on a header sorts by it; a second click turns the order round."""
        column = next(column for column in COLUMNS if column.key == event.column_key.value)
        self.descending = not self.descending if column is self.sort else column.descending
        self.sort = column
        self._fill_reps()

    @on(DataTable.HeaderSelected, "#managers")
    def _manager_header(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        column = next(column for column in MANAGER_COLUMNS if column.key == key)
        if column is self.manager_sort:
            self.manager_descending = not self.manager_descending
        else:
            self.manager_descending = column.descending
        self.manager_sort = column
        self._fill_managers()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sort":
            return len(self.reps) > 1 or len(self.managers) > 1
        if action == "scope":
            return self.manager is None and parameters[0] != self.everyone
        if action == "inbox":
            return bool(self.waiting) and self.focused is not self.query_one("#inbox")
        if action == "open":
            return isinstance(self.focused, DataTable) and self.focused.row_count > 0
        if action == "agenda":
            return self.focused is self.query_one("#reps") and bool(self.reps)
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    # --- actions

    def action_open(self) -> None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return
        self._open(focused.id, focused.cursor_row)

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.data_table.id, event.cursor_row)

    def _open(self, table: str | None, row: int) -> None:
        if table == "managers" and 0 <= row < len(self.managers):
            manager = self.mine.team.member(self.managers[row].manager)
            self.app.push_screen(TeamScreen(self.services, self.mine, manager))
        elif table in ("reps", "grid") and 0 <= row < len(self.reps):
            rep = rep_of(self.mine, self.reps[row])
            self.app.push_screen(RepScreen(self.services, self.mine, rep))
        elif table == "inbox" and 0 <= row < len(self.waiting):
            self.app.push_screen(ReviewScreen(self.services, self.mine, self.waiting[row]))

    def action_agenda(self) -> None:
        from drillcoach.tui.screens.agenda import AgendaScreen

        row = self.query_one("#reps", DataTable).cursor_row
        if 0 <= row < len(self.reps):
            member = self.mine.team.member(self.reps[row].rep)
            self.app.push_screen(AgendaScreen(self.services, self.mine, member))

    def action_scope(self, everyone: bool) -> None:
        self.everyone = everyone
        self.refresh_team()

    def action_inbox(self) -> None:
        if self.waiting:
            self.query_one("#inbox", DataTable).focus()

    def action_back(self) -> None:
        self.dismiss(None)  # a drill-down: back up to the director's

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Open", "Open the rep or the answer under the cursor", self.action_open)
        if self.reps:
            yield SystemCommand("1:1 agenda", "The 1:1 agenda for the rep under the cursor",
                                self.action_agenda)  # fmt: skip
        if len(self.reps) > 1:
            yield SystemCommand("Sort the reps", "Sort the reps by the next column",
                                self.action_sort)  # fmt: skip
        if self.everyone:
            yield SystemCommand("My reps", "Only the reps you manage directly",
                                lambda: self.action_scope(False))  # fmt: skip
        else:
            yield SystemCommand("Everyone below you", "Every rep you manage, directly or not",
                                lambda: self.action_scope(True))  # fmt: skip
        if self.waiting:
            yield SystemCommand("Inbox", "The answers waiting for your review", self.action_inbox)
        yield SystemCommand("Back to Today", "Leave the team screen", self.action_back)

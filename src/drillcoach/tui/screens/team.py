"""A manager's team: each rep with their last drilling day, streak, assignments and answers
waiting for review; below, the review inbox, oldest first. Enter opens a rep (their
drills and skills, to rate) or an answer (to review and rate)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from rich.markup import escape
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState

from drillcoach.events import ReviewRequest
from drillcoach.progress.team import RepStanding
from drillcoach.services import Services
from drillcoach.team.workspace import Membership
from drillcoach.text import assigned_progress, day_text, plural, request_when, waiting_line
from drillcoach.tui.screens.rep import RepScreen
from drillcoach.tui.screens.review import ReviewScreen
from drillcoach.tui.team import failure_text, team_apart
from drillcoach.tui.widgets.plain import Plain

HOW_THE_TEAM_WORKS = (
    "Your reps, from what their last sync brought in: the day they last drilled, their "
    "streak, how far they are with the packs assigned to them, and the answers they sent "
    "you for review. Open a rep (enter) to see their drills and skills and rate one "
    "after a role-play, a joint call or a call review (r); o opens the 1:1 agenda for the "
    "rep under the cursor. Open an answer in the inbox "
    "to read it beside the model answer and rate it. Ratings reach the rep at your next "
    "sync (y on Today)."
)


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
        Binding("i", "inbox", "Inbox", tooltip="To the answers waiting for your review"),
        Binding("escape", "back", "Back", tooltip="Back to Today"),
    ]  # fmt: skip

    def __init__(self, services: Services, mine: Membership) -> None:
        super().__init__()
        self.services = services
        self.mine = mine
        # a director with no reps of their own sees everyone below them from the start
        self.everyone = not mine.my_reps()
        self.reps: list[RepStanding] = []
        self.waiting: list[ReviewRequest] = []

    def compose(self) -> ComposeResult:
        yield Plain("", id="heading")
        yield Plain("", id="hint")
        reps: DataTable[str] = DataTable(id="reps", cursor_type="row", zebra_stripes=True)
        reps.add_columns("Rep", "Last drilled", "Streak", "Assignments", "Reviews")
        yield reps
        yield Static("", id="inbox-title")
        waiting: DataTable[str] = DataTable(id="inbox", cursor_type="row", zebra_stripes=True)
        waiting.add_columns("Sent", "Rep", "Drill")
        yield waiting
        yield Footer()

    def on_screen_resume(self) -> None:
        # also the first time the screen shows, and after a rating or a review
        self.refresh_team()

    def refresh_team(self) -> None:
        """Read the reps and the inbox in a worker; the screen fills when they are in."""
        whom = "everyone below you" if self.everyone else "your reps"
        self.query_one("#heading", Plain).update(f"Team {self.mine.team.name} · {whom} ...")
        self.run_worker(partial(team_apart, self.services, self.mine, self.everyone),
                        group="team", thread=True, exclusive=True, exit_on_error=False)  # fmt: skip

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "team":
            return
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            self.reps, self.waiting = event.worker.result
            self._fill()
        elif event.state == WorkerState.ERROR:
            self.query_one("#hint", Plain).update(failure_text(event.worker, "reading the team"))
            self.query_one("#hint", Plain).display = True

    def _fill(self) -> None:
        services = self.services
        mine = self.mine
        whom = "everyone below you" if self.everyone else "your reps"
        self.query_one("#heading", Plain).update(
            f"Team {mine.team.name} · {whom} ({len(self.reps)})"
        )
        today = services.scheduler.days.day_of(services.clock())
        table = self.query_one("#reps", DataTable)
        table.clear()
        for standing in self.reps:
            table.add_row(
                escape(standing.member.name),
                day_text(standing.last_drilled, today),
                plural(standing.streak, "day") if standing.streak else "-",
                assigned_progress(standing.assigned),
                str(standing.waiting) if standing.waiting else "-",
            )
        table.display = bool(self.reps)
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
            (table if self.reps else waiting).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scope":
            return parameters[0] != self.everyone
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
        if table == "reps" and 0 <= row < len(self.reps):
            self.app.push_screen(RepScreen(self.services, self.mine, self.reps[row]))
        elif table == "inbox" and 0 <= row < len(self.waiting):
            self.app.push_screen(ReviewScreen(self.services, self.mine, self.waiting[row]))

    def action_agenda(self) -> None:
        from drillcoach.tui.screens.agenda import AgendaScreen

        row = self.query_one("#reps", DataTable).cursor_row
        if 0 <= row < len(self.reps):
            self.app.push_screen(AgendaScreen(self.services, self.mine, self.reps[row].member))

    def action_scope(self, everyone: bool) -> None:
        self.everyone = everyone
        self.refresh_team()

    def action_inbox(self) -> None:
        if self.waiting:
            self.query_one("#inbox", DataTable).focus()

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Open", "Open the rep or the answer under the cursor", self.action_open)
        if self.reps:
            yield SystemCommand("1:1 agenda", "The 1:1 agenda for the rep under the cursor",
                                self.action_agenda)  # fmt: skip
        if self.everyone:
            yield SystemCommand("My reps", "Only the reps you manage directly",
                                lambda: self.action_scope(False))  # fmt: skip
        else:
            yield SystemCommand("Everyone below you", "Every rep you manage, directly or not",
                                lambda: self.action_scope(True))  # fmt: skip
        if self.waiting:
            yield SystemCommand("Inbox", "The answers waiting for your review", self.action_inbox)
        yield SystemCommand("Back to Today", "Leave the team screen", self.action_back)

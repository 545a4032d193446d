"""The rep's progress, as charts: the calendar of drilling days, each week's days and
minutes, skills and packs as bars, a skills table that sorts, retention, honesty and
calibration, and what is due ahead. The figures are the summary ``drillcoach report``
prints (progress/summary.py), read in a worker thread so the screen never waits. Once the
rep's history is long enough, ``o`` fits the scheduling to them (``drillcoach optimize``,
screens/optimize.py) and ``u`` takes a fit back."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Sparkline, Static
from textual.worker import Worker, WorkerState

from drillcoach.dates import written
from drillcoach.progress.charts import figure
from drillcoach.progress.model import Calibration, Honesty, RepSummary, SkillProgress
from drillcoach.progress.report_text import pack_status, retention_words
from drillcoach.progress.summary import rep_summary
from drillcoach.scheduling.personal import EXTRA_MISSING
from drillcoach.services import Services
from drillcoach.text import cell, date_text, plural, short_history_line
from drillcoach.tui.screens.optimize import FitOffer, OptimizeScreen, UndoFitScreen, offer_apart
from drillcoach.tui.screens.retention import RetentionScreen
from drillcoach.tui.team import apart, failure_text
from drillcoach.tui.widgets.charts import BAR_LEGEND, fixed_scale, last, progress_bar
from drillcoach.tui.widgets.heatmap import Heatmap
from drillcoach.tui.widgets.plain import Plain

HOW_PROGRESS_WORKS = (
    "Your progress, from every drill you rated. The calendar shades each day by the drills "
    "you rated that day (a day starts at your rollover hour); below it, days drilled, "
    "drills and minutes each week. A drill is mastered once it stays with you three weeks "
    "(stability of 21 days or more). True retention is the share of review drills you "
    "rated Hard or better, first try of the day. Above (in the table) counts self-ratings "
    "higher than the key points you ticked suggested. Calibration sets your self-ratings "
    "beside your manager's on the same skills. Tab moves between the sections; s sorts "
    "the skills table, or click a column's header. The same figures: drillcoach report. "
    "Once you have enough reviews, o fits the scheduling to your own ratings (drillcoach "
    "optimize) and u takes a fit back. r simulates your next 90 days at each desired "
    "retention and suggests the one with the least drilling time per drill remembered "
    "(drillcoach retention); a there sets it."
)
READING = "Reading your history..."
NO_CALIBRATION = (
    "Calibration: no manager ratings yet - it shows once your manager rates a role-play "
    "or a joint call."
)
WEEK_COLUMNS = 2  # each week's bar in the weekly charts
DAY_COLUMNS = 3  # each day's bar in the chart of drills due: room for "12" and a space
NAME_WIDTH = 18  # a skill's or a pack's name before its bar
BAR_WIDTH = 24


def summary_apart(services: Services) -> RepSummary:
    """The rep's summary, read in a worker thread on a database connection of its own."""
    with apart(services) as own:
        scheduler = own.scheduler
        return rep_summary(
            own.store, own.library, own.config, scheduler.rep, own.config.name,
            scheduler.days, own.clock(),
        )  # fmt: skip


def offer_line(offer: FitOffer) -> str:
    """The line at the top once a fit can be tried (or the extra to install for it)."""
    if offer.history.missing:
        return ""
    if not offer.extra:
        return EXTRA_MISSING
    if offer.fitted_on is not None:  # u is not in the footer (no room at 80 columns): here
        return (
            f"Your fit of {offer.fitted_on} schedules your drills: o fits again, u takes it back."
        )
    return f"Your {offer.history.reviews} reviews can fit the scheduling to you: o tries it."


def fitting_lines(offer: FitOffer) -> str:
    """The Scheduling section: how far the history is from a fit, and what is in use."""
    if offer.history.missing:
        first = short_history_line(offer.history)
    elif not offer.extra:
        first = EXTRA_MISSING
    else:
        first = (
            "o fits FSRS's parameters to your earlier reviews and shows how well they "
            "predict your later ones, beside the defaults; they apply only when they "
            "predict better and you say so (drillcoach optimize)."
        )
    if offer.fitted_on is None:
        return f"{first}\nYour drills are scheduled with FSRS's default parameters."
    return (
        f"{first}\nYour drills are scheduled with the parameters fitted on {offer.fitted_on} "
        "to your ratings: u takes them back."
    )


# --- the skills table and its sort


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[SkillProgress, Honesty | None], float | str | None]
    descending: bool  # the first order a click or s gives it: the most first, names A to Z


def _above(honesty: Honesty | None) -> float | None:
    return honesty.above / honesty.rated if honesty and honesty.rated else None


COLUMNS = (
    Column("skill", "Skill", lambda skill, _: skill.title.casefold(), False),
    Column("started", "Started", lambda skill, _: skill.started, True),
    Column("mastered", "Mastered", lambda skill, _: skill.mastered, True),
    Column("recall", "Recall", lambda skill, _: skill.recall, True),
    Column("rating", "Rating", lambda skill, _: skill.latest_mean, True),
    Column("change", "Change", lambda skill, _: skill.change, True),
    Column("above", "Above", lambda _, honesty: _above(honesty), True),
)


def sorted_skills(
    skills: Iterable[SkillProgress],
    honesty: dict[str, Honesty],
    column: Column,
    descending: bool,
) -> list[SkillProgress]:
    """Skills in the column's order; a skill without a figure there comes last either way."""
    known = [skill for skill in skills if column.value(skill, honesty.get(skill.skill)) is not None]
    unknown = [skill for skill in skills if skill not in known]

    def key(skill: SkillProgress) -> tuple[float | str, str]:
        value = column.value(skill, honesty.get(skill.skill))
        assert value is not None
        return value, skill.title.casefold()

    return sorted(known, key=key, reverse=descending) + unknown


def skill_row(skill: SkillProgress, honesty: Honesty | None) -> tuple[str, ...]:
    rating = "-"
    if skill.first_mean is not None and skill.latest_mean is not None:
        rating = f"{figure(skill.first_mean, 'mean')}→{figure(skill.latest_mean, 'mean')}"
    return (
        cell(skill.title, NAME_WIDTH),
        f"{figure(skill.started)}/{figure(skill.total)}",
        figure(skill.mastered),
        figure(skill.recall, "share"),
        rating,
        figure(skill.change, "change"),
        f"{figure(honesty.above)}/{figure(honesty.rated)}" if honesty and honesty.rated else "-",
    )


# --- the lines


def habit_figures(summary: RepSummary) -> str:
    habit = summary.habit
    lines = [
        "Streak", plural(habit.current_streak, "day"),
        "Longest", plural(habit.longest_streak, "day"),
    ]  # fmt: skip
    if habit.commitments_kept is not None:
        kept, judged = habit.commitments_kept
        lines += ["Commitments", f"{figure(kept)} of {figure(judged)} kept"]
    return "\n".join(lines)


def honesty_lines(summary: RepSummary, titles: dict[str, str]) -> str:
    """Per skill, the self-ratings higher than the rep's own ticked key points suggested."""
    head = "Self-ratings above what your ticked key points suggested:"
    if not summary.honesty:
        return "Self-ratings above your ticked key points: none rated with key points yet."
    return "\n".join(
        [head]
        + [
            f"  {titles.get(item.skill, item.skill)}: {figure(item.above)} of {figure(item.rated)}"
            for item in summary.honesty
        ]
    )


def calibration_line(calibration: Calibration, titles: dict[str, str]) -> str:
    return (
        f"{titles.get(calibration.skill, calibration.skill)}: {calibration.label} - you "
        f"{figure(calibration.self_mean, 'mean')}, your manager "
        f"{figure(calibration.manager_mean, 'mean')} (gap {figure(calibration.gap, 'gap')})"
    )


def named_bar(name: str, mastered: int, started: int, total: int) -> Content:
    """A skill's or a pack's line: its name, its bar, and the counts the bar draws."""
    return Content.assemble(
        f"{cell(name, NAME_WIDTH):<{NAME_WIDTH}} ",
        progress_bar(mastered, started, total, BAR_WIDTH),
        f" {figure(mastered)} mastered · {figure(started)} of {figure(total)} started",
    )


def pack_lines(summary: RepSummary) -> Content:
    lines: list[Content] = []
    for pack in summary.packs:
        lines.append(named_bar(pack.title, pack.mastered, pack.started, pack.total))
        status = pack_status(pack)
        if status:
            lines.append(Content(" " * (NAME_WIDTH + 1) + status))
    return Content("\n").join(lines) if lines else Content("No packs feed your drills yet.")


def ahead_lines(summary: RepSummary, titles: Callable[[str], str]) -> str:
    ahead = summary.ahead
    lines = [f"About {plural(ahead.minutes_per_day, 'minute')} a day over these two weeks."]
    if ahead.leeches:
        names = ", ".join(titles(uid) for uid in ahead.leeches)
        lines.append(f"Leeches, worth a word with your manager: {names}")
    return "\n".join(lines)


def counts_row(counts: Sequence[int], columns: int) -> str:
    return "".join(f"{figure(count):>{columns}}" for count in counts)


# --- the screen


class Section(Vertical):
    """A part of the screen that tab reaches, so every part can be scrolled to by keys."""

    can_focus = True


class ProgressScreen(Screen[None]):
    CSS_PATH = "progress.tcss"
    HELP_TEXT = HOW_PROGRESS_WORKS
    BINDINGS = [
        Binding("s", "sort", "Sort skills", tooltip="Sort the skills table by its next column"),
        Binding("o", "optimize", "Fit my schedule", tooltip="Fit the scheduling to your ratings"),
        Binding("u", "undo_fit", "Undo fit", show=False, tooltip="Take back the fit in use"),
        Binding(
            "r",
            "retention",
            "Retention",
            tooltip="Your next 90 days at each desired retention, and the one to use",
        ),
        Binding("escape", "back", "Back", tooltip="Back to Today"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.summary: RepSummary | None = None
        self.offer: FitOffer | None = None
        self.sort = COLUMNS[0]
        self.descending = COLUMNS[0].descending

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Plain(f"Progress · {self.services.config.name}", id="title")
            yield Static("", id="as-of")
        yield Plain(READING, id="reading")
        yield Plain("", id="fit-offer")
        with VerticalScroll(id="sections"):
            with Section(id="habit") as habit:
                habit.border_title = "Drilling days: the last 26 weeks"
                with Horizontal(id="habit-row"):
                    yield Heatmap(id="calendar")
                    yield Static("", id="habit-figures")
            with Section(id="weeks") as weeks:
                weeks.border_title = "Each week: the last 12"
                with Horizontal(classes="chart-row"):
                    yield Static("Days drilled", classes="chart-label")
                    yield Sparkline(id="days-chart", summary_function=last)
                    yield Static("", id="days-note", classes="chart-note")
                yield Static("", id="days-counts", classes="under-chart")
                with Horizontal(classes="chart-row"):
                    yield Static("Drills", classes="chart-label")
                    yield Sparkline(id="drills-chart", summary_function=last)
                    yield Static("", id="drills-note", classes="chart-note")
                with Horizontal(classes="chart-row"):
                    yield Static("Minutes", classes="chart-label")
                    yield Sparkline(id="minutes-chart", summary_function=last)
                    yield Static("", id="minutes-note", classes="chart-note")
                yield Static("", id="weeks-span", classes="under-chart")
            with Section(id="skills") as skills:
                skills.border_title = "Skills"
                yield Static("", id="skill-bars")
                yield Static(BAR_LEGEND, id="skill-legend")
            with Vertical(id="table-section") as table_section:
                table_section.border_title = "Skills in detail"
                table: DataTable[str] = DataTable(id="skill-table", cursor_type="row",
                                                  zebra_stripes=True)  # fmt: skip
                yield table
            with Section(id="ratings") as ratings:
                ratings.border_title = "Retention, honesty and calibration"
                yield Static("", id="retention")
                yield Plain("", id="honesty")
                yield Vertical(id="calibration")
            with Section(id="packs") as packs:
                packs.border_title = "Packs"
                yield Static("", id="pack-bars")
            with Section(id="ahead") as ahead:
                ahead.border_title = "Ahead: the next 14 days"
                yield Sparkline(id="due-chart", summary_function=last)
                yield Static("", id="due-counts")
                yield Static("", id="due-days")
                yield Plain("", id="ahead-lines")
            with Section(id="fitting") as fitting:
                fitting.border_title = "Scheduling fitted to you"
                yield Plain("", id="fitting-lines")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sections").display = False
        self.query_one("#fit-offer").display = False
        self.query_one("#fitting").display = False
        self._read()

    def _read(self) -> None:
        reading = partial(summary_apart, self.services)
        self.run_worker(reading, group="progress", thread=True, exit_on_error=False)

    def _read_offer(self) -> None:
        reading = partial(offer_apart, self.services)
        self.run_worker(reading, group="fit-offer", thread=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "fit-offer":
            if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, FitOffer):
                self.show_offer(event.worker.result)
            elif event.state == WorkerState.ERROR:
                self.query_one("#fitting-lines", Plain).update(
                    failure_text(event.worker, "reading your history")
                )
            return
        if event.worker.group != "progress":
            return
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, RepSummary):
            self.fill(event.worker.result)
        elif event.state == WorkerState.ERROR:
            self.query_one("#reading", Plain).update(
                failure_text(event.worker, "reading your history")
            )

    def fill(self, summary: RepSummary) -> None:
        """Fill every section from ``summary`` (again after a fit: the focus stays)."""
        first = self.summary is None
        self.summary = summary
        titles = {skill.skill: skill.title for skill in summary.skills}
        self.query_one("#as-of", Static).update(date_text(summary.as_of))
        self.query_one("#reading").display = False
        self.query_one("#sections").display = True
        self.query_one("#calendar", Heatmap).show(summary.habit.calendar)
        self.query_one("#habit-figures", Static).update(habit_figures(summary))
        self._show_weeks(summary)
        self.query_one("#skill-bars", Static).update(
            Content("\n").join(
                named_bar(skill.title, skill.mastered, skill.started, skill.total)
                for skill in summary.skills
            )
            if summary.skills
            else Content("No skills in your packs yet.")
        )
        self._fill_table()
        self.query_one("#retention", Static).update(retention_words(summary))  # the report's words
        self.query_one("#honesty", Plain).update(honesty_lines(summary, titles))
        self._show_calibration(summary.calibration, titles)
        self.query_one("#pack-bars", Static).update(pack_lines(summary))
        self._show_ahead(summary)
        if first:
            self.query_one("#habit", Section).focus()
        self.refresh_bindings()
        self._read_offer()  # after the figures: they come first

    def show_offer(self, offer: FitOffer) -> None:
        self.offer = offer
        line = self.query_one("#fit-offer", Plain)
        line.update(offer_line(offer))
        line.display = bool(offer_line(offer))
        self.query_one("#fitting-lines", Plain).update(fitting_lines(offer))
        self.query_one("#fitting").display = True
        self.refresh_bindings()

    def _show_weeks(self, summary: RepSummary) -> None:
        weeks = summary.habit.weeks
        width = len(weeks) * WEEK_COLUMNS
        days = [week.days for week in weeks]
        drills = [week.drills for week in summary.volume]
        minutes = [week.minutes for week in summary.volume]
        for name, values, high in (("days", days, 7), ("drills", drills, max(drills, default=0)),
                                   ("minutes", minutes, max(minutes, default=0))):  # fmt: skip
            chart = self.query_one(f"#{name}-chart", Sparkline)
            chart.data = fixed_scale(values, 0, high, WEEK_COLUMNS)
            chart.styles.width = width
            note = f"{figure(values[-1])} this week" if values else ""
            self.query_one(f"#{name}-note", Static).update(note)
        self.query_one("#days-note", Static).update(
            f"{figure(days[-1])} of 7 this week" if days else ""
        )
        self.query_one("#days-counts", Static).update(counts_row(days, WEEK_COLUMNS))
        span = ""
        if weeks:
            first = written(weeks[0].start, "%d %b")
            span = f"{first}{'this week':>{max(width - len(first), 10)}}"
        self.query_one("#weeks-span", Static).update(span)

    def _show_calibration(
        self, calibrations: Sequence[Calibration], titles: dict[str, str]
    ) -> None:
        box = self.query_one("#calibration", Vertical)
        box.remove_children()
        if not calibrations:
            box.mount(Static(NO_CALIBRATION, classes="calibration-line"))
            return
        for calibration in calibrations:
            box.mount(Plain(calibration_line(calibration, titles), classes="calibration-line"))
            points = calibration.points[-12:]
            for who, means in (
                ("you", [point.self_mean for point in points]),
                ("manager", [point.manager_mean for point in points]),
            ):
                chart = Sparkline(fixed_scale(means, 1, 4, WEEK_COLUMNS), summary_function=last)
                chart.styles.width = len(means) * WEEK_COLUMNS
                box.mount(Horizontal(Static(who, classes="chart-label"), chart,
                                     classes="chart-row calibration-chart"))  # fmt: skip

    def _show_ahead(self, summary: RepSummary) -> None:
        due = summary.ahead.due
        chart = self.query_one("#due-chart", Sparkline)
        counts = [count for _, count in due]
        chart.data = fixed_scale(counts, 0, max(counts, default=0), DAY_COLUMNS)
        chart.styles.width = len(due) * DAY_COLUMNS
        self.query_one("#due-counts", Static).update(counts_row(counts, DAY_COLUMNS))
        self.query_one("#due-days", Static).update(
            "".join(f"{day:%a}"[:2].rjust(DAY_COLUMNS) for day, _ in due)
        )
        library = self.services.library

        def title(uid: str) -> str:
            drill = library.drill(uid)
            return drill.title if drill else uid

        self.query_one("#ahead-lines", Plain).update(ahead_lines(summary, title))

    # --- the skills table

    def _fill_table(self) -> None:
        if self.summary is None:
            return
        table = self.query_one("#skill-table", DataTable)
        current = None
        if table.row_count:
            current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear(columns=True)
        for column in COLUMNS:
            arrow = (" ▼" if self.descending else " ▲") if column is self.sort else ""
            width = NAME_WIDTH if column.key == "skill" else None
            table.add_column(column.label + arrow, key=column.key, width=width)
        honesty = {item.skill: item for item in self.summary.honesty}
        for skill in sorted_skills(self.summary.skills, honesty, self.sort, self.descending):
            table.add_row(*skill_row(skill, honesty.get(skill.skill)), key=skill.skill)
        if current is not None:
            table.move_cursor(row=table.get_row_index(current))
        order = "most first" if self.descending else "least first"
        if self.sort.key == "skill":
            order = "Z to A" if self.descending else "A to Z"
        section = self.query_one("#table-section")
        section.border_title = f"Skills in detail · by {self.sort.label.lower()}, {order}"
        section.border_subtitle = "s or a header sorts"

    def action_sort(self) -> None:
        """The next column, in its first order."""
        self.sort = COLUMNS[(COLUMNS.index(self.sort) + 1) % len(COLUMNS)]
        self.descending = self.sort.descending
        self._fill_table()

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        """A click on a header sorts by it; a second click turns the order round."""
        column = next(column for column in COLUMNS if column.key == event.column_key.value)
        self.descending = not self.descending if column is self.sort else column.descending
        self.sort = column
        self._fill_table()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sort":
            return self.summary is not None and bool(self.summary.skills)
        if action == "optimize":
            return self.offer is not None and self.offer.ready
        if action == "undo_fit":
            return self.offer is not None and self.offer.fitted_on is not None
        return True

    def action_optimize(self) -> None:
        if self.offer is not None and self.offer.ready:
            self.app.push_screen(OptimizeScreen(self.services), self._changed)

    def action_undo_fit(self) -> None:
        if self.offer is not None and self.offer.fitted_on is not None:
            self.app.push_screen(UndoFitScreen(self.services), self._changed)

    def action_retention(self) -> None:
        self.app.push_screen(RetentionScreen(self.services), self._changed)

    def _changed(self, changed: bool | None) -> None:
        """Parameters applied or taken back, or a desired retention set: what is due
        ahead, and the offer, read again."""
        if changed:
            self._read()

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        if self.summary is not None and self.summary.skills:
            yield SystemCommand("Sort skills", "Sort the skills table by its next column",
                                self.action_sort)  # fmt: skip
        if self.offer is not None and self.offer.ready:
            yield SystemCommand("Fit my schedule", "Fit the scheduling to your own ratings",
                                self.action_optimize)  # fmt: skip
        if self.offer is not None and self.offer.fitted_on is not None:
            yield SystemCommand("Undo fit", "Take back the fitted parameters in use",
                                self.action_undo_fit)  # fmt: skip
        yield SystemCommand("Retention", "Your next 90 days at each desired retention",
                            self.action_retention)  # fmt: skip
        yield SystemCommand("Back to Today", "Leave the progress screen", self.action_back)

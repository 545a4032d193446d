"""One rep, as their manager sees them: the drills they have drilled (and those assigned to
them not started yet) with each card's state and the last self-rating and manager rating,
and their skills. r rates the drill or the skill under the cursor."""

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

from drillcoach.coaching.view import (
    CoachingView,
    agreed_areas_line,
    agreement_word,
    manager_view,
    seen_agreement,
    shared_view,
)
from drillcoach.errors import UserError
from drillcoach.events import Agreement, ManagerRating
from drillcoach.progress.team import DrillStanding, RepStanding, SkillStanding
from drillcoach.scheduling.rules import RATING_NAMES
from drillcoach.services import Services
from drillcoach.team.feedback import Target, target
from drillcoach.team.workspace import Membership
from drillcoach.text import assigned_progress, day_text, phase_word, plural, score_text
from drillcoach.tui.screens.rating import RatingScreen
from drillcoach.tui.team import apart, failure_text, rep_apart
from drillcoach.tui.widgets.plain import Plain

TITLE_ROOM = 54  # cells the drill table needs beside the drill's title


class RepScreen(Screen[None]):
    CSS_PATH = "rep.tcss"
    HELP_TEXT = (
        "The rep's drills, soonest due first, then the drills of packs assigned to them "
        "that they have not started; below, their skills, each with whether it is an area "
        "of the coaching agreement the rep shares (outside it, ask them before going into "
        "detail). Put the cursor on a drill after a role-play or a call review, or on a "
        "skill after a joint call, and press r to rate it on its rubric. o opens the 1:1 "
        "agenda. tab moves between the drills and the skills."
    )
    BINDINGS = [
        Binding("r", "rate", "Rate", tooltip="Rate the drill or the skill under the cursor"),
        Binding("enter", "rate", "Rate", priority=True, show=False,
                tooltip="Rate the drill or the skill under the cursor"),
        Binding("o", "agenda", "1:1 agenda", tooltip="The 1:1 agenda for this rep"),
        Binding("escape", "back", "Back", tooltip="Back to the team"),
    ]  # fmt: skip

    def __init__(self, services: Services, mine: Membership, rep: RepStanding) -> None:
        super().__init__()
        self.services = services
        self.mine = mine
        self.rep = rep
        self.drills: list[DrillStanding] = []
        self.skills: list[SkillStanding] = []
        self.seen = manager_view(None)
        self.agreement: Agreement | None = None

    def compose(self) -> ComposeResult:
        yield Plain(self.rep.member.name, id="heading")
        yield Plain("", id="summary")
        yield Static("Drills", classes="heading")
        drills: DataTable[str] = DataTable(id="drills", cursor_type="row", zebra_stripes=True)
        # the other columns take about 54 cells: a long title wraps inside its own
        drills.add_column("Drill", width=max(20, self.app.size.width - TITLE_ROOM))
        drills.add_columns("State", "Due", "Lapses", "Self", "Manager")
        yield drills
        yield Static("Skills", classes="heading")
        skills: DataTable[str] = DataTable(id="skills", cursor_type="row", zebra_stripes=True)
        skills.add_columns("Skill", "Drilled", "Mastered", "Manager", "Agreement")
        yield skills
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#drills", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_rep()

    def refresh_rep(self) -> None:
        """Read the rep in a worker; the tables fill when it is in."""
        self.run_worker(partial(_rep_apart, self.services, self.rep), group="rep", thread=True,
                        exclusive=True, exit_on_error=False)  # fmt: skip

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "rep":
            return
        if event.state == WorkerState.SUCCESS and event.worker.result is not None:
            (self.rep, self.drills, self.skills), self.seen, self.agreement = event.worker.result
            self._fill()
        elif event.state == WorkerState.ERROR:  # said where the summary goes; the app stays
            self.query_one("#summary", Plain).update(failure_text(event.worker, "reading the rep"))

    def _fill(self) -> None:
        days = self.services.scheduler.days  # the manager's days, as the rep's cards here
        today = days.day_of(self.services.clock())
        rep = self.rep
        self.query_one("#summary", Plain).update(
            f"Last drilled {day_text(rep.last_drilled, today)} · streak "
            f"{plural(rep.streak, 'day')} · assignments {assigned_progress(rep.assigned)}\n"
            + agreed_areas_line(self.seen, self.agreement, self.services.library.skills,
                                rep.member.name)
        )  # fmt: skip
        table = self.query_one("#drills", DataTable)
        row = table.cursor_row
        table.clear()
        for found in self.drills:
            state = found.state
            due = "-" if state.is_new else day_text(days.day_of(state.due), today)
            table.add_row(
                escape(found.drill.title),
                phase_word(state),
                due,
                str(state.lapses) if state.lapses else "-",
                RATING_NAMES[found.last_self.rating] if found.last_self else "-",
                _manager(found.last_manager),
                height=None,
            )
        table.move_cursor(row=row)
        skills = self.query_one("#skills", DataTable)
        skill_row = skills.cursor_row
        skills.clear()
        for skill in self.skills:
            skills.add_row(
                escape(skill.skill.title),
                str(skill.drilled),
                str(skill.mastered),
                _manager(skill.last_manager),
                agreement_word(self.seen, self.agreement, skill.skill.id),
            )
        skills.move_cursor(row=skill_row)

    def action_rate(self) -> None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            self.notify("Put the cursor on a drill or a skill first.", timeout=3)
            return
        row = focused.cursor_row
        library = self.services.library
        try:
            if focused.id == "skills":
                goal: Target = target(library, drill_uid=None, skill=self.skills[row].skill.id)
            else:
                goal = target(library, drill_uid=self.drills[row].drill.uid, skill=None)
        except UserError as error:
            self.notify(str(error).removeprefix("--drill: ").removeprefix("--skill: "),
                        severity="warning", timeout=5)  # fmt: skip
            return
        self.app.push_screen(RatingScreen(self.services, self.mine, self.rep.member, goal))

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_rate()

    def action_agenda(self) -> None:
        from drillcoach.tui.screens.agenda import AgendaScreen

        self.app.push_screen(AgendaScreen(self.services, self.mine, self.rep.member))

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Rate", "Rate the drill or the skill under the cursor",
                            self.action_rate)  # fmt: skip
        yield SystemCommand("1:1 agenda", "What to bring to your 1:1 with this rep",
                            self.action_agenda)  # fmt: skip
        yield SystemCommand("Back to the team", "Leave this rep", self.action_back)


def _manager(rating: ManagerRating | None) -> str:
    return score_text(rating) if rating else "-"


def _rep_apart(
    services: Services, rep: RepStanding
) -> tuple[tuple[RepStanding, list[DrillStanding], list[SkillStanding]], CoachingView,
           Agreement | None]:  # fmt: skip
    """The rep's standing, drills and skills, and the coaching agreement they share."""
    found = rep_apart(services, rep)
    with apart(services) as own:
        seen = shared_view(own.store, rep.member.id)
        return found, seen, seen_agreement(own.store, rep.member.id, seen)

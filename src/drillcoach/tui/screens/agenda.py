"""A rep's 1:1 agenda, as their manager opens it from the Team screen or the rep's screen:
the same sections and questions as 'drillcoach coach REP'. Opening it is counted in the
manager's own coaching (an AgendaOpened event, kept on their machine)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from drillcoach.coaching.agenda import Agenda, build_agenda, open_agenda
from drillcoach.coaching.agenda_text import Section, agenda_sections, agenda_title
from drillcoach.coaching.view import shared_view
from drillcoach.services import Services
from drillcoach.team.workspace import Member, Membership
from drillcoach.tui.team import apart, failure_text
from drillcoach.tui.widgets.plain import Plain
from drillcoach.tui.writes import attempt


def agenda_apart(services: Services, mine: Membership, rep: Member) -> Agenda:
    """The rep's agenda, read in a worker thread (it builds the rep's queue and reads
    their history) on a database connection of its own."""
    with apart(services) as own:
        seen = shared_view(own.store, rep.id)
        return build_agenda(own.scheduler_for(rep.id), rep.name, seen, mine.team.names)


class AgendaScreen(Screen[None]):
    CSS_PATH = "agenda.tcss"
    HELP_TEXT = (
        "What to bring to your 1:1 with this rep: their vision and coaching agreement when "
        "they share them, their commitments, your feedback of the last 30 days (with the "
        "agreed area each rating serves, or a flag to ask first), calibration, practice, "
        "leeches, overdue packs, debriefs and their willingness to sell as their behaviour "
        "shows it; then questions chosen by what the data shows, each with why. The same "
        "agenda prints with 'drillcoach coach REP' (--format md for a 1:1 doc)."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to where you opened it"),
    ]

    def __init__(self, services: Services, mine: Membership, rep: Member) -> None:
        super().__init__()
        self.services = services
        self.mine = mine
        self.rep = rep
        self.agenda: Agenda | None = None

    def compose(self) -> ComposeResult:
        yield Plain(f"1:1 agenda: {self.rep.name} ...", id="heading")
        yield VerticalScroll(id="agenda")
        yield Footer()

    def on_mount(self) -> None:
        services = self.services
        attempt(
            lambda: open_agenda(services.store, self.mine.me.id, self.rep.id, services.clock()),
            lambda problem: self.notify(problem, severity="error", timeout=8),
        )
        self.query_one("#agenda", VerticalScroll).focus()
        self.run_worker(partial(agenda_apart, services, self.mine, self.rep), group="agenda",
                        thread=True, exclusive=True, exit_on_error=False)  # fmt: skip

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "agenda":
            return
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, Agenda):
            self.agenda = event.worker.result
            self._fill(self.agenda)
        elif event.state == WorkerState.ERROR:
            heading = self.query_one("#heading", Plain)
            heading.update(failure_text(event.worker, "reading the agenda"))

    def _fill(self, agenda: Agenda) -> None:
        self.query_one("#heading", Plain).update(agenda_title(agenda))
        body = self.query_one("#agenda", VerticalScroll)
        body.remove_children()
        widgets: list[Widget] = []
        for section in agenda_sections(agenda, self.services.library):
            widgets.extend(section_widgets(section))
        body.mount_all(widgets)

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Back to the rep", "Leave the 1:1 agenda", self.action_back)


def section_widgets(section: Section) -> list[Widget]:
    """A section's heading, then each item and its note; a question beside its number,
    its lines wrapping clear of it."""
    found: list[Widget] = [Static(section.heading, classes="heading", markup=False)]
    for number, item in enumerate(section.items, 1):
        if section.numbered:
            found.append(Horizontal(Static(f"{number}.", classes="number"),
                                    Plain(item.text, classes="question"),
                                    classes="numbered"))  # fmt: skip
        else:
            found.append(Plain(item.text, classes="item"))
        if item.note:
            found.append(Plain(item.note, classes="note"))
    return found

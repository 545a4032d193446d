"""Past debriefs, the latest call first, each readable whole: the buyer's words, the
film's moments, the manager's review and, after a joint call, the manager's ratings beside
the rep's own with the gap per skill. A rep can still turn a debrief's objections into
drills from here."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from drillcoach.coaching.debrief_text import OUTCOME_WORDS, debrief_page
from drillcoach.coaching.debriefs import debriefs, reviews_of
from drillcoach.coaching.view import view_of
from drillcoach.events import Debrief
from drillcoach.services import Services
from drillcoach.tui.team import my_membership
from drillcoach.tui.widgets.plain import Plain


class DebriefListScreen(Screen[None]):
    """The debriefs of ``rep`` (default: mine; a manager's rep, once shared and synced)."""

    CSS_PATH = "debriefs.tcss"
    HELP_TEXT = (
        "Your debriefs, the latest call first: up/down picks one and it shows below; tab "
        "moves into it to scroll. A manager's review and, after a joint call, their ratings "
        "beside yours show at its end. d turns its objections into drills."
    )
    BINDINGS = [
        Binding(
            "d",
            "drills",
            "Objections to drills",
            tooltip="Turn this debrief's objections into drills",
        ),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, services: Services, rep: str | None = None) -> None:
        super().__init__()
        self.services = services
        self.me = services.config.member
        self.rep = rep or self.me
        self.found: list[Debrief] = []
        mine = my_membership(services)
        self.names = mine.team.names if mine else {}

    def compose(self) -> ComposeResult:
        whose = "Your" if self.rep == self.me else f"{self.names.get(self.rep, self.rep)}'s"
        yield Static(f"{whose} debriefs", id="heading")
        yield OptionList(id="list")
        with VerticalScroll(id="reading"):
            yield Plain("", id="text")
        yield Footer()

    def on_screen_resume(self) -> None:
        store = self.services.store
        self.found = debriefs(store, self.rep, view_of(store, self.rep, self.me))
        listing = self.query_one("#list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for debrief in self.found:
            reviewed = " · reviewed" if reviews_of(store, debrief) else ""
            label = (
                f"{debrief.call_date.isoformat()}  {debrief.account}  "
                f"{debrief.call_type} · {OUTCOME_WORDS[debrief.outcome]}{reviewed}"
            )
            listing.add_option(Option(label, id=debrief.id))
        if not self.found:
            empty = (
                "No debriefs yet. After an important call, press d on Today to debrief "
                "it while it is fresh."
            )
            if self.rep != self.me:
                empty = "No debriefs here: they come once the rep shares them and syncs."
            self.query_one("#text", Plain).update(empty)
            listing.display = False
            return
        listing.display = True
        listing.highlighted = min(highlighted or 0, len(self.found) - 1)
        listing.focus()
        self._read()

    def current(self) -> Debrief | None:
        index = self.query_one("#list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.found):
            return None
        return self.found[index]

    @on(OptionList.OptionHighlighted, "#list")
    def _read(self) -> None:
        debrief = self.current()
        if debrief is None:
            return
        services = self.services
        lines = debrief_page(services.store, services.library, debrief, me=self.me,
                             names=self.names, days=services.scheduler.days)  # fmt: skip
        self.query_one("#text", Plain).update("\n".join(lines))
        self.query_one("#reading", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#list")
    def _into_reading(self) -> None:
        self.query_one("#reading", VerticalScroll).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "drills":
            debrief = self.current() if self.is_mounted else None
            return self.rep == self.me and debrief is not None and bool(debrief.objections)
        return True

    def action_drills(self) -> None:
        debrief = self.current()
        if debrief is None or not debrief.objections or self.rep != self.me:
            return
        from drillcoach.tui.screens.objections import ObjectionsScreen

        self.app.push_screen(ObjectionsScreen(self.services, debrief))

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        if self.check_action("drills", ()):
            yield SystemCommand(
                "Objections to drills",
                "Turn this debrief's objections into drills",
                self.action_drills,
            )
        yield SystemCommand("Back", "Close the list", self.action_back)

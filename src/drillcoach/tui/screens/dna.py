"""The rep's sales DNA: the latest take as a bar per construct (with the change since the
first take), the weakest few named with the packs that train them, what the highlighted
construct means on a call and where the idea comes from; ``t`` takes the check again."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from drillcoach.coaching.dna import (
    Dna,
    DnaComparison,
    DnaError,
    DnaResult,
    compare,
    construct_lines,
    day_text,
    load_dna,
    new_check,
    not_taken_line,
    score,
    score_line,
    sharing_line,
    take_headline,
)
from drillcoach.events import DnaCheck
from drillcoach.services import Services
from drillcoach.tui.screens.dna_take import DnaTakeScreen
from drillcoach.tui.widgets.plain import Plain
from drillcoach.tui.writes import attempt

HOW_IT_WORKS = (
    "Your sales DNA: the habits of mind that decide whether the skills you have show up "
    "when a call gets uncomfortable. Each bar is one area, from 1 (gets in the way) to 5 "
    "(works for you), with the change since your first take. The weakest few are the ones "
    "to work on first: their packs are named, and their skills come first among your new "
    "drills. Up/down reads what an area means on a call and where the idea comes from. "
    "t takes the check again (any time; every take is kept), escape goes back."
)


class DnaScreen(Screen[None]):
    CSS_PATH = "dna.tcss"
    HELP_TEXT = HOW_IT_WORKS
    BINDINGS = [
        Binding("t", "take", "Take the check"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.dna: Dna | None = None
        self.problem = ""
        self.result: DnaResult | None = None
        self.comparison: DnaComparison | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="heading")
        yield OptionList(id="constructs", markup=False)
        yield Plain("", id="summary")
        with VerticalScroll(id="detail"):
            yield Plain("", id="about")
        yield Footer()

    def on_mount(self) -> None:
        try:
            self.dna = load_dna(library=self.services.library)
        except DnaError as error:
            self.problem = str(error)
        self._refresh()
        self.query_one("#constructs", OptionList).focus()

    def _checks(self) -> list[DnaCheck]:
        return self.services.store.coaching(self.services.scheduler.rep, DnaCheck)

    def _refresh(self) -> None:
        heading = self.query_one("#heading", Static)
        listing = self.query_one("#constructs", OptionList)
        summary = self.query_one("#summary", Plain)
        listing.clear_options()
        if self.dna is None:
            heading.update("Sales DNA")
            summary.update(f"The sales DNA check cannot be read: {self.problem}")
            return
        checks = self._checks()
        if not checks:
            heading.update(self.dna.title)
            summary.update(not_taken_line("press t"))
            self.query_one("#about", Plain).update(self.dna.intro)
            return
        self.result = score(checks[-1], self.dna)
        self.comparison = compare(checks, self.dna)
        tz = self.services.tz
        since = ""
        if self.comparison is not None:
            since = f" · change since {day_text(self.comparison.first.at, tz)}"
        heading.update(f"{self.dna.title} · latest take {day_text(self.result.at, tz)}{since}")
        first = self.result.work_on()
        for item in self.result.scores:
            change = self.comparison.of(item.construct.id) if self.comparison else None
            row = score_line(item, change, first=item in first)
            listing.add_option(Option(row, id=item.construct.id))
        lines = [take_headline(self.result)]
        lines.append(sharing_line(self.services.config.share_vision))
        summary.update("\n".join(lines))
        listing.highlighted = self._first_to_show()

    def _first_to_show(self) -> int:
        """The weakest construct (the first one, when none is weak)."""
        assert self.result is not None
        first = self.result.work_on()
        return self.result.scores.index(first[0]) if first else 0

    @on(OptionList.OptionHighlighted, "#constructs")
    def _show_construct(self, event: OptionList.OptionHighlighted) -> None:
        if self.dna is None or self.result is None:
            return
        item = self.result.of(event.option.id or "")
        if item is None:
            return
        focus = item in self.result.work_on()
        parts = construct_lines(item, self.services.library, focus=focus)
        self.query_one("#about", Plain).update("\n".join(parts))
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)

    def action_take(self) -> None:
        if self.dna is None:
            self.notify(self.problem, severity="error", timeout=8)
            return
        dna = self.dna

        def taken(answers: dict[str, int] | None) -> None:
            if answers is None:
                self.notify("Left the check: nothing was stored.", timeout=4)
                return
            rep, now = self.services.scheduler.rep, self.services.clock()
            check = new_check(dna, answers, rep, now)
            if attempt(lambda: self.services.store.add(check), self._tell) is None:
                return
            self._refresh()
            self.notify(take_headline(score(check, dna)), timeout=6)

        self.app.push_screen(DnaTakeScreen(dna), taken)

    def _tell(self, problem: str) -> None:
        self.notify(problem, severity="error", timeout=8)

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Take the sales DNA check", "Answer the statements again", self.action_take
        )
        yield SystemCommand("Back", "Close your sales DNA", self.action_back)

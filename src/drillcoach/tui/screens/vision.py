"""The rep's vision (``v`` from Today): where they want to be in 2, 3 and 5 years, why,
desire and willingness with the answers that keep them honest, and the coaching agreement
that ties detailed feedback to it. Edit either, read every version, share the vision with
the manager or not, and reach the sales DNA check."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from drillcoach.coaching.agreement import (
    REVIEW_AFTER_DAYS,
    agreed_days_ago,
    agreement_history,
    agreement_history_lines,
    agreement_lines,
)
from drillcoach.coaching.vision import (
    day_words,
    history_lines,
    sharing_words,
    version_line,
    vision_history,
    vision_lines,
)
from drillcoach.events import Agreement, Vision
from drillcoach.services import Services
from drillcoach.tui.screens.agreement import AgreementScreen
from drillcoach.tui.screens.vision_form import VisionFormScreen
from drillcoach.tui.team import manager_name, my_membership
from drillcoach.tui.widgets.plain import Plain
from drillcoach.tui.writes import attempt

WIDTH = 76  # the text's columns: the screen's 80 less its padding and the scroll bar
NO_VISION = (
    "No vision yet. Press e to write where you want to be in 2, 3 and 5 years, why it "
    "matters to you, and how much you want it. It is yours: your manager sees it only if "
    "you share it."
)
NO_AGREEMENT = (
    "No coaching agreement yet. Press a to name the skills where you want detailed "
    "feedback, how you want it, and the line of your vision each one serves."
)


class VisionScreen(Screen[None]):
    CSS_PATH = "vision.tcss"
    HELP_TEXT = (
        "Your vision is where you want to be in 2, 3 and 5 years and how much you want it; "
        "the coaching agreement names the skills where you want your manager to go into "
        "detail, tied to a line of that vision. Detailed practice that serves your own goals "
        "is coaching, not micro-management. Each edit keeps the earlier versions (h shows "
        "them). s shares your vision with your manager at the next sync, or stops sharing "
        "it; the agreement form has its own choice."
    )
    BINDINGS = [
        Binding("e", "edit", "Edit", tooltip="Write a new version of your vision"),
        Binding("a", "agreement", "Agreement",
                tooltip="Where you want detailed feedback, how, and what it serves"),
        Binding("h", "history", "History", show=False, tooltip="Every version, with its date"),
        Binding("s", "share", "Share", show=False,
                tooltip="Share your vision with your manager, or stop"),
        Binding("n", "dna", "Sales DNA", tooltip="The sales DNA self-check, and how it changed"),
        Binding("escape", "back", "Back"),
    ]  # fmt: skip

    def __init__(self, services: Services, *, first_run: bool = False) -> None:
        super().__init__()
        self.services = services
        self.rep = services.config.member
        self.first_run = first_run  # straight into the form, then the agreement
        self.showing_history = False
        self.manager = manager_name(my_membership(services))

    def compose(self) -> ComposeResult:
        yield Static("Your vision", id="heading")
        yield Plain("", id="version")
        yield Plain("", id="sharing")
        with VerticalScroll(id="body"):
            yield Plain("", id="vision")
            yield Static("", id="agreement-heading")
            yield Plain("", id="agreement")
            yield Plain("", id="review")
        yield Footer()

    def on_mount(self) -> None:
        self.show()
        if self.first_run:
            self.action_edit()

    # --- what shows

    def show(self) -> None:
        store = self.services.store
        versions = vision_history(store, self.rep)
        agreements = agreement_history(store, self.rep)
        if self.showing_history:
            self._show_history(versions, agreements)
        else:
            self._show_current(versions, agreements)
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)

    def _show_current(self, versions: list[Vision], agreements: list[Agreement]) -> None:
        days = self.services.scheduler.days
        shared = self.services.config.share_vision
        change = "s stops sharing it" if shared else "s shares it"
        self.query_one("#heading", Static).update("Your vision")
        self._set("#sharing", f"{sharing_words(shared, self.manager)} · {change}")
        if versions:
            line = version_line(versions, days, first=False)
            self._set("#version", f"{line} · h shows every version")
            self._set("#vision", "\n".join(vision_lines(versions[-1], width=WIDTH)))
        else:
            self._set("#version", "")
            self._set("#vision", NO_VISION)
        skills = self.services.library.skills
        if agreements:
            latest = agreements[-1]
            agreed = day_words(days.date_of(latest.at))
            shared_too = "shared" if self.services.config.share_agreement else "only you see it"
            self._set("#agreement-heading",
                      f"Coaching agreement · version {len(agreements)}, agreed {agreed} · "
                      f"{shared_too}")  # fmt: skip
            self._set("#agreement", "\n".join(agreement_lines(latest, skills, width=WIDTH)))
            age = agreed_days_ago(latest, days.day_of(self.services.clock()), days)
            self._set("#review", f"Agreed {age} days ago: a quarter has passed. Press a to "
                      "review it (saving it unchanged counts)."
                      if age >= REVIEW_AFTER_DAYS else "")  # fmt: skip
        else:
            self._set("#agreement-heading", "Coaching agreement")
            self._set("#agreement", NO_AGREEMENT)
            self._set("#review", "")

    def _show_history(self, versions: list[Vision], agreements: list[Agreement]) -> None:
        days = self.services.scheduler.days
        self.query_one("#heading", Static).update("Your vision: every version (h: back)")
        self._set("#version", "Newest first; each edit kept with its date.")
        self._set("#sharing", "")
        self._set("#vision", "\n".join(history_lines(versions, days, width=WIDTH)))
        self._set("#agreement-heading", "Coaching agreement")
        lines = agreement_history_lines(agreements, self.services.library.skills, days,
                                        width=WIDTH)  # fmt: skip
        self._set("#agreement", "\n".join(lines))
        self._set("#review", "")

    def _set(self, selector: str, text: str) -> None:
        widget = self.query_one(selector, Static)
        widget.update(text)
        widget.display = bool(text)

    # --- actions

    def action_edit(self) -> None:
        self.app.push_screen(VisionFormScreen(self.services), self._vision_saved)

    def _vision_saved(self, vision: Vision | None) -> None:
        self.showing_history = False
        self.show()
        no_agreement = agreement_history(self.services.store, self.rep) == []
        if vision is not None and self.first_run and no_agreement:
            self.first_run = False
            self.action_agreement()

    def action_agreement(self) -> None:
        self.app.push_screen(AgreementScreen(self.services), lambda _: self._back_here())

    def _back_here(self) -> None:
        self.showing_history = False
        self.show()

    def action_history(self) -> None:
        self.showing_history = not self.showing_history
        self.show()

    def action_share(self) -> None:
        share = not self.services.config.share_vision
        done = attempt(
            lambda: self.services.set_setting("share_vision", "true" if share else "false"),
            lambda problem: self.notify(problem, severity="error", timeout=8),
        )
        if done is None:
            return
        whom = self.manager or "your manager"
        self.notify(f"Your vision is shared with {whom} from the next sync." if share
                    else "Your vision is no longer shared.", timeout=4)  # fmt: skip
        self.show()

    def action_dna(self) -> None:
        from drillcoach.tui.screens.dna import DnaScreen

        self.app.push_screen(DnaScreen(self.services))

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Edit vision", "Write a new version of your vision", self.action_edit)
        yield SystemCommand("Coaching agreement", "Where you want detailed feedback, and how",
                            self.action_agreement)  # fmt: skip
        yield SystemCommand("Vision history", "Every version, with its date", self.action_history)
        yield SystemCommand("Share vision", "Share your vision with your manager, or stop",
                            self.action_share)  # fmt: skip
        yield SystemCommand("Sales DNA", "The sales DNA self-check", self.action_dna)

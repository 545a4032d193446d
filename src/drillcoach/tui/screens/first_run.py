"""Asking a new rep, before their first session, for their vision and a coaching agreement:
a small dialog, "Write it now" or "Later" (asked again a week on). A profile is asked only
from its welcome on, never once a vision exists, and a manager is not asked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from drillcoach.coaching.vision import ASK_AGAIN, current_vision, vision_question_due
from drillcoach.errors import MachineError, UserError
from drillcoach.services import Services
from drillcoach.tui.team import my_membership
from drillcoach.tui.writes import saved

WHY = (
    "In 2, 3 and 5 years - and how much do you want it? Write it down, then name the "
    "skills where you want detailed coaching. From then on your drills and your manager's "
    "notes serve your goals, not just the team's number. Five minutes; only you see it "
    "unless you share it."
)


class FirstRunScreen(ModalScreen[bool]):
    """Closes with True to write the vision now, False for later."""

    CSS_PATH = "first_run.tcss"
    BINDINGS = [Binding("escape", "later", "Later", tooltip="Ask me again in a week")]

    def compose(self) -> ComposeResult:
        with Vertical(id="first-run") as box:
            box.border_title = "Where do you want to be?"
            yield Static(WHY, id="why")
            with Horizontal(id="choices"):
                yield Button("Write it now", id="now", variant="primary")
                yield Button("Later", id="later")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#now", Button).focus()

    @on(Button.Pressed, "#now")
    def action_now(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#later")
    def action_later(self) -> None:
        self.dismiss(False)


def ask_from_now(services: Services) -> None:
    """A new profile (its welcome is showing): ask for the vision from now on. A store
    that cannot be written is left as it is; the welcome's own save says why."""
    try:
        if services.prefs.vision_ask_after() is None:
            services.prefs.set_vision_ask_after(services.clock())
    except (MachineError, UserError):
        pass


def vision_due(services: Services) -> bool:
    """Whether to ask the rep for their vision now (see vision_question_due)."""
    ask_after = services.prefs.vision_ask_after()
    if ask_after is None or services.clock() < ask_after:
        return False
    mine = my_membership(services)
    if mine is not None and mine.is_manager:
        return False
    vision = current_vision(services.store, services.config.member)
    return vision_question_due(vision, ask_after, services.clock())


def ask_for_vision(
    app: App[Any], services: Services, then: Callable[[], None] | None = None
) -> None:
    """The dialog. Either way the rep is asked again in a week unless a vision is saved
    by then; "Write it now" opens the vision form, then the agreement; "Later" (or
    escape) goes on with ``then`` (the session the rep was starting)."""
    from drillcoach.tui.screens.vision import VisionScreen

    def answered(write: bool | None) -> None:
        saved(
            lambda: services.prefs.set_vision_ask_after(services.clock() + ASK_AGAIN),
            lambda problem: app.notify(problem, severity="error", timeout=8),
        )
        if write:
            app.push_screen(VisionScreen(services, first_run=True))
        elif then is not None:
            then()

    app.push_screen(FirstRunScreen(), answered)


def ask_before_session(app: App[Any], services: Services, start: Callable[[], None]) -> None:
    """Before a session starts: the dialog when the vision is due (then the session on
    "Later"), else the session at once."""
    if vision_due(services):
        ask_for_vision(app, services, then=start)
    else:
        start()

"""The drillcoach App: wires the screens, the theme and the command palette; no domain
logic lives here."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import tzinfo

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from drillcoach.scheduling.days import Clock, system_clock
from drillcoach.services import Services, open_services
from drillcoach.tui.memory import let_go, load_apart
from drillcoach.tui.screens.first_run import ask_for_vision, ask_from_now, vision_due
from drillcoach.tui.screens.help import HelpScreen
from drillcoach.tui.screens.today import TodayScreen
from drillcoach.tui.screens.welcome import WelcomeScreen
from drillcoach.tui.writes import attempt

# config.toml's names for Textual's two own themes; every other theme goes by its name
TEXTUAL_NAMES = {"dark": "textual-dark", "light": "textual-light"}
CONFIG_NAMES = {textual: ours for ours, textual in TEXTUAL_NAMES.items()}


class DrillcoachApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "drillcoach"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.theme = TEXTUAL_NAMES.get(services.config.theme, services.config.theme)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._keep_theme)
        self.push_screen(TodayScreen(self.services))
        if not self.services.prefs.welcomed():
            ask_from_now(self.services)  # a new rep: their vision, before the first session
            self.push_screen(WelcomeScreen(self.services))
        elif vision_due(self.services):  # a "later" a week ago, or a first run left early
            ask_for_vision(self, self.services)

    def on_unmount(self) -> None:
        let_go()  # what Today kept from the collector (another app may follow: the tests)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = TEXTUAL_NAMES["light" if self.theme == TEXTUAL_NAMES["dark"] else "dark"]

    def _keep_theme(self, theme: Theme) -> None:
        """A theme chosen here (the palette's 'Theme', or light or dark) is the one the
        next start uses: written to config.toml as soon as it shows."""
        name = CONFIG_NAMES.get(theme.name, theme.name)
        if name != self.services.config.theme:
            attempt(lambda: self.services.set_setting("theme", name), self.tell)

    def tell(self, problem: str) -> None:
        """A write that failed, said in one line wherever the rep is."""
        self.notify(problem, severity="error", timeout=8)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand("Help", "Every key on this screen", self.action_help)
        yield SystemCommand(
            "Light or dark theme",
            "Switch between the light and dark theme",
            self.action_toggle_theme,
        )
        yield from super().get_system_commands(screen)


def make_app(
    home: str | os.PathLike[str] | None = None,
    *,
    clock: Clock = system_clock,
    tz: tzinfo | None = None,
) -> DrillcoachApp:
    """Build the services from the profile folder and hand them to the App."""
    return DrillcoachApp(load_apart(lambda: open_services(home, clock=clock, tz=tz)))


def run(home: str | os.PathLike[str] | None = None) -> int:
    app = make_app(home)
    try:
        app.run()
    finally:
        app.services.close()
    return app.return_code or 0

"""First run: a short welcome where the rep picks packs and a display name."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, SelectionList, Static

from drillcoach.config import SettingError
from drillcoach.errors import UserError
from drillcoach.services import Services
from drillcoach.tui.writes import not_saved, saved

INTRO = (
    "Ten minutes a day, coached like an athlete: hear the buyer, answer out loud or "
    "typed against the clock, compare with a model answer, tick the key points you "
    "hit and rate yourself. drillcoach brings each drill back just before you would "
    "forget it."
)


class WelcomeScreen(Screen[None]):
    CSS_PATH = "welcome.tcss"
    BINDINGS = [Binding("escape", "accept", "Start with these", show=False)]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def compose(self) -> ComposeResult:
        library = self.services.library
        disabled = self.services.prefs.disabled_packs()
        with VerticalScroll(id="welcome"):
            yield Static("Welcome to drillcoach", id="title")
            yield Static(INTRO, id="intro")
            with Horizontal(id="name-row"):
                yield Label("Your name", id="name-label")
                yield Input(self.services.config.name, id="name", max_length=60)
            yield Label("Packs in your queue (space switches one; change later with p)")
            yield SelectionList[str](
                *[
                    (
                        Text.assemble(
                            f"{pack.title} ({len(pack.drills)} drills)",
                            (f" · {pack.seller}", "dim"),
                        ),
                        pack.id,
                        pack.id not in disabled,
                    )
                    for pack in library.packs.values()
                ],
                id="packs",
            )
            yield Static("", id="error")
            yield Button("Start drilling", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    @on(Button.Pressed, "#start")
    @on(Input.Submitted, "#name")
    def action_accept(self) -> None:
        name = self.query_one("#name", Input).value
        chosen = self.query_one("#packs", SelectionList).selected
        error = self.query_one("#error", Static)
        if not chosen:
            error.update("Pick at least one pack to drill.")
            return
        try:
            self.services.set_setting("name", name)
        except SettingError as problem:
            error.update(f"Your name: {problem.expected}")
            self.query_one("#name", Input).focus()
            return
        except UserError as problem:  # config.toml could not be written
            error.update(not_saved(problem))
            return

        def save() -> None:
            self.services.prefs.set_enabled_packs(chosen)
            self.services.prefs.set_welcomed()

        if saved(save, error.update):
            self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Start drilling", "Save your name and packs and go to Today", self.action_accept
        )

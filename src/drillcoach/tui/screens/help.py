"""Every key that works on the screen underneath, from ``?`` anywhere."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from drillcoach.tui.widgets.plain import Plain

HOW_IT_WORKS = (
    "How a drill works: read the buyer's line, answer (type in the box, or press t and "
    "say it aloud) before the clock runs out, reveal with ctrl+r, compare with the model "
    "answer, tick the key points you really hit, then rate: 1 Again, 2 Hard, 3 Good, "
    "4 Easy, or enter for the suggested rating. Every rating is saved at once, so you "
    "can leave at any moment with escape. In a model answer, '...' marks where you stop "
    "and let the buyer answer. A written drill (an email, a message) is always typed, and "
    "counts your words against its limit as you type."
)

GENERIC_ACTIONS = {
    "app.focus_next",
    "app.focus_previous",
    "screen.copy_text",
    "command_palette",
    "app.command_palette",
}
EXTRA_KEYS = [
    ("tab / shift+tab", "Move between parts of the screen"),
    ("^p", "Command palette: every action by name"),
]


def key_lines(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, what it does) for the drillcoach keys active on ``screen`` right now: the
    screen's and the app's own, and those a focused widget shows in the footer."""
    lines: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        ours = active.node is screen or active.node is screen.app
        if not binding.description or not active.enabled or binding.action in GENERIC_ACTIONS:
            continue
        if not (ours or binding.show) or key == "question_mark":
            continue
        shown = binding.key_display or screen.app.get_key_display(binding)
        if shown in seen:
            continue
        seen.add(shown)
        lines.append((shown, binding.tooltip or binding.description))
    return lines


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close help")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = "Keys on this screen"
            for key, what in key_lines(self.under) + EXTRA_KEYS:
                yield Horizontal(Plain(key, classes="key"), Plain(what, classes="what"))
            # a screen with a how-to of its own (the team's) says it; the others, the drill's
            yield Static(getattr(self.under, "HELP_TEXT", HOW_IT_WORKS), id="how")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)

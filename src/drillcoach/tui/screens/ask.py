"""Asking my manager to review an answer given aloud: a few lines on what I said, sent
with the key points I ticked. Closes with the text, or None when the rep changes their
mind."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea


class AskScreen(ModalScreen[str | None]):
    CSS_PATH = "ask.tcss"
    BINDINGS = [
        Binding("ctrl+s", "send", "Send", priority=True, tooltip="Send it to your manager"),
        Binding("escape", "cancel", "Cancel", priority=True, tooltip="Send nothing"),
    ]

    def __init__(self, manager: str, said: str = "") -> None:
        super().__init__()
        self.manager = manager
        self.said = said

    def compose(self) -> ComposeResult:
        with Vertical(id="ask") as box:
            box.border_title = f"Ask {self.manager} to review this answer"
            yield Static(
                "You answered aloud: write in a few lines what you said, so your manager "
                "can see it beside the model answer. ctrl+s sends, escape sends nothing.",
                id="ask-note",
            )
            notes = TextArea(self.said, id="said", soft_wrap=True, show_line_numbers=False)
            yield notes
            yield Static("", id="ask-problem")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#said", TextArea).focus()

    def action_send(self) -> None:
        text = self.query_one("#said", TextArea).text.strip()
        if not text:
            self.query_one("#ask-problem", Static).update(
                "Write what you said first (a few lines are enough)."
            )
            self.app.bell()
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

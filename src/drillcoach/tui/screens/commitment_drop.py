"""Asking before a commitment is dropped: it leaves the list (its history stays). Closes
with True to drop it, False to keep it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer

from drillcoach.tui.widgets.plain import Plain


class DropCommitmentScreen(ModalScreen[bool]):
    CSS_PATH = "commitment_drop.tcss"
    BINDINGS = [
        Binding("y", "drop", "Drop it"),
        Binding("n,escape", "keep", "Keep it"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="drop") as box:
            box.border_title = "Drop this commitment?"
            yield Plain(self.text, id="what")
            yield Plain(
                "It leaves your list and stops counting; your history keeps it. If it "
                "still matters but the number was wrong, make a new one after.",
                id="note",
            )
            with Horizontal(id="choices"):
                yield Button("Drop it (y)", id="yes", variant="error")
                yield Button("Keep it (n)", id="no", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_drop(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_keep(self) -> None:
        self.dismiss(False)

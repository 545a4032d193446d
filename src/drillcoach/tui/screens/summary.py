"""After a session: what was done, how it went, and what comes back tomorrow."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from drillcoach.progress.session import SessionSummary
from drillcoach.text import summary_closing, summary_lines


class SummaryScreen(Screen[None]):
    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("enter", "close", "Back to Today"),
        Binding("escape", "close", "Back to Today", show=False),
    ]

    def __init__(self, summary: SessionSummary) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(id="summary"):
            yield Static("Session done", id="title")
            yield Static("\n".join(summary_lines(self.summary)), id="figures")
            yield Static(summary_closing(self.summary), id="closing")
            yield Button("Back to Today", id="close", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def on_button_pressed(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Back to Today", "Close the session summary", self.action_close)

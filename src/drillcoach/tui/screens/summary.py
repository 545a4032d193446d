"""After a session: what was done, how it went, and what comes back tomorrow."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from drillcoach.progress import SessionSummary
from drillcoach.tui.widgets.countdown import clock_text


def summary_lines(summary: SessionSummary) -> list[str]:
    ratings = ", ".join(f"{count} {name}" for name, count in summary.ratings.items() if count)
    lines = [
        f"Drills done      {summary.drills}",
        f"Ratings          {sum(summary.ratings.values())}: {ratings}",
        f"Time             {clock_text(summary.seconds)} in the session, "
        f"{clock_text(summary.answer_seconds)} answering",
    ]
    if summary.key_points_total:
        share = round(100 * summary.key_points_hit / summary.key_points_total)
        lines.append(
            f"Key points hit   {summary.key_points_hit} of {summary.key_points_total} ({share}%)"
        )
    days = "day" if summary.streak == 1 else "days"
    lines.append(f"Streak           {summary.streak} {days}")
    tomorrow = "drill" if summary.due_tomorrow == 1 else "drills"
    lines.append(f"Due tomorrow     {summary.due_tomorrow} {tomorrow} to review, plus new ones")
    return lines


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
        again = self.summary.ratings.get("Again", 0)
        closing = (
            f"{again} drill(s) you rated Again will come back soon - that is the practice working."
            if again
            else "Clean session. The drills you know well will stay away longer now."
        )
        with Vertical(id="summary"):
            yield Static("Session done", id="title")
            yield Static("\n".join(summary_lines(self.summary)), id="figures")
            yield Static(closing, id="closing")
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

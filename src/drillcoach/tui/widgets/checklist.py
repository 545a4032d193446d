"""The key-point checklist shown on reveal: up/down move, space ticks, a click ticks."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class KeyPointRow(Static):
    DEFAULT_CSS = """
    KeyPointRow {
        padding: 0 1;
        height: auto;
    }
    KeyPointRow.-ticked {
        color: $text-success;
    }
    Checklist:focus KeyPointRow.-cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    KeyPointRow.-cursor {
        background: $boost;
    }
    """

    def __init__(self, index: int, text: str) -> None:
        super().__init__(markup=False)
        self.index = index
        self.text = text
        self.ticked = False
        self._show()

    def _show(self) -> None:
        mark = "[x]" if self.ticked else "[ ]"
        self.update(f"{mark} {self.text}")
        self.set_class(self.ticked, "-ticked")

    def toggle(self) -> None:
        self.ticked = not self.ticked
        self._show()

    def on_click(self, event: Click) -> None:
        event.stop()
        checklist = self.query_ancestor(Checklist)
        checklist.cursor = self.index
        checklist.focus()
        checklist.action_tick()


class Checklist(VerticalScroll, can_focus=True):
    """Which key points the rep hit. Posts ``Checklist.Changed`` on every tick."""

    DEFAULT_CSS = """
    Checklist {
        height: auto;
        max-height: 100%;
    }
    """
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("space,x", "tick", "Tick"),
    ]

    cursor: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, ticked: tuple[int, ...]) -> None:
            super().__init__()
            self.ticked = ticked

    def __init__(self, points: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.points = tuple(points)

    def compose(self) -> ComposeResult:
        for index, point in enumerate(self.points):
            yield KeyPointRow(index, point)

    @property
    def rows(self) -> list[KeyPointRow]:
        return list(self.query(KeyPointRow))

    @property
    def ticked(self) -> tuple[int, ...]:
        return tuple(row.index for row in self.rows if row.ticked)

    def watch_cursor(self, cursor: int) -> None:
        for row in self.rows:
            row.set_class(row.index == cursor, "-cursor")
            if row.index == cursor:
                self.scroll_to_widget(row, animate=False)

    def on_mount(self) -> None:
        self.watch_cursor(self.cursor)

    def action_move(self, step: int) -> None:
        if self.points:
            self.cursor = max(0, min(len(self.points) - 1, self.cursor + step))

    def action_tick(self) -> None:
        rows = self.rows
        if rows:
            rows[self.cursor].toggle()
            self.post_message(self.Changed(self.ticked))

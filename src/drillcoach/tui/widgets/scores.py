"""A rubric's criteria, each scored 1-5 by keyboard: up/down (or tab) move, a digit scores
the criterion under the cursor and moves on, x scores it n/a where the criterion needs a
live call, backspace clears it, a click picks a row."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from drillcoach.content.models import NOT_APPLICABLE, Criterion

LOWEST, HIGHEST = 1, 5
LIVE_NOTE = "live call: x = n/a"  # beside a criterion that needs a live call


class ScoreRow(Static):
    DEFAULT_CSS = """
    ScoreRow {
        padding: 0 1;
        height: auto;
    }
    ScoreRow.-scored {
        color: $text-success;
    }
    ScoreList:focus ScoreRow.-cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    ScoreRow.-cursor {
        background: $boost;
    }
    """

    def __init__(self, index: int, criterion: Criterion) -> None:
        super().__init__(markup=False)
        self.index = index
        self.criterion = criterion
        self.score: int | None = None
        self.not_applicable = False  # scored n/a: only a criterion that needs a live call
        self._show()

    @property
    def scored(self) -> bool:
        return self.score is not None or self.not_applicable

    def _show(self) -> None:
        mark = NOT_APPLICABLE if self.not_applicable else str(self.score or "_")
        parts: list[str | tuple[str, str]] = [f"{mark:<3}  {self.criterion.title}"]
        if self.criterion.live_only:
            parts.append((f"  ({LIVE_NOTE})", "italic"))
        self.update(Content.assemble(*parts))
        self.set_class(self.scored, "-scored")

    def set_score(self, score: int | None, *, not_applicable: bool = False) -> None:
        self.score = None if not_applicable else score
        self.not_applicable = not_applicable and self.criterion.live_only
        self._show()

    def on_click(self, event: Click) -> None:
        event.stop()
        scores = self.query_ancestor(ScoreList)
        scores.cursor = self.index
        scores.focus()


class ScoreList(Vertical, can_focus=True):
    """Posts ``Moved`` when the cursor moves and ``Changed`` when a score changes."""

    DEFAULT_CSS = """
    ScoreList {
        height: auto;
    }
    """
    BINDINGS = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("tab", "step(1)", "Next", show=False),
        Binding("shift+tab", "step(-1)", "Previous", show=False),
        Binding("1", "score(1)", "Score", key_display="1-5",
                tooltip="Score the criterion under the cursor, 1 to 5, and move on"),
        *[
            Binding(str(n), f"score({n})", f"Score {n}", show=False)
            for n in range(LOWEST + 1, HIGHEST + 1)
        ],
        Binding("x", "not_applicable", "n/a",
                tooltip="Score this criterion n/a: it needs a live call you did not hear"),
        Binding("backspace,delete,0", "score(0)", "Clear", show=False),
    ]  # fmt: skip

    cursor: reactive[int] = reactive(0)

    class Moved(Message):
        def __init__(self, criterion: Criterion) -> None:
            super().__init__()
            self.criterion = criterion

    class Changed(Message):
        def __init__(self, scores: dict[str, int | None]) -> None:
            super().__init__()
            self.scores = scores

    def __init__(self, criteria: Sequence[Criterion], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.criteria = tuple(criteria)

    def compose(self) -> ComposeResult:
        for index, criterion in enumerate(self.criteria):
            yield ScoreRow(index, criterion)

    @property
    def rows(self) -> list[ScoreRow]:
        return list(self.query(ScoreRow))

    @property
    def scores(self) -> dict[str, int | None]:
        """The criteria scored so far: 1 to 5, or None for n/a."""
        return {row.criterion.id: row.score for row in self.rows if row.scored}

    @property
    def current(self) -> Criterion:
        return self.criteria[self.cursor]

    def missing(self) -> list[Criterion]:
        return [row.criterion for row in self.rows if not row.scored]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "not_applicable":  # offered only where the criterion needs a live call
            return bool(self.criteria) and self.current.live_only
        return True

    def watch_cursor(self, cursor: int) -> None:
        for row in self.rows:
            row.set_class(row.index == cursor, "-cursor")
        if self.criteria:
            self.post_message(self.Moved(self.criteria[cursor]))
        self.refresh_bindings()

    def on_mount(self) -> None:
        self.watch_cursor(self.cursor)

    def action_move(self, step: int) -> None:
        if self.criteria:
            self.cursor = max(0, min(len(self.criteria) - 1, self.cursor + step))

    def action_step(self, step: int) -> None:
        """tab walks the criteria, and past the last (or before the first) leaves the list."""
        target = self.cursor + step
        if 0 <= target < len(self.criteria):
            self.cursor = target
        elif step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    def action_score(self, score: int) -> None:
        if not self.criteria:
            return
        self.rows[self.cursor].set_score(score if LOWEST <= score <= HIGHEST else None)
        self._scored(moves_on=bool(score))

    def action_not_applicable(self) -> None:
        if not self.criteria or not self.current.live_only:
            return
        self.rows[self.cursor].set_score(None, not_applicable=True)
        self._scored(moves_on=True)

    def _scored(self, *, moves_on: bool) -> None:
        self.post_message(self.Changed(self.scores))
        if moves_on and self.cursor < len(self.criteria) - 1:
            self.cursor += 1
        else:
            self.post_message(self.Moved(self.current))  # the anchors show the new score

    def point_at(self, criterion_id: str) -> None:
        """Put the cursor on a criterion (one left unscored) and focus the list."""
        for row in self.rows:
            if row.criterion.id == criterion_id:
                self.cursor = row.index
        self.focus()

"""An objection, question or pitch drill: the buyer's line, the rep's answer (typed or
spoken) against the clock, then the model answer beside the rep's own (and, for a written
drill, the words of each against its word limit)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static, TextArea

from drillcoach.content.models import word_count
from drillcoach.text import previous_line, words_text
from drillcoach.tui.screens.item import ItemScreen
from drillcoach.tui.widgets.plain import Plain

PROMPT_TITLES = {
    "objection": "The buyer says",
    "question": "The buyer",
    "pitch": "Your turn",
    "written": "Write",
}


class DrillScreen(ItemScreen):
    CSS_PATH = ["item.tcss", "drill.tcss"]
    HIDDEN_ON_REVEAL: ClassVar[tuple[str, ...]] = ("#context", "#answer", "#spoken-note")
    PROMPT_LINES_REVEALED = 5  # the buyer's line, shorter beside the model answer
    _earlier = False  # the comparison shows the last attempt, or the manager's rating

    def show_revealed(self) -> None:
        super().show_revealed()
        self.query_one("#prompt").styles.max_height = self.PROMPT_LINES_REVEALED

    def compose_answer(self) -> ComposeResult:
        prompt = Plain(self.drill.prompt, id="prompt")
        prompt.border_title = PROMPT_TITLES.get(self.drill.kind, "Prompt")
        yield prompt
        answer = TextArea(id="answer", soft_wrap=True, show_line_numbers=False)
        answer.border_title = f"Your answer ({'written' if self.drill.is_written else 'typed'})"
        answer.border_subtitle = "esc leaves the box · ctrl+r reveals"
        yield answer
        if self.drill.is_written:
            return  # never said aloud
        yield Static(
            "Say your answer out loud now - the clock is running.\n"
            "Press space (or ctrl+r) to reveal the model answer. t switches to typing.",
            id="spoken-note",
        )

    def answer_widget(self) -> Widget | None:
        return self.query_one("#answer", TextArea) if self.mode == "typed" else None

    def typed_answer(self) -> str:
        return self.query_one("#answer", TextArea).text.strip()

    def answer_payload(self) -> tuple[str | None, tuple[str, ...]]:
        return (self.typed_answer() or None) if self.mode == "typed" else None, ()

    def review_text(self) -> str:
        return self.typed_answer() if self.mode == "typed" else ""

    def compose_comparison(self) -> Iterable[Widget]:
        """The model answer on the left; the rep's answer (typed: filled on reveal) and the
        last attempt beside it."""
        model = Plain(self.drill.model_answer or "(this drill has no model answer)", id="model")
        model.border_title = self._with_words("Model answer", self.drill.model_answer)
        mine: list[Widget] = [Plain("", id="mine")]
        previous = self.previous_review()
        manager = self.manager_line()
        if previous is not None:
            when = previous_line(previous, self.services.scheduler.days.tz)
            lines = [when, *([manager] if manager else []), previous.answer or "(said aloud)"]
            earlier = Plain("\n".join(lines), id="previous")
            earlier.border_title = "Last time"
            mine.append(earlier)
        elif manager is not None:
            rated = Plain(manager, id="previous")
            rated.border_title = "Last rated"
            mine.append(rated)
        self._earlier = len(mine) > 1
        # with nothing beside it (the column hidden), the model answer has the whole width
        yield Horizontal(model, Vertical(*mine, id="mine-column"), id="side-by-side")

    def update_comparison(self) -> None:
        typed = self.mode == "typed"
        answer = self.query_one("#mine", Plain)
        answer.display = typed
        if typed:
            answer.update(self.typed_answer() or "(nothing typed)")
            answer.border_title = self._with_words("Your answer", self.typed_answer())
        else:
            self.query_one("#model").border_subtitle = "you answered aloud: how close were you?"
        self.query_one("#mine-column").display = typed or self._earlier

    def _with_words(self, title: str, text: str) -> str:
        """A box's title, with the words of ``text`` against a written drill's word limit
        (on the top border, so they are in sight without scrolling)."""
        limit = self.drill.word_limit
        return f"{title} · {words_text(word_count(text), limit)}" if limit and text else title

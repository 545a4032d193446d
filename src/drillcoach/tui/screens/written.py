"""A written drill: an email or message the rep types (never says aloud), its words
counted live against the word limit beside the timer; on reveal, the model answer beside
the rep's as for the other drills."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import TextArea

from drillcoach.tui.screens.drill import DrillScreen
from drillcoach.tui.widgets.word_count import WordCount


class WrittenScreen(DrillScreen):
    """An email or message: typed whatever the rep's answer mode, its words counted live
    against the word limit beside the timer."""

    CSS_PATH = ["item.tcss", "drill.tcss", "written.tcss"]
    # after reveal the model email needs the room more than the instruction does
    HIDDEN_ON_REVEAL = (*DrillScreen.HIDDEN_ON_REVEAL, "#prompt")

    def compose_meters(self) -> ComposeResult:
        yield WordCount(self.drill.word_limit or 0, id="words")

    @on(TextArea.Changed, "#answer")
    def _typed(self, event: TextArea.Changed) -> None:
        self.query_one(WordCount).count(event.text_area.text)

    def words_over(self) -> bool:
        return self.query_one(WordCount).over

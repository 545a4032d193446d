"""A written answer's words against the drill's word limit, live while the rep types, in
a warning color once over it."""

from __future__ import annotations

from textual.widgets import Static

from drillcoach.content.models import word_count
from drillcoach.text import words_text


class WordCount(Static):
    """'83 / 150 words'; the screen calls ``count`` with the text as it changes."""

    DEFAULT_CSS = """
    WordCount {
        width: auto;
        padding: 0 1;
    }
    WordCount.-over {
        color: $text-warning;
        background: $warning-muted;
        text-style: bold;
    }
    """

    def __init__(self, limit: int, *, id: str | None = None) -> None:
        super().__init__(words_text(0, limit), id=id)
        self.limit = limit
        self.words = 0

    def count(self, text: str) -> None:
        """Show how many words ``text`` holds."""
        words = word_count(text)
        if words != self.words:
            self.words = words
            self.set_class(words > self.limit, "-over")
            self.update(words_text(words, self.limit))

    @property
    def over(self) -> bool:
        return self.words > self.limit

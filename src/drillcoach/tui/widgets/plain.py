"""Text from packs and from the rep, shown exactly as written."""

from __future__ import annotations

from textual.widgets import Static


class Plain(Static):
    """A Static that never parses its text as markup: a drill saying "[x]" or a rep
    named "[b]en" must show as typed."""

    def __init__(self, content: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(content, markup=False, id=id, classes=classes)

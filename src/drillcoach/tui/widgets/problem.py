"""The line above the footer that says why something was not saved; hidden until then."""

from __future__ import annotations

from drillcoach.tui.widgets.plain import Plain


class ProblemLine(Plain):
    """Shows one problem (a form's mistake, a write the machine refused) with the bell,
    until ``clear`` or the next one; what was typed stays for another try."""

    DEFAULT_CSS = """
    ProblemLine {
        display: none;
        height: auto;
        padding: 0 1;
        color: $text-error;
        background: $error-muted;
    }
    ProblemLine.-shown {
        display: block;
    }
    """

    def __init__(self) -> None:
        super().__init__("", id="problem")

    def tell(self, problem: str) -> None:
        self.update(problem)
        self.add_class("-shown")
        self.app.bell()

    def clear(self) -> None:
        self.remove_class("-shown")

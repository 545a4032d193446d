"""How long CLI work says how far it is (cli/progress.py): plain lines when stderr is not
a terminal, a Rich bar when it is, nothing with --quiet."""

from __future__ import annotations

import io

from drillcoach.cli.progress import reporting


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as a real one does."""

    def isatty(self) -> bool:
        return True


def test_plain_lines_say_a_long_step_at_each_tenth_and_at_its_end() -> None:
    out = io.StringIO()
    with reporting(out=out) as progress:
        progress("writing your events")  # not counted: only with --verbose
        progress("checking every card")
        for done in range(1, 100):  # too short to be worth a line
            progress("checking every card", done, 99)
        for done in range(1, 251):
            progress("updating the cards of 250 rep(s)", done, 250)
    said = out.getvalue().splitlines()
    assert said == [f"  updating the cards of 250 rep(s): {n} of 250"
                    for n in (25, 50, 75, 100, 125, 150, 175, 200, 225, 250)]  # fmt: skip


def test_verbose_plain_lines_say_each_step_once() -> None:
    out = io.StringIO()
    with reporting(verbose=True, out=out) as progress:
        progress("writing your events")
        for files in range(1, 4):
            progress("reading the team's events", files)  # counted, total unknown
        progress("pushing your events")
    assert out.getvalue().splitlines() == [
        "  writing your events...",
        "  reading the team's events...",
        "  pushing your events...",
    ]


def test_quiet_says_nothing_even_on_a_terminal() -> None:
    out = Terminal()
    with reporting(quiet=True, verbose=True, out=out) as progress:
        progress("updating the cards of 2 rep(s)", 1, 2)
    assert out.getvalue() == ""


def test_a_terminal_gets_a_bar_that_is_cleared_when_done() -> None:
    out = Terminal()
    with reporting(out=out) as progress:
        progress("updating the cards of 4 rep(s)")
        for done in range(1, 5):
            progress("updating the cards of 4 rep(s)", done, 4)
    drawn = out.getvalue()
    assert "updating the cards of 4 rep(s)" in drawn
    assert "4/4" in drawn  # how far, as the bar's count
    assert "\x1b[?25h" in drawn  # the cursor shown again
    assert drawn.endswith("\x1b[1A\x1b[2K")  # and the bar's line erased: nothing left behind

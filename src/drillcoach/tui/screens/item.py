"""What every drill screen shares: the top bar and timer, reveal, the key-point checklist,
rating, undo, suspend, bury and leaving. DrillScreen and RoleplayScreen fill in how the
rep answers and what the answer is compared with."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from drillcoach.content import Drill
from drillcoach.events import (
    ANSWER_MODES,
    AnswerMode,
    Rating,
    ReviewRequest,
    SelfRating,
)
from drillcoach.scheduling.queue import QueueItem
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import RATING_NAMES, suggest_rating, time_limit
from drillcoach.scheduling.session import Session
from drillcoach.services import Services
from drillcoach.team.feedback import ask_review
from drillcoach.team.workspace import Membership
from drillcoach.text import manager_beside_line
from drillcoach.tui.memory import collect_now
from drillcoach.tui.messages import (
    DrillOutcome,
    DrillRated,
    DrillSetAside,
    RatingUndone,
    SessionLeft,
)
from drillcoach.tui.screens.ask import AskScreen
from drillcoach.tui.team import manager_name
from drillcoach.tui.widgets.checklist import Checklist
from drillcoach.tui.widgets.countdown import Countdown
from drillcoach.tui.widgets.keys import KeyFooter
from drillcoach.tui.widgets.plain import Plain
from drillcoach.tui.widgets.problem import ProblemLine
from drillcoach.tui.widgets.rating_bar import RatingBar
from drillcoach.tui.writes import attempt, saved

KEY_POINTS_TITLE = "Key points - tick the ones you hit (up/down, space)"
KIND_LABELS = {
    "objection": "OBJECTION",
    "question": "QUESTION",
    "pitch": "PITCH",
    "roleplay": "ROLE-PLAY",
    "written": "WRITTEN",
}


class ItemScreen(Screen[DrillOutcome]):
    """One drill of a session. Closes with what happened; ratings are stored first."""

    AUTO_FOCUS = ""  # action_focus_answer() decides: the answer box, or nothing in spoken mode
    # What reveal hides and shows. Set on those widgets, not by a class on the screen: a
    # screen's class restyles every widget on it (a third of a reveal's work, measured)
    HIDDEN_ON_REVEAL: ClassVar[tuple[str, ...]] = ("#context",)
    SHOWN_ON_REVEAL: ClassVar[tuple[str, ...]] = ("#revealed", "#ratings")
    BINDINGS = [
        Binding("ctrl+r", "reveal", "Reveal", priority=True,
                tooltip="Reveal the model answer and key points (works inside the box too)"),
        Binding("space", "reveal", "Reveal", show=False,
                tooltip="Reveal (outside the answer box)"),
        Binding("escape", "leave_box", "Leave box", priority=True,
                tooltip="Leave the answer box so single keys work"),
        Binding("escape", "leave", "Leave", priority=True,
                tooltip="Leave the session; everything rated is saved, the rest stays due"),
        Binding("i", "focus_answer", "Answer", show=False,
                tooltip="Back into the answer box (tab too)"),
        Binding("t", "mode('spoken')", "Spoken",
                tooltip="Say the answer aloud instead of typing; only the timer runs"),
        Binding("t", "mode('typed')", "Typed", tooltip="Type the answer in the box"),
        Binding("u", "undo", "Undo",
                tooltip="Take back the last rating; that drill comes back first"),
        Binding("s", "set_aside('suspend')", "Suspend",
                tooltip="Take this drill out of your queue until you unsuspend it"),
        Binding("b", "set_aside('bury')", "Bury", tooltip="Skip this drill until tomorrow"),
        Binding("enter", "rate_suggested", "Suggested",
                tooltip="Accept the highlighted rating"),
        # not in the footer, which has no room left after a reveal: the key points' title
        # says it instead, while it applies
        Binding("a", "ask", "Ask manager", show=False,
                tooltip="Ask your manager to review this answer (it goes at your next sync)"),
        Binding("1", "rate(1)", "Again", show=False, tooltip="Rate Again: you missed it"),
        Binding("2", "rate(2)", "Hard", show=False, tooltip="Rate Hard: got there, with effort"),
        Binding("3", "rate(3)", "Good", show=False, tooltip="Rate Good: solid answer"),
        Binding("4", "rate(4)", "Easy", show=False, tooltip="Rate Easy: nailed it, in time"),
        Binding("pageup", "scroll_compare(-1)", "Scroll up", show=False,
                tooltip="Scroll the model answer up"),
        Binding("pagedown", "scroll_compare(1)", "Scroll down", show=False,
                tooltip="Scroll the model answer down"),
    ]  # fmt: skip

    def __init__(
        self, services: Services, session: Session, item: QueueItem, mine: Membership | None
    ) -> None:
        super().__init__()
        self.services = services
        self.session = session
        self.item = item
        self.drill: Drill = item.drill
        self.revealed = False
        self.seconds = 0.0
        self.suggested = 1
        self.intervals: Mapping[Rating, timedelta] = {}
        # the rep's mode is kept for the next drill; a written drill is typed, and keeps it
        self.mode: AnswerMode = "typed" if self.drill.is_written else services.prefs.answer_mode()
        self.mine = mine  # me in the workspace, read once for the session
        self.manager = manager_name(self.mine)  # None: no manager to ask for a review
        self.asked: ReviewRequest | None = None  # this attempt, sent for review
        self._asking = False
        self._building = asyncio.Lock()  # what reveal shows is mounted once (build_reveal)
        self._built = False
        self._shown = False  # painted once (on_screen_resume)

    # --- what subclasses provide

    def compose_answer(self) -> ComposeResult:
        """Widgets for answering, shown until reveal."""
        raise NotImplementedError

    def compose_comparison(self) -> Iterable[Widget]:
        """Widgets comparing the rep's answer with the model: built before the reveal
        and hidden, so a reveal only shows them (mounting them at the reveal took a
        second layout before the model answer could paint)."""
        raise NotImplementedError

    def update_comparison(self) -> None:
        """On reveal: what the comparison says of the rep's own answer."""
        raise NotImplementedError

    def answer_widget(self) -> Widget | None:
        """The box the rep types into, or None in spoken mode."""
        raise NotImplementedError

    def answer_payload(self) -> tuple[str | None, tuple[str, ...]]:
        """(typed answer, role-play replies) to store with the rating."""
        raise NotImplementedError

    def review_text(self) -> str:
        """What was typed, to send for review; empty when the rep answered aloud."""
        raise NotImplementedError

    def compose_meters(self) -> ComposeResult:
        """Anything measured live beside the timer in the top bar (nothing by default)."""
        yield from ()

    # --- layout

    def compose(self) -> ComposeResult:
        library = self.services.library
        skill = library.skills.get(self.drill.skill)
        with Horizontal(id="bar"):
            yield Static(f" {KIND_LABELS[self.drill.kind]} ", id="badge", classes=self.drill.kind)
            where = " · ".join(
                part
                for part in (skill.title if skill else self.drill.skill, self.drill.title)
                if part
            )
            yield Plain(where, id="where")
            yield Static(self._left_text(), id="left")
            yield from self.compose_meters()
            yield Countdown(self.services.scheduler.clock, self._limit(), id="timer")
        context = [text for text in (self.drill.persona, self.drill.situation) if text]
        if self.item.state.is_leech:
            context.append(
                f"Leech: lapsed {self.item.state.lapses} times - a good one to bring to your coach."
            )
        yield Plain("\n".join(context), id="context", classes="" if context else "-empty")
        yield from self.compose_answer()
        # the comparison, the key points and the rating buttons: hidden until reveal, so
        # built once the drill is on screen (build_reveal), not before its first paint
        yield Vertical(id="revealed")
        yield ProblemLine()
        # ctrl+p still opens the palette; the footer's room goes to the drill's own keys
        yield KeyFooter(show_command_palette=False)

    def _left_text(self) -> str:
        left = self.session.remaining
        return f"{left} left" if left != 1 else "last one"

    def on_mount(self) -> None:
        self.set_class(self.mode == "spoken", "-spoken")
        self.action_focus_answer()

    def on_screen_resume(self) -> None:
        if not self._shown:
            # Screen's own handler, after this one, lays the drill out and paints it; what
            # can wait runs after that paint, while the rep reads
            self._shown = True
            self.call_after_refresh(self._after_first_paint)

    async def _after_first_paint(self) -> None:
        await self.build_reveal()
        if not self.revealed:  # else the rep is already at it: the next drill collects
            collect_now(self.app)  # the drills before this one are garbage now (cycles)

    async def build_reveal(self) -> None:
        """Mount what reveal shows, hidden, once: right after the drill is painted, while
        the rep reads it (or at a reveal in the drill's first frame)."""
        async with self._building:
            if self._built or not self.is_attached:
                return
            await self.query_one("#revealed", Vertical).mount(
                VerticalScroll(*self.compose_comparison(), id="compare"),
                Vertical(
                    Static(KEY_POINTS_TITLE, id="kp-title"),
                    Checklist(self.drill.key_points, id="checklist"),
                    id="keypoints",
                ),
            )
            await self.mount(RatingBar(id="ratings"), after=self.query_one(ProblemLine))
            self._built = True

    def action_focus_answer(self) -> None:
        """Into the answer box in typed mode; otherwise nothing has focus, so keys act."""
        widget = self.answer_widget()
        if widget is not None and not self.revealed:
            widget.focus()
        else:
            self.set_focus(None)

    # --- which keys apply now

    def _in_answer_box(self) -> bool:
        return isinstance(self.focused, TextArea | Input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reveal":
            return not self.revealed
        if action == "leave_box":
            return self._in_answer_box()
        if action == "leave":
            return not self._in_answer_box()
        if action == "focus_answer":
            return self.mode == "typed" and not self.revealed and not self._in_answer_box()
        if action == "mode":
            return not self.drill.is_written and not self.revealed and parameters[0] != self.mode
        if action == "undo":
            return bool(self.session.rated)
        if action in ("rate", "rate_suggested", "scroll_compare"):
            return self.revealed
        if action == "ask":
            return (
                self.revealed and self.manager is not None and self.asked is None
                and not self._asking
            )  # fmt: skip
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    # --- actions

    def action_leave_box(self) -> None:
        self.set_focus(None)
        self.refresh_bindings()

    def action_leave(self) -> None:
        self.dismiss(SessionLeft())

    def action_mode(self, mode: str) -> None:
        chosen = next((known for known in ANSWER_MODES if known == mode), None)
        if self.drill.is_written or self.revealed or chosen is None or chosen == self.mode:
            return
        if not saved(lambda: self.services.prefs.set_answer_mode(chosen), self.tell):
            return
        self.mode = chosen
        self.set_class(mode == "spoken", "-spoken")
        self.action_focus_answer()
        self.refresh_bindings()

    async def action_reveal(self) -> None:
        if self.revealed:
            return
        self.seconds = self.query_one(Countdown).stop()
        self.revealed = True
        await self.build_reveal()  # built already, unless the key came in the first frame
        self.update_comparison()
        self.show_revealed()
        # the intervals depend on the moment of reveal, not on the ticks: compute them once
        self.intervals = self.services.scheduler.preview(self.item.state)
        self._update_suggestion(())
        self.query_one(Checklist).focus()
        self._show_ask()
        self.refresh_bindings()

    def show_revealed(self) -> None:
        """Hide what answering needed and show the comparison, the key points and the
        ratings."""
        for selector in self.HIDDEN_ON_REVEAL:
            for widget in self.query(selector):
                widget.display = False
        for selector in self.SHOWN_ON_REVEAL:
            self.query_one(selector).display = True

    def _show_ask(self) -> None:
        """Say beside the key points that ``a`` asks the manager for a review, or that it did."""
        if self.manager is None:
            return
        hint = " · sent for review" if self.asked else " · a: ask manager"
        self.query_one("#kp-title", Static).update(KEY_POINTS_TITLE + hint)

    def previous_review(self) -> SelfRating | None:
        return self.services.scheduler.previous_answer(self.drill)

    def manager_line(self) -> str | None:
        """'Your manager: Good, 4.2 - "note"' when a manager has rated this drill."""
        rating = self.services.scheduler.previous_manager_rating(self.drill)
        return manager_beside_line(rating) if rating is not None else None

    def _limit(self) -> int | None:
        return time_limit(self.drill, self.services.config.default_time_limit)

    def words_over(self) -> bool:
        """Whether the answer ran over the drill's word limit (only a written one has one)."""
        return False

    def _update_suggestion(self, ticked: tuple[int, ...]) -> None:
        self.suggested = suggest_rating(
            len(ticked), len(self.drill.key_points), self.seconds, self._limit(),
            words_over=self.words_over(),
        )  # fmt: skip
        self.query_one(RatingBar).show(self.intervals, self.suggested)

    @on(Checklist.Changed)
    def _ticked(self, event: Checklist.Changed) -> None:
        self._update_suggestion(event.ticked)

    @on(RatingBar.Chosen)
    def _chosen(self, event: RatingBar.Chosen) -> None:
        self.action_rate(event.rating)

    def action_rate(self, rating: int) -> None:
        if not self.revealed:
            return
        answer, replies = self.answer_payload()
        answer_given = Attempt(
            duration_ms=int(self.seconds * 1000),
            key_points_hit=self.query_one(Checklist).ticked,
            suggested=self.suggested,
            mode=self.mode,
            answer=answer,
            replies=replies,
        )
        rated = attempt(lambda: self.session.record(rating, answer_given), self.tell)
        if rated is not None:  # else the answer and the ticks stay for another try
            self.dismiss(DrillRated(rated))

    def action_rate_suggested(self) -> None:
        self.action_rate(self.suggested)

    def action_ask(self) -> None:
        """Send this attempt to my manager for review: the typed answer, or a few lines
        the rep writes about what they said aloud. Once per attempt."""
        if self.asked is not None:
            self.notify(f"Already sent to {self.manager} for review.", timeout=3)
            return
        if not self.revealed or self.manager is None or self._asking:
            return
        typed = self.review_text()
        if typed:
            self._send_for_review(typed)
            return
        self._asking = True
        self.refresh_bindings()
        self.app.push_screen(AskScreen(self.manager), self._asked)

    def _asked(self, said: str | None) -> None:
        self._asking = False
        if said:
            self._send_for_review(said)
        self.refresh_bindings()

    def _send_for_review(self, answer: str) -> None:
        mine, drill = self.mine, self.drill
        assert mine is not None
        request = attempt(
            lambda: ask_review(
                self.services.store, mine, drill, answer, at=self.services.scheduler.clock(),
                mode=self.mode, key_points_hit=self.query_one(Checklist).ticked,
            ),
            self.tell,
        )  # fmt: skip
        if request is None:
            return
        self.asked = request
        self._show_ask()
        self.notify(f"Sent to {self.manager} for review; it leaves at your next sync.", timeout=5)
        self.refresh_bindings()

    def action_undo(self) -> None:
        if attempt(self.session.undo, self.tell) is not None:
            self.dismiss(RatingUndone())

    def action_set_aside(self, action: Literal["suspend", "bury"]) -> None:
        item = attempt(lambda: self.session.skip_current(action), self.tell)
        if item is not None:
            what = "Suspended" if action == "suspend" else "Buried until tomorrow"
            self.notify(f"{what}: {item.drill.title}", timeout=3)
            self.dismiss(DrillSetAside(item, action))

    def tell(self, problem: str) -> None:
        """Show why a write failed, in the line above the ratings, until the next try."""
        self.query_one(ProblemLine).tell(problem)

    def action_scroll_compare(self, direction: int) -> None:
        compare = self.query_one("#compare", VerticalScroll)
        if direction < 0:
            compare.scroll_page_up()
        else:
            compare.scroll_page_down()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Every drill action, for the command palette."""
        entries = [
            ("Reveal", "Show the model answer and the key points", "reveal", ()),
            ("Typed answer", "Type the answer in the box", "mode", ("typed",)),
            ("Spoken answer", "Say the answer aloud; only the timer runs", "mode", ("spoken",)),
            ("Undo last rating", "Take back the last rating; that drill comes back", "undo", ()),
            ("Suspend drill", "Take this drill out of the queue until unsuspended",
             "set_aside", ("suspend",)),
            ("Bury drill", "Skip this drill until tomorrow", "set_aside", ("bury",)),
            ("Rate suggested", "Accept the highlighted rating", "rate_suggested", ()),
            ("Ask manager", "Send this answer to your manager for review", "ask", ()),
            *[(f"Rate {name}", f"Rate this drill {name} ({rating})", "rate", (rating,))
              for rating, name in RATING_NAMES.items()],
            ("Leave session", "Back to Today; everything rated is saved", "leave", ()),
        ]  # fmt: skip
        for title, help_text, action, parameters in entries:
            if self.check_action(action, parameters) is False and action != "leave":
                continue
            method = getattr(self, f"action_{action}")
            yield SystemCommand(title, help_text, lambda m=method, p=parameters: m(*p))

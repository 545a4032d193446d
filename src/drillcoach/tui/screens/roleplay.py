"""A role-play: the buyer's lines one at a time, the rep's replies in between, then each
reply beside the model reply."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Static

from drillcoach.scheduling.queue import QueueItem
from drillcoach.scheduling.session import Session
from drillcoach.services import Services
from drillcoach.team.workspace import Membership
from drillcoach.text import previous_line
from drillcoach.tui.screens.item import ItemScreen
from drillcoach.tui.widgets.plain import Plain


class RoleplayScreen(ItemScreen):
    CSS_PATH = ["item.tcss", "roleplay.tcss"]
    HIDDEN_ON_REVEAL: ClassVar[tuple[str, ...]] = (
        "#context",
        "#transcript",
        "#reply",
        "#spoken-note",
    )
    # A subclass's binding replaces the base class's for the same key, so both enters are here.
    BINDINGS = [
        Binding("enter", "next_turn", "Next line"),
        Binding("enter", "rate_suggested", "Suggested", tooltip="Accept the highlighted rating"),
    ]

    def __init__(
        self, services: Services, session: Session, item: QueueItem, mine: Membership | None
    ) -> None:
        super().__init__(services, session, item, mine)
        self.replies: list[str] = []

    @property
    def turn_count(self) -> int:
        return len(self.drill.turns)

    def compose_answer(self) -> ComposeResult:
        with VerticalScroll(id="transcript"):
            yield self._buyer_line(0)
        reply = Input(placeholder="Your reply - enter sends it", id="reply")
        yield reply
        yield Static(
            "Say your reply out loud, then press enter for the buyer's next line.",
            id="spoken-note",
        )

    def _buyer_line(self, index: int) -> Static:
        line = Plain(self.drill.turns[index].buyer, classes="buyer")
        line.border_title = f"Buyer - turn {index + 1} of {self.turn_count}"
        return line

    def answer_widget(self) -> Widget | None:
        return self.query_one("#reply", Input) if self.mode == "typed" else None

    def answer_payload(self) -> tuple[str | None, tuple[str, ...]]:
        return None, tuple(self.replies)

    def review_text(self) -> str:
        """The typed replies, one per buyer line; empty when they were said aloud."""
        if self.mode != "typed" or not any(self.replies):
            return ""
        lines = (f"{n}. {reply or '(said aloud)'}" for n, reply in enumerate(self.replies, 1))
        return "\n".join(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_turn":
            return not self.revealed and self.mode == "spoken"
        return super().check_action(action, parameters)

    @on(Input.Submitted, "#reply")
    async def _sent(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.notify("Type your reply first, or press t to say it aloud.", timeout=3)
            return
        event.input.clear()
        await self._answered(text)

    async def action_reveal(self) -> None:
        """Revealing early keeps a reply typed but not yet sent."""
        pending = self.query_one("#reply", Input)
        if not self.revealed and self.mode == "typed" and pending.value.strip():
            self.replies.append(pending.value.strip())
            pending.clear()
        await super().action_reveal()

    async def action_next_turn(self) -> None:
        if not self.revealed:
            await self._answered("")

    async def _answered(self, reply: str) -> None:
        """Record the rep's reply to the current buyer line and show the next one."""
        self.replies.append(reply)
        transcript = self.query_one("#transcript", VerticalScroll)
        mine = Plain(reply or "(said aloud)", classes="rep")
        mine.border_title = "You"
        transcript.mount(mine)
        if len(self.replies) >= self.turn_count:
            await self.action_reveal()
            return
        transcript.mount(self._buyer_line(len(self.replies)))
        transcript.scroll_end(animate=False)

    def update_comparison(self) -> None:
        """Each reply beside its buyer line and the model reply."""
        for index in range(self.turn_count):
            said = self.replies[index] if index < len(self.replies) else ""
            if not said:
                said = "(said aloud)" if index < len(self.replies) else "(no reply)"
            self.query_one(f"#said-{index}", Plain).update(said)

    def compose_comparison(self) -> Iterable[Widget]:
        for index, turn in enumerate(self.drill.turns):
            buyer = Plain(turn.buyer, classes="buyer")
            buyer.border_title = f"Buyer - turn {index + 1}"
            mine = Plain("", id=f"said-{index}", classes="rep")  # filled on reveal
            mine.border_title = "You"
            model = Plain(turn.model or "(no model reply)", classes="model")
            model.border_title = "Model"
            yield Vertical(buyer, Horizontal(mine, model, classes="pair"), classes="turn")
        previous = self.previous_review()
        manager = self.manager_line()
        if previous is not None:
            replies = [f"{n}. {r or '(said aloud)'}" for n, r in enumerate(previous.replies, 1)]
            when = previous_line(previous, self.services.scheduler.days.tz)
            earlier = Plain("\n".join([when, *([manager] if manager else []), *replies]),
                            id="previous")  # fmt: skip
            earlier.border_title = "Last time"
            yield earlier
        elif manager is not None:
            rated = Plain(manager, id="previous")
            rated.border_title = "Last rated"
            yield rated

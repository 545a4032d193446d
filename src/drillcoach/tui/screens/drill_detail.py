"""Read one drill in full: situation, prompt or turns, key points and model answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from drillcoach.content import Drill, Library


def drill_text(library: Library, drill: Drill) -> str:
    """The whole drill as Rich markup-free text blocks, in the order a rep reads them."""
    skill = library.skills.get(drill.skill)
    blocks = [f"{drill.title}\n{drill.kind} · {skill.title if skill else drill.skill}"]
    if drill.persona:
        blocks.append(f"Persona: {drill.persona}")
    if drill.situation:
        blocks.append(f"Situation: {drill.situation}")
    if drill.prompt:
        blocks.append(f"Prompt: {drill.prompt}")
    for number, turn in enumerate(drill.turns, 1):
        model = f"\n  Model: {turn.model}" if turn.model else ""
        blocks.append(f"Turn {number}. Buyer: {turn.buyer}{model}")
    blocks.append("Key points:\n" + "\n".join(f"  - {point}" for point in drill.key_points))
    if drill.model_answer:
        blocks.append(f"Model answer:\n{drill.model_answer}")
    limits = []
    if drill.word_limit:
        limits.append(f"Word limit: {drill.word_limit} words (typed only)")
    if drill.time_limit:
        limits.append(f"Time limit: {drill.time_limit} seconds")
    if limits:
        blocks.append("\n".join(limits))
    return "\n\n".join(blocks)


class DrillDetailScreen(ModalScreen[None]):
    CSS_PATH = "drill_detail.tcss"
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, library: Library, drill: Drill) -> None:
        super().__init__()
        self.library = library
        self.drill = drill

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail") as scroll:
            scroll.border_title = self.drill.uid
            yield Static(drill_text(self.library, self.drill), markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail").focus()

    def action_close(self) -> None:
        self.dismiss(None)

"""Making a commitment in the TUI: its kind, the number, pack or date that kind needs, the
rep's words and why it matters to them (their vision's why offered first). ctrl+s checks
it with the same checks as ``drillcoach commitments add`` and saves it, committed before
the form closes. Closes with the commitment saved, or None."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static

from drillcoach.coaching.commitments import (
    KIND_LABELS,
    NUMBER_RANGE,
    CommitmentError,
    add_commitment,
    commitment_title,
    default_motivation,
    make_commitment,
    parse_due,
)
from drillcoach.events import COMMITMENT_KINDS, MAX_NOTE, Commitment, CommitmentKind
from drillcoach.services import Services
from drillcoach.tui.widgets.problem import ProblemLine
from drillcoach.tui.writes import attempt

INTRO = "Something concrete you will do, and why it matters to you."
NUMBER_LABELS: dict[CommitmentKind, str] = {
    "drill-days": "Days a week",
    "debrief-calls": "Calls a week",
    "manager-ratings": "Role-plays",
}
DUE_LABELS: dict[CommitmentKind, str] = {
    "finish-pack": "Finish by",
    "own": "By (optional)",
}
NUMBER_DEFAULTS: dict[CommitmentKind, str] = {
    "drill-days": "4",
    "debrief-calls": "2",
    "manager-ratings": "2",
}
FIELDS = ("kind", "number", "pack", "due", "text", "motivation")


class CommitmentFormScreen(Screen[Commitment | None]):
    CSS_PATH = "commitment_form.tcss"
    HELP_TEXT = (
        "Pick what kind of commitment it is: drillcoach checks drilling days, finishing a "
        "pack, debriefs and role-plays rated by your manager by itself; one of your own you "
        "tick off yourself (x on the list). Give the number, pack or date it needs, say it "
        "in your words if you like, and why it matters to you - your vision's why is "
        "offered. tab moves between the fields, ctrl+s saves, escape leaves without saving."
    )
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="Check it and save it"),
        Binding("escape", "cancel", "Cancel", tooltip="Leave without saving"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.rep = services.scheduler.rep
        self.number_kind: CommitmentKind = "drill-days"  # whose default the number box holds

    def compose(self) -> ComposeResult:
        library = self.services.library
        yield Static("New commitment", id="heading")
        with VerticalScroll(id="form"):
            yield Static(INTRO, id="intro")
            with Horizontal(classes="row", id="kind-row"):
                yield Label("Kind", classes="label")
                yield Select(
                    [(KIND_LABELS[kind], kind) for kind in COMMITMENT_KINDS],
                    value="drill-days", allow_blank=False, id="kind",
                )  # fmt: skip
            with Horizontal(classes="row", id="number-row"):
                yield Label(NUMBER_LABELS["drill-days"], classes="label", id="number-label")
                yield Input(NUMBER_DEFAULTS["drill-days"], type="integer", max_length=2,
                            id="number")  # fmt: skip
            with Horizontal(classes="row", id="pack-row"):
                yield Label("Pack", classes="label")
                yield Select(
                    [(f"{pack.title} ({pack.id})", pack.id) for pack in library.packs.values()],
                    prompt="Choose a pack", id="pack",
                )  # fmt: skip
            with Horizontal(classes="row", id="due-row"):
                yield Label("Finish by", classes="label", id="due-label")
                yield Input(placeholder="a date like 2026-03-31", max_length=10, id="due")
            with Horizontal(classes="row"):
                yield Label("In your words", classes="label")
                yield Input(max_length=MAX_NOTE, id="text")
            with Horizontal(classes="row"):
                yield Label("Why it matters", classes="label")
                yield Input(
                    default_motivation(self.services.store, self.rep), max_length=MAX_NOTE,
                    placeholder="why it matters to you: a line of your vision", id="motivation",
                )  # fmt: skip
        yield ProblemLine()
        yield Footer()

    def on_mount(self) -> None:
        self._fit_kind()
        self.query_one("#kind", Select).focus()

    # --- the fields the kind needs

    def kind(self) -> CommitmentKind:
        value = self.query_one("#kind", Select).value
        return next((kind for kind in COMMITMENT_KINDS if kind == value), "drill-days")

    @on(Select.Changed, "#kind")
    @on(Input.Changed, "#number")
    @on(Select.Changed, "#pack")
    def _fit_kind(self) -> None:
        kind = self.kind()
        self.query_one("#number-row").display = kind in NUMBER_RANGE
        self.query_one("#pack-row").display = kind == "finish-pack"
        self.query_one("#due-row").display = kind != "manager-ratings"
        if kind in NUMBER_LABELS:
            self.query_one("#number-label", Label).update(NUMBER_LABELS[kind])
            number = self.query_one("#number", Input)
            if kind != self.number_kind and number.value == NUMBER_DEFAULTS[self.number_kind]:
                number.value = NUMBER_DEFAULTS[kind]  # the rep left the default: this kind's
            self.number_kind = kind
        due = DUE_LABELS.get(kind, "Until (optional)")
        self.query_one("#due-label", Label).update(due)
        text = self.query_one("#text", Input)
        if kind == "own":
            text.placeholder = "what you will do, like: book a ride-along with Maria"
        else:
            text.placeholder = f"optional; else: {self._title(kind)}"

    def _title(self, kind: CommitmentKind) -> str:
        number = self._number()
        pack = self.query_one("#pack", Select).value
        sample = Commitment(
            by=self.rep, at=self.services.clock(), kind=kind, text="",
            number=number if isinstance(number, int) else 0,
            pack=pack if isinstance(pack, str) else "the pack",
        )  # fmt: skip
        return commitment_title(sample, self.services.library)

    def _number(self) -> int | str | None:
        text = self.query_one("#number", Input).value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            return text

    # --- saving

    def tell(self, problem: str) -> None:
        self.query_one(ProblemLine).tell(problem)

    def _label(self, field: str) -> str:
        kind = self.kind()
        labels = {
            "kind": "Kind",
            "number": NUMBER_LABELS.get(kind, "Number"),
            "pack": "Pack",
            "due": DUE_LABELS.get(kind, "Until"),
            "text": "In your words",
            "motivation": "Why it matters",
        }
        return labels.get(field, field).removesuffix(" (optional)")

    def _refuse(self, field: str, expected: str) -> None:
        self.tell(f"Not saved: {self._label(field)}: {expected}")
        if field in FIELDS:
            self.query_one(f"#{field}").focus()

    @on(Input.Submitted, "#motivation")
    def action_save(self) -> None:
        kind = self.kind()
        number = self._number() if kind in NUMBER_RANGE else None
        if isinstance(number, str):
            self._refuse("number", f"expected a whole number, got {number!r}")
            return
        pack = self.query_one("#pack", Select).value if kind == "finish-pack" else None
        due_text = self.query_one("#due", Input).value.strip()
        services = self.services
        scheduler = services.scheduler
        try:
            due = parse_due(due_text) if due_text and kind != "manager-ratings" else None
            commitment = make_commitment(
                services.store, services.library, self.rep, scheduler.days, services.clock(),
                kind=kind, number=number, pack=pack if isinstance(pack, str) else None,
                due=due, text=self.query_one("#text", Input).value,
                motivation=self.query_one("#motivation", Input).value,
            )  # fmt: skip
        except CommitmentError as error:
            self._refuse(error.field, error.expected)
            return
        if attempt(lambda: add_commitment(services.store, commitment), self.tell) is None:
            return  # what was typed stays for another try
        self.notify(f"Committed: {commitment.text}", timeout=4)
        self.dismiss(commitment)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Save commitment", "Check it and save it", self.action_save)
        yield SystemCommand("Cancel", "Leave without saving", self.action_cancel)

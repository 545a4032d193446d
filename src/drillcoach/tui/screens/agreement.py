"""Writing the coaching agreement in the TUI: the skills where the rep wants detailed
feedback (space in the list), for the highlighted one how they want it and the line of
their vision it serves, a note, and whether their manager sees it. ctrl+s checks it (the
same checks as ``drillcoach agreement edit``) and saves a new version, even an unchanged
one: that is the quarterly review. Closes with the version saved, or None."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, SelectionList, Static

from drillcoach.coaching.agreement import (
    WAY_WORDS,
    AreaError,
    current_agreement,
    make_agreement,
    same_agreement,
)
from drillcoach.coaching.vision import FormError, current_vision, horizon_lines
from drillcoach.events import FEEDBACK_WAYS, MAX_NOTE, Agreement
from drillcoach.services import Services
from drillcoach.text import clip
from drillcoach.tui.widgets.plain import Plain
from drillcoach.tui.widgets.problem import ProblemLine
from drillcoach.tui.writes import attempt

INTRO = (
    "Where do you want detailed feedback? Space picks a skill; for each, say how and which "
    "line of your vision it serves. Feedback outside it: your manager asks you first."
)


@dataclass
class Draft:
    """One skill's area as the rep is writing it."""

    ways: list[str] = field(default_factory=list)
    vision: str = ""


class AgreementScreen(Screen[Agreement | None]):
    CSS_PATH = "agreement.tcss"
    HELP_TEXT = (
        "The coaching agreement says where you want your manager to go into detail: pick "
        "the skills with space, then for the highlighted skill tick how you want feedback "
        "(after every role-play, weekly, on joint calls) and write the line of your vision "
        "it serves (2, 3 or 5 takes that line of your vision). Feedback on other skills is "
        "flagged to your manager so they ask you first. ctrl+s saves it as a new version; "
        "saving it unchanged marks it reviewed today (it is due for a review each quarter)."
    )
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True,
                tooltip="Save it as a new version (unchanged: reviewed today)"),
        Binding("escape", "cancel", "Cancel", tooltip="Leave without saving"),
    ]  # fmt: skip

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.rep = services.config.member
        self.skills = services.library.skills
        self.current = current_agreement(services.store, self.rep)
        self.vision = current_vision(services.store, self.rep)
        self.drafts: dict[str, Draft] = {skill: Draft() for skill in self.skills}
        for area in self.current.areas if self.current is not None else ():
            self.drafts[area.skill] = Draft(list(area.ways), area.vision)
        self.chosen = {area.skill for area in self.current.areas} if self.current else set()
        self.skill: str | None = next(iter(self.skills), None)  # the one highlighted

    def compose(self) -> ComposeResult:
        yield Static("Your coaching agreement", id="heading")
        yield Static(INTRO, id="intro")
        with Horizontal(id="panels"):
            skills = SelectionList[str](
                *[
                    (skill.title, skill.id, skill.id in self.chosen)
                    for skill in self.skills.values()
                ],
                id="skills",
            )
            skills.border_title = "Skills"
            yield skills
            with Vertical(id="area") as area:
                area.border_title = "How"
                yield SelectionList[str](
                    *[(WAY_WORDS[way], way, False) for way in FEEDBACK_WAYS], id="ways"
                )
                yield Static("Serves this line of your vision:", id="serves")
                yield Input(id="line", max_length=MAX_NOTE,
                            placeholder="2, 3, 5 or your own words")  # fmt: skip
                yield Plain(self._horizons(), id="horizons")
        with Horizontal(id="bottom"):
            yield Input(self.current.note if self.current else "", id="note",
                        placeholder="Anything else about how you like feedback (optional)",
                        max_length=MAX_NOTE)  # fmt: skip
            yield Checkbox("Share with my manager", self.services.config.share_agreement,
                           id="share")  # fmt: skip
        yield ProblemLine()
        yield Footer()

    def _horizons(self) -> str:
        lines = horizon_lines(self.vision)
        return "\n".join(clip(line, 44) for line in lines) or "(no vision yet: write your own)"

    def on_mount(self) -> None:
        self._show_area()
        self.query_one("#skills", SelectionList).focus()

    # --- the highlighted skill's area

    def _show_area(self) -> None:
        """The highlighted skill's ways and vision line in the boxes on the right. The
        boxes' change messages that follow come back equal to the draft: no change."""
        if self.skill is None:
            return
        draft = self.drafts[self.skill]
        ways = self.query_one("#ways", SelectionList)
        ways.deselect_all()
        for way in draft.ways:
            ways.select(way)
        self.query_one("#line", Input).value = draft.vision
        self._title()

    def _title(self) -> None:
        if self.skill is not None:
            title = self.skills[self.skill].title
            picked = "" if self.skill in self.chosen else " (space adds it)"
            self.query_one("#area", Vertical).border_title = f"{title}{picked}"

    @on(SelectionList.SelectionHighlighted, "#skills")
    def _highlighted(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        self.skill = event.selection.value
        self._show_area()

    @on(SelectionList.SelectedChanged, "#skills")
    def _picked(self, event: SelectionList.SelectedChanged[str]) -> None:
        self.chosen = set(event.selection_list.selected)
        self._title()

    @on(SelectionList.SelectedChanged, "#ways")
    def _ways_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        if self.skill is None:
            return
        draft = self.drafts[self.skill]
        ways = list(event.selection_list.selected)
        if set(ways) != set(draft.ways):
            draft.ways = ways
            self._pick_current()

    @on(Input.Changed, "#line")
    def _line_changed(self, event: Input.Changed) -> None:
        if self.skill is None:
            return
        draft = self.drafts[self.skill]
        value = event.input.value  # now, not when the message was sent: it may be stale
        if value != draft.vision:
            draft.vision = value
            self._pick_current()

    def _pick_current(self) -> None:
        """Saying how, or what it serves, puts the skill in the agreement."""
        if self.skill is not None and self.skill not in self.chosen:
            self.chosen.add(self.skill)
            self.query_one("#skills", SelectionList).select(self.skill)
            self._title()

    # --- saving

    def tell(self, problem: str) -> None:
        self.query_one(ProblemLine).tell(problem)

    def action_save(self) -> None:
        chosen = [skill for skill in self.skills if skill in self.chosen]
        areas = {
            skill: {"ways": self.drafts[skill].ways, "vision": self.drafts[skill].vision}
            for skill in chosen
        }
        note = self.query_one("#note", Input).value
        try:
            agreement = make_agreement(self.rep, self.services.clock(), areas, note,
                                       skills=self.skills, vision=self.vision)  # fmt: skip
        except AreaError as error:
            self.tell(f"Not saved: {self.skills[error.skill].title}: {error.expected}.")
            self._point_at(error.skill, error.key)
            return
        except FormError as error:
            self.tell(f"Not saved: {error.expected}.")
            self.query_one("#skills" if error.key == "areas" else "#note").focus()
            return
        share = self.query_one("#share", Checkbox).value
        if share != self.services.config.share_agreement:
            text = "true" if share else "false"
            if attempt(lambda: self.services.set_setting("share_agreement", text),
                       self.tell) is None:  # fmt: skip
                return
        if attempt(lambda: self.services.store.add(agreement), self.tell) is None:
            return  # what was written stays for another try
        if same_agreement(agreement, self.current):
            self.notify("Reviewed: your coaching agreement stays as it is, dated today.")
        else:
            self.notify("Saved: a new version of your coaching agreement.", timeout=4)
        self.dismiss(agreement)

    def _point_at(self, skill: str, key: str) -> None:
        skills = self.query_one("#skills", SelectionList)
        skills.highlighted = list(self.skills).index(skill)
        self.skill = skill
        self._show_area()
        self.query_one("#line" if key == "vision" else "#ways").focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Save agreement", "Save it as a new version", self.action_save)
        yield SystemCommand("Cancel", "Leave without saving", self.action_cancel)

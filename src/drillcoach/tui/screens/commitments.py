"""The rep's commitments: each with how it is going this week (kept, on track, at risk,
missed) and its progress; below, the highlighted one in full with why it matters. n makes
a new one, x ticks off one of the rep's own, d drops one, s shares them with the manager
or stops."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from drillcoach.coaching.commitments import (
    STATE_WORDS,
    CommitmentStatus,
    State,
    commitment_statuses,
    commitments_line,
    progress_line,
    share_hint,
    update_commitment,
)
from drillcoach.events import Commitment
from drillcoach.services import Services
from drillcoach.text import cell
from drillcoach.tui.screens.commitment_drop import DropCommitmentScreen
from drillcoach.tui.screens.commitment_form import CommitmentFormScreen
from drillcoach.tui.widgets.plain import Plain
from drillcoach.tui.writes import attempt

HOW_COMMITMENTS_WORK = (
    "A commitment is something concrete you will do, tied to why it matters to you. "
    "drillcoach checks four kinds by itself: drilling N days a week, finishing a pack by a "
    "date, debriefing N important calls a week, and N role-plays a month rated by your "
    "manager; one of your own you tick off (x). Each week it says kept, on track, at risk "
    "(it takes every chance left to still make it) or missed. The week you make one counts "
    "only if it was still on track then; otherwise it shows as new and counts from the "
    "next. n makes one, d drops one (your history keeps it), s shares them with your "
    "manager at the next sync, or stops."
)
STATE_STYLES: dict[State, str] = {
    "kept": "text-success",
    "at-risk": "text-warning",
    "missed": "text-error",
    "done": "text-success",
    "dropped": "text-muted",
    "unknown": "text-muted",
}
TEXT_WIDTH = 26  # columns of the commitment in the table (all of it shows below)


class CommitmentsScreen(Screen[None]):
    CSS_PATH = "commitments.tcss"
    HELP_TEXT = HOW_COMMITMENTS_WORK
    BINDINGS = [
        Binding("n", "new", "New", tooltip="Commit to something, tied to why it matters"),
        Binding("x", "done", "Done", tooltip="Tick off one of your own commitments"),
        Binding("d", "drop", "Drop", tooltip="Let the highlighted commitment go"),
        Binding("s", "share", "Share", tooltip="Share your commitments with your manager, or stop"),
        Binding("escape", "back", "Back", tooltip="Back to Today"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.statuses: list[CommitmentStatus] = []

    def compose(self) -> ComposeResult:
        yield Static("Your commitments", id="heading")
        yield Plain("", id="summary")
        table: DataTable[str | Text] = DataTable(id="commitments", cursor_type="row",
                                                 zebra_stripes=True)  # fmt: skip
        table.add_column("State", width=8)
        table.add_column("Commitment", width=TEXT_WIDTH)
        table.add_column("Progress")
        yield table
        yield Plain("", id="empty")
        yield Plain("", id="detail")
        yield Plain("", id="sharing")
        yield Footer()

    def on_screen_resume(self) -> None:
        # also the first time it shows, and after the form closes
        self.refresh_commitments()

    def refresh_commitments(self) -> None:
        services = self.services
        scheduler = services.scheduler
        self.statuses = commitment_statuses(
            services.store, services.library, scheduler.rep, scheduler.days, services.clock(),
            new_per_day=services.config.new_per_day,
        )  # fmt: skip
        table = self.query_one("#commitments", DataTable)
        row = table.cursor_row
        table.clear()
        colours = self.app.get_css_variables()
        for status in self.statuses:
            style = colours.get(STATE_STYLES.get(status.state, ""), "")
            table.add_row(
                Text(STATE_WORDS[status.state], style=style),
                Text(cell(status.commitment.text, TEXT_WIDTH)),
                Text(status.progress, no_wrap=True, overflow="ellipsis"),
                key=status.commitment.id,
            )
        if self.statuses:
            table.move_cursor(row=min(row, len(self.statuses) - 1))
        table.display = bool(self.statuses)
        summary = commitments_line(self.statuses)
        self.query_one("#summary", Plain).update(summary or "")
        self.query_one("#summary", Plain).display = summary is not None
        empty = self.query_one("#empty", Plain)
        empty.display = not self.statuses
        empty.update(
            "No commitments yet. n makes one: something concrete you will do this week or "
            "by a date - drill 4 days a week, finish a pack, debrief your important calls - "
            "tied to why it matters to you."
        )
        shared = services.config.share_commitments
        change = "s stops sharing them." if shared else "s shares them with your manager."
        self.query_one("#sharing", Plain).update(f"{share_hint(shared)} {change}")
        self._show_detail()
        table.focus()
        self.refresh_bindings()

    # --- the highlighted one

    def current(self) -> CommitmentStatus | None:
        table = self.query_one("#commitments", DataTable)
        if not self.statuses or not 0 <= table.cursor_row < len(self.statuses):
            return None
        return self.statuses[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        status = self.current()
        detail = self.query_one("#detail", Plain)
        detail.display = status is not None
        if status is None:
            return
        c = status.commitment
        lines = [c.text, progress_line(status)]
        if c.motivation:
            lines.append(f"Why: {c.motivation}")
        detail.update("\n".join(lines))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.current()
        if action == "done":
            return status is not None and _can_tick(status)
        if action == "drop":
            return status is not None and status.state not in ("done", "dropped")
        return True

    # --- actions

    def action_new(self) -> None:
        self.app.push_screen(CommitmentFormScreen(self.services))

    def action_done(self) -> None:
        status = self.current()
        if status is None or not _can_tick(status):
            return
        self._end(status.commitment, "done")

    def action_drop(self) -> None:
        status = self.current()
        if status is None or status.state in ("done", "dropped"):
            return
        commitment = status.commitment

        def answered(drop: bool | None) -> None:
            if drop:
                self._end(commitment, "dropped")

        self.app.push_screen(DropCommitmentScreen(commitment.text), answered)

    def _end(self, commitment: Commitment, action: str) -> None:
        services = self.services
        ended = attempt(
            lambda: update_commitment(services.store, commitment,
                                      "done" if action == "done" else "dropped", services.clock()),
            self._tell,
        )  # fmt: skip
        if ended is None:
            return
        word = "Done" if action == "done" else "Dropped"
        self.notify(f"{word}: {commitment.text}", timeout=4)
        self.refresh_commitments()

    def action_share(self) -> None:
        share = not self.services.config.share_commitments
        text = "true" if share else "false"
        if attempt(lambda: self.services.set_setting("share_commitments", text),
                   self._tell) is None:  # fmt: skip
            return
        said = (
            "Your commitments go to your manager at your next sync."
            if share
            else "Your commitments stay with you from now on."
        )
        self.notify(said, timeout=4)
        self.refresh_commitments()

    def _tell(self, problem: str) -> None:
        self.notify(problem, severity="error", timeout=8)

    def action_back(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("New commitment", "Commit to something, tied to why it matters",
                            self.action_new)  # fmt: skip
        status = self.current()
        if status is not None and _can_tick(status):
            yield SystemCommand("Done", "Tick off the highlighted commitment", self.action_done)
        if status is not None and status.state not in ("done", "dropped"):
            yield SystemCommand("Drop commitment", "Let the highlighted one go", self.action_drop)
        yield SystemCommand("Share or stop sharing", "Whether your manager sees your commitments",
                            self.action_share)  # fmt: skip
        yield SystemCommand("Back to Today", "Leave the commitments", self.action_back)


def _can_tick(status: CommitmentStatus) -> bool:
    """An own commitment not yet ticked off or dropped (past its date too: done late)."""
    return status.commitment.kind == "own" and status.state not in ("done", "dropped")

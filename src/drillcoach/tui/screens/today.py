"""Home: who is drilling, their habit, today's queue, what is assigned and, in a team
workspace, the manager's feedback, the sync (in a worker: drilling goes on meanwhile) and
what is shared."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress

from rich.markup import escape
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Static
from textual.worker import Worker, WorkerState

from drillcoach.content import Library
from drillcoach.errors import MachineError, UserError
from drillcoach.scheduling.queue import Queue
from drillcoach.services import Services
from drillcoach.team.sync import SyncReport
from drillcoach.text import (
    assigned_line,
    date_text,
    feedback_line,
    greeting,
    habit_line,
    headline,
    leech_lines,
    queue_tag,
    rated_title,
    sharing_line,
    skipped_line,
    sync_line,
    sync_report_line,
    tomorrow_line,
    waiting_line,
)
from drillcoach.today import Today, gather_today
from drillcoach.tui.memory import keep_loaded
from drillcoach.tui.screens.packs import PacksScreen
from drillcoach.tui.screens.team import TeamScreen
from drillcoach.tui.session_flow import SessionRunner
from drillcoach.tui.team import my_membership, sync_apart
from drillcoach.tui.widgets.keys import KeyFooter
from drillcoach.tui.widgets.plain import Plain

WIDE = 100  # columns from which the queue also shows each drill's pack


class Notices(VerticalScroll):
    """Today's lines from the team and the history; reachable with tab only when there are
    more than fit, to scroll them."""

    def allow_focus(self) -> bool:
        return self.max_scroll_y > 0


class TodayScreen(Screen[None]):
    CSS_PATH = "today.tcss"
    BINDINGS = [
        # priority: the queue table would otherwise take enter for itself (and hide it)
        Binding("enter", "start", "Start", priority=True, tooltip="Start session"),
        Binding("p", "packs", "Packs"),
        Binding("v", "vision", "Vision",
                tooltip="Your 2, 3 and 5-year vision, coaching agreement and sales DNA"),
        Binding("c", "commitments", "Commitments",
                tooltip="What you committed to this week, and how it is going"),
        Binding("d", "debrief", "Debrief",
                tooltip="Debrief a call: turn what you heard into drills"),
        Binding("g", "progress", "Progress",
                tooltip="Your habit, skills, calibration and what is coming, in charts"),
        Binding("m", "team", "Team", tooltip="Your reps, their drills and ratings, and the inbox"),
        # quit stays (help lists it) but leaves the footer to Today's own keys
        Binding("ctrl+q", "app.quit", "Quit", show=False, priority=True),
        Binding("y", "sync", "Sync",
                tooltip="Share your events with the team and bring in theirs (in the background)"),
    ]  # fmt: skip

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.queue: Queue | None = None
        self.today: Today | None = None
        self._with_pack: bool | None = None
        self.syncing: str | None = None  # the sync's step while one runs
        self.synced: str | None = None  # what the last sync in this session said
        self.sync_failed = False
        self.in_session = False  # a session runs on top: Today is not seen until it ends
        self._kept_library: Library | None = None  # the library last kept from the collector

    def compose(self) -> ComposeResult:
        with Vertical(id="today"):
            with Horizontal(id="top"):
                yield Plain("", id="greeting")
                yield Static("", id="date")
            yield Static("", id="habit")
            yield Plain("", id="coaching")
            yield Static("", id="headline")
            # what the team and the history say; scrolls when it is more than fits
            with Notices(id="notices"):
                yield Plain("", id="waiting")
                yield Plain("", id="overdue")
                yield Plain("", id="feedback")
                yield Plain("", id="assigned")
                yield Plain("", id="leeches")
            table: DataTable[str] = DataTable(id="queue", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static("", id="empty")
            yield Plain("", id="problems")
            yield Plain("", id="sync")
            yield Plain("", id="sharing")
            with Horizontal(id="actions"):
                yield Button("Start session", id="start", variant="primary")
                yield Button("Packs", id="packs")
        # every key of Today fits 80 columns, a manager's too (^p is in the help)
        yield KeyFooter(compact=True, show_command_palette=False)

    def on_resize(self) -> None:
        if self.queue is not None and (self.app.size.width >= WIDE) != self._with_pack:
            self._fill_table(self.queue)

    def on_screen_resume(self) -> None:
        # also the first time the screen shows: one queue build per visit, not two. Between
        # two drills of a session Today is on top for a moment, unseen: its queue is built
        # when the session ends, not after every rating
        if not self.in_session:
            self.refresh_queue()

    def refresh_queue(self) -> None:
        services = self.services
        today = gather_today(services.scheduler, services.library, services.config)
        queue = today.queue
        self.queue = queue
        self.today = today
        self.query_one("#greeting", Static).update(f"{greeting(today.now.hour)}, {today.name}.")
        self.query_one("#date", Static).update(date_text(today.now))
        self.query_one("#habit", Static).update(habit_line(today.habit))
        self._show("#coaching", list(today.coaching))
        self.query_one("#headline", Static).update(headline(queue))
        self._show_team(today)
        self._show("#leeches", leech_lines(queue))
        problems = [skipped_line(today.skipped)] if today.skipped else []
        if today.team is not None and today.team.problem:
            problems.append(f"Team workspace: {today.team.problem}")
        self._show("#problems", problems)
        self._fill_table(queue)
        self.query_one("#empty", Static).display = queue.is_empty
        if today.due_tomorrow is not None:
            self.query_one("#empty", Static).update(
                f"{tomorrow_line(today.due_tomorrow, today.new_per_day)}\n\n"
                "Want more today? Press p to turn on more packs, or raise the daily "
                "limit of new drills:\n  drillcoach config set new_per_day 10"
            )
        self.query_one("#start", Button).disabled = queue.is_empty
        if not queue.is_empty:
            self.query_one("#queue", DataTable).focus()
        self.refresh_bindings()
        if services.library is not self._kept_library:  # at startup, or the packs reloaded
            self.call_after_refresh(keep_loaded, self.app, collect=self._kept_library is not None)
            self._kept_library = services.library

    def _show_team(self, today: Today) -> None:
        """Assignments (overdue ones in the warning colour), the manager's new ratings, the
        answers waiting for me, the sync and what is shared; the last three only in a
        workspace."""
        team = today.team
        names = team.names if team else None
        assigned = today.queue.assigned
        self._show("#overdue", [assigned_line(a, names, note=a.assignment.id in today.notes)
                                for a in assigned if a.overdue])  # fmt: skip
        self._show("#assigned", [assigned_line(a, names, note=a.assignment.id in today.notes)
                                 for a in assigned if not a.overdue])  # fmt: skip
        library = self.services.library
        self._show(
            "#feedback",
            [
                feedback_line(rating, rated_title(rating, library), names)
                for rating in reversed(today.feedback)
            ],
        )  # newest first
        in_team = team is not None and not team.problem
        waiting = team is not None and in_team and team.role == "manager" and team.waiting
        self._show("#waiting", [f"{waiting_line(team.waiting)} - press m"]
                   if team is not None and waiting else [])  # fmt: skip
        self._show("#sync", [self._sync_text(today)] if in_team else [])
        self.query_one("#sync").set_class(self.sync_failed and not self.syncing, "-failed")
        self._show("#sharing", [sharing_line(team.share_answers, team.manager)]
                   if team is not None and in_team else [])  # fmt: skip

    def _sync_text(self, today: Today) -> str:
        if self.syncing is not None:
            return f"Syncing with the team: {self.syncing}..."
        last = sync_line(today.team.last_sync if today.team else None, today.now)
        if self.synced is None:
            return f"{last} · y syncs"
        return self.synced if self.sync_failed else f"{last} · {self.synced}"

    def _fill_table(self, queue: Queue) -> None:
        """The queue, one drill a row; the pack column only where there is room for it."""
        table = self.query_one("#queue", DataTable)
        with_pack = self.app.size.width >= WIDE
        if with_pack != self._with_pack or not table.columns:
            table.clear(columns=True)
            table.add_columns("", "Kind", "Drill", *(["Pack"] if with_pack else []))
            self._with_pack = with_pack
        else:
            table.clear()
        table.display = not queue.is_empty
        for number, item in enumerate(queue.items, 1):
            tag = queue_tag(item)
            # cells are read as Rich markup; a title like "[Draft] ..." must show as written
            cells = [f"{number:>2} {tag}", item.drill.kind, escape(item.drill.title)]
            if with_pack:
                cells.append(escape(self.services.library.packs[item.drill.pack_id].title))
            table.add_row(*cells)

    def _show(self, selector: str, lines: list[str]) -> None:
        widget = self.query_one(selector, Static)
        widget.update("\n".join(lines))
        widget.display = bool(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        team = self.today.team if self.today else None
        if action == "team":  # only a manager in a workspace has a team to see
            return team is not None and not team.problem and team.role == "manager"
        if action == "sync":
            return team is not None
        if action == "start":
            # a focused button (Packs) keeps enter for itself
            if isinstance(self.focused, Button) and self.focused.id != "start":
                return False
            return self.queue is not None and not self.queue.is_empty
        return True

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        if self.queue is None or self.queue.is_empty:
            self.notify("Nothing to drill right now.", timeout=3)
            return
        from drillcoach.tui.screens.first_run import ask_before_session

        runner = SessionRunner(self.app, self.services, self._session_over)
        queue = self.queue
        # a new rep is asked for their vision first (once; "later" asks again in a week)
        ask_before_session(self.app, self.services, lambda: self._start(runner, queue))

    def _start(self, runner: SessionRunner, queue: Queue) -> None:
        self.in_session = True
        runner.start(queue)

    def _session_over(self) -> None:
        self.in_session = False
        self.refresh_queue()

    @on(Button.Pressed, "#packs")
    def action_packs(self) -> None:
        self.app.push_screen(PacksScreen(self.services))

    def action_vision(self) -> None:
        from drillcoach.tui.screens.vision import VisionScreen

        self.app.push_screen(VisionScreen(self.services))

    def action_commitments(self) -> None:
        from drillcoach.tui.screens.commitments import CommitmentsScreen

        self.app.push_screen(CommitmentsScreen(self.services))

    def action_debrief(self) -> None:
        from drillcoach.tui.screens.debrief import DebriefScreen

        self.app.push_screen(DebriefScreen(self.services))

    def action_progress(self) -> None:
        from drillcoach.tui.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen(self.services))

    def action_team(self) -> None:
        mine = my_membership(self.services)
        if mine is None or not mine.is_manager:
            return
        self.app.push_screen(TeamScreen(self.services, mine))

    # --- sync, in a worker thread

    def action_sync(self) -> None:
        if self.syncing is not None:
            self.notify("A sync is running already.", timeout=3)
            return
        self.syncing = "starting"
        self.sync_failed = False
        self._show_sync()
        self.run_worker(self._sync_in_thread, name="sync", group="sync", thread=True,
                        exit_on_error=False)  # fmt: skip

    def _sync_in_thread(self) -> SyncReport:
        return sync_apart(self.services, self._step_from_thread)

    def _step_from_thread(self, step: str) -> None:
        # the app may have closed while the sync ran: then there is nothing to show it on
        with suppress(RuntimeError):
            self.app.call_from_thread(self._stepped, step)

    def _stepped(self, step: str) -> None:
        if self.syncing is not None:
            self.syncing = step
            self._show_sync()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "sync" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.syncing = None
        if event.state == WorkerState.ERROR:
            error = worker.error
            if not isinstance(error, UserError | MachineError):
                raise error if error is not None else RuntimeError("sync failed")
            self.sync_failed = True
            self.synced = f"Sync failed: {error}"
            self.notify(self.synced, severity="error", timeout=8)
        else:
            report = worker.result or SyncReport()
            self.synced = sync_report_line(report.team, report)
            if report.refused:
                self.synced += f" {len(report.refused)} refused: 'drillcoach sync -v' says why."
            if not self.is_current:  # on Today the sync line says it
                self.notify(self.synced, timeout=5)
            for note in report.notes:  # team.toml merged: a change of mine that gave way
                self.notify(note, severity="warning", timeout=10)
        if self.is_current:
            self.refresh_queue()  # what the sync brought in: assignments, ratings, answers
        else:
            self._show_sync()  # the rest when the rep comes back to Today

    def _show_sync(self) -> None:
        if self.today is not None:
            self._show_team(self.today)

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Start session", "Drill today's queue", self.action_start)
        yield SystemCommand("Packs", "Browse packs and choose which feed your queue",
                            self.action_packs)  # fmt: skip
        yield SystemCommand("Vision", "Your vision, coaching agreement and sales DNA",
                            self.action_vision)  # fmt: skip
        yield SystemCommand("Commitments", "What you committed to, and how it is going",
                            self.action_commitments)  # fmt: skip
        yield SystemCommand("Debrief a call", "What happened, what you heard, what to drill",
                            self.action_debrief)  # fmt: skip
        yield SystemCommand("Progress", "Your habit, skills and calibration, in charts",
                            self.action_progress)  # fmt: skip
        if self.check_action("team", ()):
            yield SystemCommand("Team", "Your reps, their drills and ratings, and the inbox",
                                self.action_team)  # fmt: skip
        if self.check_action("sync", ()):
            yield SystemCommand("Sync", "Share your events with the team, bring in theirs",
                                self.action_sync)  # fmt: skip

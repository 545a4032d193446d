"""Runs a session on screen: one drill screen after another, then the summary."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from drillcoach.progress.session import summarize_session
from drillcoach.scheduling.queue import Queue
from drillcoach.scheduling.session import Session
from drillcoach.services import Services
from drillcoach.team.workspace import Membership
from drillcoach.today import habit_of
from drillcoach.tui.messages import DrillOutcome, SessionLeft
from drillcoach.tui.screens.drill import DrillScreen
from drillcoach.tui.screens.item import ItemScreen
from drillcoach.tui.screens.roleplay import RoleplayScreen
from drillcoach.tui.screens.summary import SummaryScreen
from drillcoach.tui.screens.written import WrittenScreen
from drillcoach.tui.team import my_membership


class SessionRunner:
    """Pushes the screen for the session's current drill; each screen stores its rating
    (or undo, suspend, bury) through the Session before it closes."""

    def __init__(self, app: App[object], services: Services, on_finished: Callable[[], None]):
        self.app = app
        self.services = services
        self.on_finished = on_finished
        self.session: Session | None = None
        self.mine: Membership | None = None

    def start(self, queue: Queue) -> None:
        self.session = Session.start(self.services.scheduler, queue)
        self.mine = my_membership(self.services)  # team.toml read once, not per drill
        self._show_current()

    def _show_current(self) -> None:
        assert self.session is not None
        item = self.session.current
        if item is None:
            self._finish()
            return
        screen_type: type[ItemScreen] = DrillScreen
        if item.drill.is_roleplay:
            screen_type = RoleplayScreen
        elif item.drill.is_written:
            screen_type = WrittenScreen
        screen = screen_type(self.services, self.session, item, self.mine)
        self.app.push_screen(screen, self._after)

    def _after(self, outcome: DrillOutcome | None) -> None:
        if outcome is None or isinstance(outcome, SessionLeft):
            self._finish()
        else:
            self._show_current()

    def _finish(self) -> None:
        assert self.session is not None
        if self.session.rated:
            scheduler = self.session.scheduler
            summary = summarize_session(
                [rated.event for rated in self.session.rated],
                started_at=self.session.started_at,
                ended_at=scheduler.clock(),
                streak=habit_of(scheduler).streak,
                due_tomorrow=scheduler.due_tomorrow(),
            )
            self.app.push_screen(SummaryScreen(summary), lambda _: self.on_finished())
        else:
            self.on_finished()

"""Runs a session on screen: one drill screen after another, then the summary."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import Any

from textual.app import App
from textual.screen import Screen

from drillcoach.progress.session import summarize_session
from drillcoach.scheduling.queue import Queue, QueueItem
from drillcoach.scheduling.session import Session
from drillcoach.services import Services
from drillcoach.team.workspace import Membership
from drillcoach.today import habit_of
from drillcoach.tui.memory import hold_full_collections, reclaim, release_full_collections
from drillcoach.tui.messages import DrillOutcome, SessionLeft
from drillcoach.tui.screens.drill import DrillScreen
from drillcoach.tui.screens.item import ItemScreen
from drillcoach.tui.screens.roleplay import RoleplayScreen
from drillcoach.tui.screens.summary import SummaryScreen
from drillcoach.tui.screens.written import WrittenScreen
from drillcoach.tui.team import my_membership


def read_styles(app: App[object], screens: Iterable[type[Screen[Any]]]) -> None:
    """Read the stylesheets of these screens now, at once. Textual reads a screen's
    stylesheet when the first screen of its kind opens, and then restyles every widget of
    the app (50-100 ms on Today's queue): the first role-play's rating paid it."""
    stylesheet = app.stylesheet
    read = False
    for screen in screens:
        for path in stylesheet_paths(screen):
            if not stylesheet.has_source(str(path)):
                stylesheet.read(path)
                read = True
    if read:
        stylesheet.reparse()
        stylesheet.update(app)


def stylesheet_paths(screen: type[Screen[Any]]) -> list[Path]:
    """The files a screen's CSS_PATH names, beside the module that defines it."""
    names = screen.CSS_PATH
    listed = [names] if isinstance(names, str | PurePath) else list(names or ())
    folder = Path(inspect.getfile(screen)).parent
    return [(folder / name).resolve() for name in listed]


def screen_for(item: QueueItem) -> type[ItemScreen]:
    if item.drill.is_roleplay:
        return RoleplayScreen
    if item.drill.is_written:
        return WrittenScreen
    return DrillScreen


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
        hold_full_collections()
        read_styles(self.app, dict.fromkeys(screen_for(item) for item in queue.items))
        self._show_current()

    def _show_current(self) -> None:
        assert self.session is not None
        item = self.session.current
        if item is None:
            self._finish()
            return
        screen = screen_for(item)(self.services, self.session, item, self.mine)
        self.app.push_screen(screen, self._after)  # it collects once painted (ItemScreen)

    def _after(self, outcome: DrillOutcome | None) -> None:
        if outcome is None or isinstance(outcome, SessionLeft):
            self._finish()
        else:
            self._show_current()

    def _finish(self) -> None:
        assert self.session is not None
        release_full_collections()
        if self.session.rated:
            scheduler = self.session.scheduler
            summary = summarize_session(
                [rated.event for rated in self.session.rated],
                started_at=self.session.started_at,
                ended_at=scheduler.clock(),
                streak=habit_of(scheduler).streak,
                due_tomorrow=scheduler.due_tomorrow(),
            )
            self.app.push_screen(SummaryScreen(summary), lambda _: self._done())
        else:
            self._done()

    def _done(self) -> None:
        """Back to Today; once it has painted, the drill screens the session kept from the
        collector are freed (``reclaim``): the last one closed while the summary showed.
        Left without a rating, that one may still be closing: it is freed at the next
        session's end, or when the app closes."""
        self.on_finished()
        self.app.call_after_refresh(reclaim, self.app)

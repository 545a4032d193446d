"""Home: who is drilling, their habit, today's queue and what is assigned."""

from __future__ import annotations

from collections.abc import Iterable

from rich.markup import escape
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Static

from drillcoach.scheduling.queue import Queue
from drillcoach.services import Services
from drillcoach.text import (
    assigned_lines,
    date_text,
    greeting,
    habit_line,
    headline,
    leech_lines,
    queue_tag,
    skipped_line,
    tomorrow_line,
)
from drillcoach.today import gather_today
from drillcoach.tui.screens.packs import PacksScreen
from drillcoach.tui.session_flow import SessionRunner
from drillcoach.tui.widgets.plain import Plain

WIDE = 100  # columns from which the queue also shows each drill's pack


class TodayScreen(Screen[None]):
    CSS_PATH = "today.tcss"
    BINDINGS = [
        # priority: the queue table would otherwise take enter for itself (and hide it)
        Binding("enter", "start", "Start session", priority=True),
        Binding("p", "packs", "Packs"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.queue: Queue | None = None
        self._with_pack: bool | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="today"):
            with Horizontal(id="top"):
                yield Plain("", id="greeting")
                yield Static("", id="date")
            yield Static("", id="habit")
            yield Static("", id="headline")
            yield Plain("", id="assigned")
            yield Plain("", id="leeches")
            table: DataTable[str] = DataTable(id="queue", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static("", id="empty")
            yield Plain("", id="problems")
            with Horizontal(id="actions"):
                yield Button("Start session", id="start", variant="primary")
                yield Button("Packs", id="packs")
        yield Footer()

    def on_resize(self) -> None:
        if self.queue is not None and (self.app.size.width >= WIDE) != self._with_pack:
            self._fill_table(self.queue)

    def on_screen_resume(self) -> None:
        # also the first time the screen shows: one queue build per visit, not two
        self.refresh_queue()

    def refresh_queue(self) -> None:
        services = self.services
        today = gather_today(services.scheduler, services.library, services.config)
        queue = today.queue
        self.queue = queue
        self.query_one("#greeting", Static).update(f"{greeting(today.now.hour)}, {today.name}.")
        self.query_one("#date", Static).update(date_text(today.now))
        self.query_one("#habit", Static).update(habit_line(today.habit))
        self.query_one("#headline", Static).update(headline(queue))
        self._show("#assigned", assigned_lines(queue))
        self._show("#leeches", leech_lines(queue))
        self._show("#problems", [skipped_line(today.skipped)] if today.skipped else [])
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
        runner = SessionRunner(self.app, self.services, self.refresh_queue)
        runner.start(self.queue)

    @on(Button.Pressed, "#packs")
    def action_packs(self) -> None:
        self.app.push_screen(PacksScreen(self.services))

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Start session", "Drill today's queue", self.action_start)
        yield SystemCommand("Packs", "Browse packs and choose which feed your queue",
                            self.action_packs)  # fmt: skip

"""How much to remember, from the Progress screen, as ``drillcoach retention`` works it
out: the rep's next 90 days simulated at each desired retention in a worker thread (a
progress bar across the retentions), minutes a day against retention as a chart, the
retention with the least drilling time per drill remembered suggested, and ``a`` sets it
(the due dates move in a worker right after, as ``retention --apply`` moves them)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, ProgressBar
from textual.worker import Worker, WorkerState

from drillcoach.scheduling.workload import (
    DAYS,
    RETENTIONS,
    Outcome,
    Workload,
    simulate_all,
    suggested,
    workload_of,
)
from drillcoach.services import Services
from drillcoach.text import retention_chart, retention_suggestion, workload_line
from drillcoach.tui.screens.optimize import cards_apart
from drillcoach.tui.team import apart, failure_text
from drillcoach.tui.widgets.plain import Plain
from drillcoach.tui.writes import saved

BAR = 36  # the chart's longest bar: the modal's 78 columns, less the figures and marks
NOTHING = (
    "Nothing to simulate: no drill started yet and no new drill waiting in your packs "
    "(turn packs on with p on Today)."
)
EXPLAINED = (
    "Drills you would remember on day {days} are counted by their recall probability; "
    "the suggestion costs the least drilling time for each."
)


@dataclass(frozen=True)
class Simulated:
    workload: Workload
    outcomes: tuple[Outcome, ...]  # empty: nothing to simulate
    best: Outcome | None


class RetentionScreen(ModalScreen[bool]):
    """Closes with True when the rep set the suggested retention."""

    CSS_PATH = "retention.tcss"
    BINDINGS = [
        Binding("a", "apply", "Use it", tooltip="Set desired_retention to the suggested one"),
        Binding("escape", "close", "Close", tooltip="Back to Progress"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.simulated: Simulated | None = None
        self.applied = False
        self._app: App[object] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="simulation") as box:
            box.border_title = "How much to remember"
            yield ProgressBar(total=len(RETENTIONS), show_eta=False, id="sim-progress")
            yield Plain(f"Simulating your next {DAYS} days at each desired retention...",
                        id="sim-stage")  # fmt: skip
            yield Plain("", id="sim-chart")
            yield Plain("", id="sim-verdict")
        yield Footer()

    def on_mount(self) -> None:
        self._app = self.app  # the worker thread tells it how far it is
        self.run_worker(self._simulate_in_thread, group="simulate", thread=True,
                        exit_on_error=False)  # fmt: skip

    # --- the simulation, in a worker thread

    def _simulate_in_thread(self) -> Simulated:
        with apart(self.services) as own:
            workload = workload_of(own.scheduler)
        if workload.idle:
            return Simulated(workload, (), None)
        outcomes = simulate_all(workload, days=DAYS, progress=self._progress_from_thread)
        return Simulated(workload, tuple(outcomes), suggested(outcomes))

    def _progress_from_thread(
        self, step: str, done: int | None = None, total: int | None = None
    ) -> None:
        # the app may have closed while the simulation ran: then there is nothing to show
        if self._app is not None and done is not None:
            with suppress(RuntimeError):
                self._app.call_from_thread(self._advanced, done)

    def _advanced(self, done: int) -> None:
        if self.is_attached:
            self.query_one("#sim-progress", ProgressBar).update(progress=done)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if worker.group == "simulate":
            self.query_one("#sim-progress", ProgressBar).display = False
            if event.state == WorkerState.ERROR:
                self._stage(failure_text(worker, "simulating"))
            elif isinstance(worker.result, Simulated):
                self._show(worker.result)
        elif worker.group == "cards":
            self.services.reschedule()
            if event.state == WorkerState.ERROR:
                self._stage(failure_text(worker, "moving your due dates"))
            else:
                self._verdict(
                    f"desired_retention is now {self.services.config.desired_retention:.2f}: "
                    "your drills' due dates moved ('drillcoach config set "
                    "desired_retention' changes it again)."
                )
        self.refresh_bindings()

    def _show(self, simulated: Simulated) -> None:
        self.simulated = simulated
        current = self.services.config.desired_retention
        if not simulated.outcomes:
            self._stage("")
            self._verdict(NOTHING)
            return
        self._stage(f"{workload_line(simulated.workload, DAYS)}. {EXPLAINED.format(days=DAYS)}")
        chart = retention_chart(simulated.outcomes, simulated.best, width=BAR, current=current)
        self.query_one("#sim-chart", Plain).update("\n".join(chart))
        best = simulated.best
        if best is None:
            self._verdict("No suggestion: no drill would be remembered.")
        elif self._is_current(best):
            self._verdict(f"{retention_suggestion(best, current)} It is the one in use.")
        else:
            self._verdict(
                f"{retention_suggestion(best, current)} a uses it (your due dates move at "
                f"once); escape keeps {current:.2f}."
            )

    def _is_current(self, outcome: Outcome) -> bool:
        return outcome.is_at(self.services.config.desired_retention)

    def _stage(self, words: str) -> None:
        line = self.query_one("#sim-stage", Plain)
        line.update(words)
        line.display = bool(words)

    def _verdict(self, words: str) -> None:
        self.query_one("#sim-verdict", Plain).update(words)

    # --- the keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            best = self.simulated.best if self.simulated else None
            return best is not None and not self.applied and not self._is_current(best)
        return True

    def action_apply(self) -> None:
        """Write the setting at once (a short write), then move the due dates in a worker
        (10,000 cards take about 50 ms)."""
        best = self.simulated.best if self.simulated else None
        if best is None or self.applied or self._is_current(best):
            return
        text = f"{best.retention:.2f}"

        def set_it() -> None:
            self.services.set_setting("desired_retention", text, cards_now=False)

        if not saved(set_it, self.tell):
            return
        self.applied = True
        self._verdict(f"desired_retention is now {text}: moving your drills' due dates...")
        self.refresh_bindings()
        self.run_worker(lambda: cards_apart(self.services), group="cards", thread=True,
                        exit_on_error=False)  # fmt: skip

    def tell(self, problem: str) -> None:
        """A write the machine refused, in the stage's line; nothing changed."""
        self._stage(problem)
        self.app.bell()

    def action_close(self) -> None:
        if self.applied:
            self.services.reschedule()  # at once, should the due dates still be on their way
        self.dismiss(self.applied)

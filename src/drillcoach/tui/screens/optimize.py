"""Fitting the scheduling to the rep from the Progress screen, as ``drillcoach optimize``
does: the history read and the fit made in a worker thread, a progress bar through its
stages, the default and fitted scores on the held-out later reviews, and ``a`` applies
the fit only when it predicts them better. Taking a fit back (``drillcoach optimize
--undo``) has its own small screen. Both bring the rep's cards up to date in a worker,
so Today does not replay the history on the screens' thread."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, ProgressBar
from textual.worker import Worker, WorkerState

from drillcoach.scheduling import personal
from drillcoach.services import Services
from drillcoach.text import fit_lines, short_history_line
from drillcoach.tui.team import apart, failure_text
from drillcoach.tui.widgets.plain import Plain
from drillcoach.tui.writes import attempt, saved

READING = "reading"
STAGES = {  # fit's stages: (the step the bar reaches when it begins, what it says)
    READING: (0, "Reading your history..."),
    personal.FITTING: (1, "Fitting parameters to your earlier reviews..."),
    personal.SCORING: (2, "Scoring them and the defaults on your later, held-out reviews..."),
}
DONE = len(STAGES)
CARDS = "Bringing your drills up to date with the new parameters..."
BETTER = (
    "The fitted parameters predict your held-out reviews better than those in use: "
    "a applies them, escape keeps what you have."
)
NOT_BETTER = (  # the CLI's words
    "Not applied: the fit does not predict your held-out reviews better than the "
    "parameters in use. Nothing changed."
)
APPLIED = (
    "Applied: your drills are scheduled with the fitted parameters from now on "
    "(u on Progress, or 'drillcoach optimize --undo', restores the ones before)."
)


def extra_installed() -> bool:
    """Whether fsrs-rs-python (the optimize extra) can be imported."""
    try:
        import fsrs_rs_python  # noqa: F401
    except ImportError:
        return False
    return True


def fitted_on(store_changes: list[dict[str, Any]]) -> str | None:
    """The day of the fit whose parameters are in use (None: the defaults)."""
    last: Mapping[str, Any] = store_changes[-1] if store_changes else {}
    if last.get("parameters") is None:
        return None
    return str(last.get("at") if last.get("kind") == "fit" else last.get("restores"))[:10]


@dataclass(frozen=True)
class FitOffer:
    """What the Progress screen offers: the rep's history, whether the optimize extra is
    there, and the day of the fit in use (None: the default parameters)."""

    history: personal.History
    extra: bool
    fitted_on: str | None

    @property
    def ready(self) -> bool:
        """Enough history and the extra installed: a fit can be tried."""
        return self.extra and not self.history.missing


def offer_apart(services: Services) -> FitOffer:
    """The offer, read in a worker thread on a database connection of its own."""
    with apart(services) as own:
        scheduler = own.scheduler
        history = personal.read_history(
            own.store, own.library, scheduler.rep, scheduler.days, own.clock()
        )
        changes = personal.parameter_changes(own.store, scheduler.rep)
        return FitOffer(history, extra_installed(), fitted_on(changes))


def cards_apart(services: Services) -> None:
    """The rep's cards brought up to date with the parameters the store holds now, in a
    worker thread: new parameters replay every drill's history once."""
    with apart(services) as own:
        own.scheduler.cards.ready()


@dataclass(frozen=True)
class Outcome:
    history: personal.History
    fit: personal.Fit | None  # None: too short a history (it shrank since the offer)


class OptimizeScreen(ModalScreen[bool]):
    """Closes with True when the rep applied the fit (their cards changed)."""

    CSS_PATH = "optimize.tcss"
    BINDINGS = [
        Binding("a", "apply", "Apply", tooltip="Schedule your drills with the fitted parameters"),
        Binding("escape", "close", "Close", tooltip="Back to Progress"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.found: personal.Fit | None = None
        self.applied = False
        self._app: App[object] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="optimize") as box:
            box.border_title = "Fit the scheduling to your ratings"
            yield ProgressBar(total=DONE, show_eta=False, id="fit-progress")
            yield Plain(STAGES[READING][1], id="fit-stage")
            yield Plain("", id="fit-result")
            yield Plain("", id="fit-verdict")
        yield Footer()

    def on_mount(self) -> None:
        self._app = self.app  # the worker thread tells it the stages
        self.run_worker(self._fit_in_thread, group="fit", thread=True, exit_on_error=False)

    # --- the fit, in a worker thread

    def _fit_in_thread(self) -> Outcome:
        self._stage_from_thread(READING)
        with apart(self.services) as own:
            scheduler, now = own.scheduler, own.clock()
            history = personal.read_history(own.store, own.library, scheduler.rep,
                                            scheduler.days, now)  # fmt: skip
            if history.missing:
                return Outcome(history, None)
            current = personal.current_parameters(own.store, scheduler.rep)
            return Outcome(history, personal.fit(history, current, now, self._stage_from_thread))

    def _stage_from_thread(self, stage: str) -> None:
        # the app may have closed while the fit ran: then there is nothing to show it on
        if self._app is not None:
            with suppress(RuntimeError):
                self._app.call_from_thread(self._staged, stage)

    def _staged(self, stage: str) -> None:
        if self.is_attached and stage in STAGES:
            step, words = STAGES[stage]
            self.query_one("#fit-progress", ProgressBar).update(progress=step)
            self.query_one("#fit-stage", Plain).update(words)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if worker.group == "fit":
            self.query_one("#fit-progress", ProgressBar).update(progress=DONE)
            if event.state == WorkerState.ERROR:
                self._say("", failure_text(worker, "fitting"))
            elif isinstance(worker.result, Outcome):
                self._show(worker.result)
        elif worker.group == "cards":
            self.services.reschedule()
            if event.state == WorkerState.ERROR:
                self._say(APPLIED, failure_text(worker, "bringing your drills up to date"))
            else:
                self._say(APPLIED, "")
        self.refresh_bindings()

    def _show(self, outcome: Outcome) -> None:
        found = outcome.fit
        if found is None:
            self._say(short_history_line(outcome.history), "")
            return
        self.found = found
        self.query_one("#fit-result", Plain).update("\n".join(fit_lines(found)))
        self._say(BETTER if found.better else NOT_BETTER, "")

    def _say(self, verdict: str, stage: str) -> None:
        self.query_one("#fit-verdict", Plain).update(verdict)
        line = self.query_one("#fit-stage", Plain)
        line.update(stage)
        line.display = bool(stage)

    # --- the keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return self.found is not None and self.found.better and not self.applied
        return True

    def action_apply(self) -> None:
        """Keep the fitted parameters in the store at once (a short write), then bring
        the cards up to date with them in a worker."""
        found = self.found
        if found is None or not found.better or self.applied:
            return
        rep = self.services.scheduler.rep
        if not saved(lambda: personal.apply(self.services.store, rep, found), self.tell):
            return
        self.applied = True
        self._say(APPLIED, CARDS)
        self.refresh_bindings()
        self.run_worker(lambda: cards_apart(self.services), group="cards", thread=True,
                        exit_on_error=False)  # fmt: skip

    def tell(self, problem: str) -> None:
        """A write the machine refused, in the stage's line; nothing changed."""
        line = self.query_one("#fit-stage", Plain)
        line.update(problem)
        line.display = True
        self.app.bell()

    def action_close(self) -> None:
        if self.applied:
            self.services.reschedule()  # at once, should the cards still be on their way
        self.dismiss(self.applied)


class UndoFitScreen(ModalScreen[bool]):
    """Taking back the fit in use, after the rep says so; True when they did."""

    CSS_PATH = "optimize.tcss"
    BINDINGS = [
        Binding("u", "undo", "Take it back", tooltip="Restore the parameters before the fit"),
        Binding("escape", "close", "Close", tooltip="Back to Progress"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.done = False

    def compose(self) -> ComposeResult:
        changes = personal.parameter_changes(self.services.store, self.services.scheduler.rep)
        day = fitted_on(changes)
        with Vertical(id="optimize") as box:
            box.border_title = "Take back the fitted parameters"
            yield Plain(
                f"Your drills are scheduled with the parameters fitted on {day}. u takes "
                "them back (the ones before are restored), escape keeps them."
                if day
                else "No fitted parameters are in use: nothing to take back.",
                id="fit-verdict",
            )
            yield Plain("", id="fit-stage")
        yield Footer()

    def on_mount(self) -> None:
        self._stage("")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            rep = self.services.scheduler.rep
            return not self.done and fitted_on(
                personal.parameter_changes(self.services.store, rep)
            ) is not None  # fmt: skip
        return True

    def action_undo(self) -> None:
        if self.done:
            return
        services = self.services
        rep, now = services.scheduler.rep, services.clock()
        undone = attempt(lambda: personal.undo(services.store, rep, now), self.tell)
        if undone is None:
            return
        self.done = True
        taken, entry = undone
        now_on = (
            "your drills are scheduled with the default parameters again"
            if entry.get("parameters") is None
            else f"your drills are scheduled with those fitted on "
            f"{str(entry.get('restores'))[:10]} again"
        )
        self.query_one("#fit-verdict", Plain).update(
            f"Took back the parameters fitted on {str(taken.get('at'))[:10]}; {now_on}."
        )
        self._stage(CARDS)
        self.refresh_bindings()
        self.run_worker(lambda: cards_apart(services), group="cards", thread=True,
                        exit_on_error=False)  # fmt: skip

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "cards" or event.state not in (
            WorkerState.SUCCESS, WorkerState.ERROR,
        ):  # fmt: skip
            return
        self.services.reschedule()
        stage = ""
        if event.state == WorkerState.ERROR:
            stage = failure_text(event.worker, "bringing your drills up to date")
        self._stage(stage)

    def tell(self, problem: str) -> None:
        self._stage(problem)
        self.app.bell()

    def _stage(self, words: str) -> None:
        line = self.query_one("#fit-stage", Plain)
        line.update(words)
        line.display = bool(words)

    def action_close(self) -> None:
        if self.done:
            self.services.reschedule()
        self.dismiss(self.done)

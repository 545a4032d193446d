"""Personal FSRS parameters: a rep's counting ratings turned into fsrs-rs training items,
a fit on the earlier reviews scored on the later ones, and the parameters applied, kept
in the store with their date and scores so an undo can restore the ones before.

fsrs-rs-python (the ``optimize`` extra) is imported only inside the functions that fit
or score; reading and applying parameters needs nothing beyond the store."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from drillcoach.config import Config
from drillcoach.content import Library
from drillcoach.events import AnyRating, ManagerRating, Scheduling
from drillcoach.scheduling.cards import AHEAD, RENAMES, resolve_renames
from drillcoach.scheduling.days import Days
from drillcoach.scheduling.memory import Memory
from drillcoach.scheduling.rules import AGAIN, counting
from drillcoach.store import Store
from drillcoach.vocabulary import DEFAULT_RETENTION

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

PARAMETERS_KEY = "fsrs_parameters:{rep}"  # settings key: every change, oldest first
EXTRA_MISSING = "drillcoach optimize needs the optimize extra: pip install 'drillcoach[optimize]'"

# Reviews (ratings of a drill on a later drilling day than its previous one) needed before
# a fit is tried. The newest fifth is held out, so 800 gives 640 to train on, ten times the
# 64 below which fsrs-rs only sets the four initial stabilities and trains nothing else,
# and 160 held out: enough that a log loss gap of a few percent (what a fit gains on a
# history that truly differs from the defaults) stands above the noise of which drills
# happened to come up, where 100 would leave it about as large as the gain.
MIN_REVIEWS = 800
HELD_OUT_SHARE = 0.2
DECIMALS = 4  # parameters are kept, shown and scored rounded to this, as Anki shows them
FITTING, SCORING = "fitting", "scoring"  # the stages of ``fit``


# --- the rep's history as training items


@dataclass(frozen=True)
class Review:
    """One counting rating of a drill: its rating, the whole drilling days since the
    drill's previous counting rating (0 for the first, and for another on the same
    day), whether a manager gave it, and when."""

    at: datetime
    rating: int
    delta_days: int
    by_manager: bool


@dataclass(frozen=True)
class Item:
    """One review to predict (the last), with the drill's reviews before it."""

    drill: str
    reviews: tuple[Review, ...]

    @property
    def at(self) -> datetime:
        return self.reviews[-1].at

    @property
    def recalled(self) -> bool:
        return self.reviews[-1].rating > AGAIN


def drill_reviews(
    store: Store, library: Library, rep: str, days: Days, now: datetime
) -> dict[str, list[Review]]:
    """Each drill's counting ratings (uid -> reviews in time order), as the scheduler
    steps its card through them: the live ratings (an undone one is not there) of the
    drill and of the uids it replaces, those stamped later than the scheduler's horizon
    left out, and ``counting`` per drill, so on a drilling day with a manager rating of
    the drill only the manager's ratings enter; the rep's self-ratings of that day are
    kept for calibration only, here as in the schedule. Deltas are drilling days (the
    rep's ``Days``: a day starts at ``day_starts_at`` in their time zone)."""
    aliases, _ = resolve_renames(library, dict(store.get_setting(RENAMES, {})))
    horizon = now + AHEAD
    by_drill: dict[str, list[AnyRating]] = {}
    for event in store.ratings(rep):
        if event.drill_uid is not None and event.at <= horizon:
            uid = aliases.get(event.drill_uid, event.drill_uid)
            by_drill.setdefault(uid, []).append(event)
    found: dict[str, list[Review]] = {}
    for uid, events in sorted(by_drill.items()):
        reviews: list[Review] = []
        for event in counting(events, days):
            day = days.day_of(event.at)
            delta = (day - days.day_of(reviews[-1].at)).days if reviews else 0
            reviews.append(Review(event.at, event.rating, delta, isinstance(event, ManagerRating)))
        found[uid] = reviews
    return found


def training_items(reviews: Mapping[str, Sequence[Review]]) -> list[Item]:
    """One item per review on a later drilling day than the drill's previous one, with
    the drill's reviews up to it, oldest first. A same-day review (a learning step) is
    in the history of later items but is not predicted: FSRS forecasts recall across
    days, and at 0 days it says 1.0 whatever happened."""
    items = [
        Item(uid, tuple(history[: number + 1]))
        for uid, history in reviews.items()
        for number, review in enumerate(history)
        if number and review.delta_days > 0
    ]
    return sorted(items, key=lambda item: (item.at, item.drill))


def split(items: Sequence[Item]) -> tuple[list[Item], list[Item]]:
    """(train, held out) by time: the items in time order, the newest ``HELD_OUT_SHARE``
    held out (at least one). Every review the training items hold happened before the
    first held-out review, so the fit never sees what it is scored on; a held-out item
    keeps the drill's whole history before it (the earlier held-out reviews included),
    because that is what the schedule would know when the review came."""
    ordered = sorted(items, key=lambda item: (item.at, item.drill))
    cut = len(ordered) - max(1, round(len(ordered) * HELD_OUT_SHARE))
    return ordered[:cut], ordered[cut:]


# --- scoring


@dataclass(frozen=True)
class Scores:
    """How well parameters predict recall on some reviews (lower is better)."""

    log_loss: float
    rmse_bins: float

    def to_dict(self) -> dict[str, float]:
        return {"log_loss": self.log_loss, "rmse_bins": self.rmse_bins}


def _fsrs_item(reviews: Sequence[Review]) -> FSRSItem:
    from fsrs_rs_python import FSRSItem, FSRSReview

    return FSRSItem([FSRSReview(review.rating, review.delta_days) for review in reviews])


def predicted_recall(parameters: Sequence[float], items: Sequence[Item]) -> list[float]:
    """FSRS's recall probability of each item's last review: the memory state after the
    reviews before it (fsrs-rs), on the power forgetting curve of ``parameters``."""
    from fsrs_rs_python import FSRS

    if not items:
        return []
    states = FSRS(list(parameters)).memory_state_batch(
        [_fsrs_item(item.reviews[:-1]) for item in items]
    )
    decay = parameters[20]
    factor = 0.9 ** (-1 / decay) - 1
    return [
        (1 + factor * item.reviews[-1].delta_days / state.stability) ** -decay
        for item, state in zip(items, states, strict=True)
    ]


def _bin(item: Item) -> tuple[int, int, int]:
    """fsrs-rs's RMSE (bins) bin of an item: its interval, its number of reviews on
    later days and its lapses, each on a logarithmic scale."""
    delta = item.reviews[-1].delta_days
    longer = sum(1 for review in item.reviews if review.delta_days > 0)
    lapses = sum(
        1 for review in item.reviews[:-1] if review.rating == AGAIN and review.delta_days > 0
    )
    interval = round(2.48 * 3.62 ** math.floor(math.log(delta, 3.62)) * 100)
    length = round(1.99 * 1.89 ** math.floor(math.log(longer + 1, 1.89)))
    lapse = round(1.65 * 1.73 ** math.floor(math.log(lapses, 1.73))) if lapses else 0
    return interval, length, lapse


def score(parameters: Sequence[float], items: Sequence[Item]) -> Scores:
    """Log loss and RMSE (bins) of ``parameters`` on ``items``, computed here from the
    predicted recall of each item's last review (``predicted_recall``): log loss is the
    mean binary cross-entropy against recalled (any rating but Again) or not; RMSE (bins)
    groups the items by fsrs-rs's bins (interval, reviews, lapses) and takes the root of
    the count-weighted mean of (mean predicted - share recalled)² over the bins, as
    srs-benchmark defines it. Unlike fsrs-rs's own ``evaluate``, no item weighs more for
    being recent, so the figures do not depend on the order the items come in."""
    if not items:
        raise ValueError("no items to score")
    predicted = predicted_recall(parameters, items)
    loss = 0.0
    bins: dict[tuple[int, int, int], list[float]] = {}
    for item, p in zip(items, predicted, strict=True):
        p = min(max(p, 1e-7), 1 - 1e-7)
        y = 1.0 if item.recalled else 0.0
        loss -= y * math.log(p) + (1 - y) * math.log(1 - p)
        found = bins.setdefault(_bin(item), [0.0, 0.0, 0.0])
        found[0] += p
        found[1] += y
        found[2] += 1
    squares = sum((p - y) ** 2 / n for p, y, n in bins.values())  # n·((p-y)/n)²
    return Scores(loss / len(items), math.sqrt(squares / len(items)))


# --- fitting


@dataclass(frozen=True)
class History:
    """What a fit would be made from: the rep's drills and training items."""

    drills: int  # drills with a counting rating
    ratings: int  # counting ratings
    items: tuple[Item, ...]

    @property
    def reviews(self) -> int:
        return len(self.items)

    @property
    def missing(self) -> int:
        """Reviews still needed before a fit is tried (0: enough)."""
        return max(0, MIN_REVIEWS - self.reviews)


def read_history(store: Store, library: Library, rep: str, days: Days, now: datetime) -> History:
    reviews = drill_reviews(store, library, rep, days, now)
    return History(
        drills=sum(1 for history in reviews.values() if history),
        ratings=sum(len(history) for history in reviews.values()),
        items=tuple(training_items(reviews)),
    )


@dataclass(frozen=True)
class Fit:
    """Parameters fitted on the earlier reviews, scored with the defaults (and with the
    parameters in use, when they are not the defaults) on the later, held-out ones."""

    parameters: tuple[float, ...]
    default: Scores
    fitted: Scores
    current: Scores | None  # the parameters in use, when not the defaults
    drills: int
    reviews: int  # reviews of a drill on a later day than its previous (items)
    train: int
    held_out: int
    held_out_from: datetime  # the first held-out review
    at: datetime
    moved: bool  # False: fsrs-rs gave the defaults back (too few drills to fit on)

    @property
    def baseline(self) -> Scores:
        """What the fit must beat: the parameters in use."""
        return self.current or self.default

    @property
    def better(self) -> bool:
        """Whether the fit predicts the held-out reviews better than what is in use (and
        than the defaults): a lower log loss, the quantity fsrs-rs minimises."""
        return self.moved and self.fitted.log_loss < min(
            self.default.log_loss, self.baseline.log_loss
        )


def change(before: float, after: float) -> float:
    """The change from ``before`` to ``after`` in percent (negative: lower)."""
    return (after - before) / before * 100 if before else 0.0


def clean(parameters: Sequence[float]) -> tuple[float, ...]:
    """Parameters rounded to ``DECIMALS`` and kept within the bounds the scheduler
    (py-fsrs) accepts, which are close to, but not exactly, fsrs-rs's own."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    if len(parameters) != len(LOWER_BOUNDS_PARAMETERS):
        raise ValueError(f"expected {len(LOWER_BOUNDS_PARAMETERS)} parameters, got {parameters}")
    return tuple(
        min(max(round(value, DECIMALS), low), high)
        for value, low, high in zip(
            parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    )


def default_parameters() -> tuple[float, ...]:
    from fsrs.scheduler import DEFAULT_PARAMETERS

    return tuple(DEFAULT_PARAMETERS)


def fit(
    history: History,
    current: Sequence[float] | None,
    now: datetime,
    stage: Callable[[str], object] = lambda _: None,
) -> Fit:
    """Fit on ``history``'s earlier reviews (fsrs-rs's optimizer, starting from the
    defaults, with its short-term model for same-day reviews) and score on the held-out
    later ones (``split``, ``score``). Needs ``MIN_REVIEWS`` (``History.missing``).
    ``stage`` hears ``FITTING`` then ``SCORING`` as each begins (the TUI's progress bar:
    fsrs-rs's optimizer reports no progress of its own)."""
    from fsrs_rs_python import FSRS

    if history.missing:
        raise ValueError(f"{history.reviews} reviews: a fit needs {MIN_REVIEWS}")
    train, held_out = split(history.items)
    defaults = default_parameters()
    stage(FITTING)
    raw = FSRS(list(defaults)).compute_parameters([_fsrs_item(item.reviews) for item in train])
    fitted = clean(raw)
    stage(SCORING)
    return Fit(
        parameters=fitted,
        default=score(defaults, held_out),
        fitted=score(fitted, held_out),
        current=score(current, held_out) if current else None,
        drills=history.drills,
        reviews=history.reviews,
        train=len(train),
        held_out=len(held_out),
        held_out_from=held_out[0].at,
        at=now,
        moved=fitted != clean(defaults),
    )


# --- parameters kept in the store


def parameter_changes(store: Store, rep: str) -> list[dict[str, Any]]:
    """Every change of ``rep``'s parameters, oldest first: each fit applied and each undo,
    with its date and the parameters in force after it (None: the defaults)."""
    kept = store.get_setting(PARAMETERS_KEY.format(rep=rep), [])
    return [entry for entry in kept if isinstance(entry, dict)]


def current_parameters(store: Store, rep: str) -> tuple[float, ...] | None:
    """The parameters ``rep``'s cards are scheduled with (None: the defaults)."""
    changes = parameter_changes(store, rep)
    parameters = changes[-1].get("parameters") if changes else None
    return tuple(float(value) for value in parameters) if parameters else None


def memory_for(
    store: Store, config: Config, rep: str, parameters: Sequence[float] | None = None
) -> Memory:
    """The Memory of ``rep``'s cards (or of ``parameters``, when given), with this
    profile's fuzz and what ``chosen_by`` says ``rep`` schedules with. Every card book
    of one rep must use it, or each would rebuild the cards the other kept."""
    chosen, retention = chosen_by(store, config, rep)
    return Memory(
        desired_retention=retention,
        fuzz=config.fuzz,
        parameters=parameters if parameters is not None else chosen,
    )


def chosen_by(store: Store, config: Config, rep: str) -> tuple[tuple[float, ...] | None, float]:
    """The parameters (None: the defaults) and desired retention ``rep`` schedules with:
    for the profile's own member, those applied for them and the configured one; for
    another member (a manager's rep), what their latest synced ``Scheduling`` says, the
    defaults until one comes."""
    if rep == config.member:
        return current_parameters(store, rep), config.desired_retention
    return said_by(store, rep)


def said_by(store: Store, rep: str) -> tuple[tuple[float, ...] | None, float]:
    """The choice ``rep``'s latest ``Scheduling`` record says (the defaults: none yet)."""
    said = store.latest_coaching(rep, Scheduling)
    return said.choice if said else (None, DEFAULT_RETENTION)


def scheduling_of(store: Store, config: Config, rep: str, now: datetime) -> Scheduling:
    """What the profile's own member schedules with, as the record that tells their
    manager (team/eventlog.py adds one when it changed)."""
    return Scheduling(
        by=rep,
        at=now,
        parameters=current_parameters(store, rep),
        desired_retention=config.desired_retention,
    )


def parameters_problem(parameters: Sequence[float]) -> str | None:
    """Why ``parameters`` cannot schedule (a record read from the workspace): how many
    there must be and the bounds the scheduler accepts; None when they can."""
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

    bounds = list(zip(LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True))
    if len(parameters) != len(bounds) or not all(
        low <= value <= high for value, (low, high) in zip(parameters, bounds, strict=False)
    ):
        return f"expected {len(bounds)} FSRS parameters within the scheduler's bounds"
    return None


def apply(store: Store, rep: str, fitted: Fit) -> dict[str, Any]:
    """Schedule ``rep``'s cards with ``fitted``'s parameters from now on: a change
    appended to the kept list (with the fit's date, counts and scores). The cards follow
    on the next ``CardBook.ready()``: their memory signature changed."""
    entry: dict[str, Any] = {
        "kind": "fit",
        "at": fitted.at.astimezone(UTC).isoformat(),
        "parameters": list(fitted.parameters),
        "drills": fitted.drills,
        "reviews": fitted.reviews,
        "train": fitted.train,
        "held_out": fitted.held_out,
        "held_out_from": fitted.held_out_from.astimezone(UTC).isoformat(),
        "default": fitted.default.to_dict(),
        "fitted": fitted.fitted.to_dict(),
        "current": fitted.current.to_dict() if fitted.current else None,
    }
    _append(store, rep, entry)
    return entry


def _applied(changes: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The fits in force, oldest first: each undo takes back the latest one."""
    stack: list[Mapping[str, Any]] = []
    for entry in changes:
        if entry.get("kind") == "undo":
            if stack:
                stack.pop()
        else:
            stack.append(entry)
    return stack


def undo(store: Store, rep: str, now: datetime) -> tuple[Mapping[str, Any], dict[str, Any]] | None:
    """Restore the parameters in force before the latest fit still applied: (the fit
    taken back, the change appended, whose ``parameters`` are those restored, None for
    the defaults). Nothing is removed from the kept list. None: no fit to undo."""
    stack = _applied(parameter_changes(store, rep))
    if not stack:
        return None
    taken = stack.pop()
    restored = stack[-1] if stack else None
    entry: dict[str, Any] = {
        "kind": "undo",
        "at": now.astimezone(UTC).isoformat(),
        "parameters": list(restored["parameters"]) if restored else None,
        "undoes": taken.get("at"),
        "restores": restored.get("at") if restored else None,
    }
    _append(store, rep, entry)
    return taken, entry


def _append(store: Store, rep: str, entry: dict[str, Any]) -> None:
    key = PARAMETERS_KEY.format(rep=rep)
    with store.transaction():  # read and write as one: two optimizers cannot interleave
        store.set_setting(key, [*store.get_setting(key, []), entry])

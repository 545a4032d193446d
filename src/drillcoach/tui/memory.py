"""When Python's cyclic collector may run in the TUI. Left to itself, on a large library it
walks everything loaded (the library, the card cache, the app) at each full collection,
and during a session one lands every drill or two, inside a key press: 100-400 ms each
(bench/RESULTS.md, "Session latency"). So what is loaded once is frozen out of its walks,
during a session the full collections wait for the moment a drill has just appeared,
when the rep reads it and no key is waiting, and what each of them leaves is frozen too:
the next one walks only what the next drill made."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from textual.app import App

T = TypeVar("T")

DEFAULT = gc.get_threshold()  # the collector's own thresholds, (700, 10, 10)
DEFAULT_OLDEST = DEFAULT[2]
NEVER = 1 << 30  # a gen-2 threshold (a count of gen-1 collections) never reached
# allocations between two young collections in a session: building a drill screen makes
# tens of thousands of objects, and at 700 each press paid dozens of collections (5-10 ms)
SESSION_YOUNG = 20_000


def load_apart(load: Callable[[], T]) -> T:
    """What ``load`` builds (the services: the library, the store), built with the
    collector paused and then frozen out of its walks. Loading makes hundreds of thousands
    of objects and no garbage to speak of, so the full collections the allocations would
    set off walk the half-built library for nothing (a 10,000-drill library: tens of ms);
    frozen at once, it stays out of every collection Textual's startup sets off."""
    with _paused():
        loaded = load()
        gc.freeze()  # before the collector is back: else its first young collection
        # walks all that was just made
    return loaded


@contextmanager
def _paused() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def keep_loaded(app: App[object], *, collect: bool) -> None:
    """Leave every object alive now out of the collector's walks (``gc.freeze``). Frozen
    objects are still freed when nothing refers to them; only cycles among them wait for
    ``reclaim`` or ``let_go``. ``collect`` first frees the cycles of what closed since the
    last freeze (``collect_now``: screens are cycles), cheap once the bulk is frozen; at
    startup it is skipped, since startup leaves little garbage and Today should paint at
    once."""
    if collect:
        collect_now(app)
    else:
        gc.freeze()


def hold_full_collections() -> None:
    """No full collection on its own while a session runs, and fewer young ones;
    ``collect_now`` runs a full one between drills."""
    gc.set_threshold(SESSION_YOUNG, DEFAULT[1], NEVER)


def release_full_collections() -> None:
    """The collector's own thresholds again."""
    gc.set_threshold(*DEFAULT)


def collect_now(app: App[object]) -> None:
    """A full collection (the drill screens closed since the last one are cycles), then
    what survived it frozen too, so the next one walks only what the next drill made.

    What survives is mostly Textual's render caches (strips, styles), which fill up over
    the first 25-30 drills of a session to some 180,000 objects: walked at each drill, a
    collection grew from 5 ms to 130-180 ms on a large library, and a key pressed in that
    moment waited for it. Frozen, each takes 2-5 ms. The price: a drill screen still open
    at its collection (the current one) is never freed while frozen, about 0.7 MB a
    drill, until ``reclaim`` at the session's end walks everything once."""
    _forget_closed_watchers(app)
    gc.collect()
    gc.freeze()


def reclaim(app: App[object]) -> None:
    """Everything frozen during a session walked once more, so the drill screens frozen
    while open are freed; then frozen again. One full walk (100-300 ms on a large
    library): run it where the rep is not waiting on a key, once Today has painted after
    the session."""
    gc.unfreeze()
    collect_now(app)


def let_go() -> None:
    """Everything frozen back to the collector, and its own thresholds (the app closes;
    another may start in the same process, as in the tests)."""
    release_full_collections()
    gc.unfreeze()


def _forget_closed_watchers(app: App[object]) -> None:
    """Textual keeps, on the app, each widget that watches an app attribute (a TextArea
    watches the theme) until that attribute changes, when it drops the closed ones: so
    every drill's answer box, with its render caches, outlives its screen. Drop them as
    Textual would (it keeps them in the app's ``__watchers``; nothing there: no-op)."""
    watchers = getattr(app, "__watchers", None)
    if not isinstance(watchers, dict):
        return
    for pairs in watchers.values():
        pairs[:] = [pair for pair in pairs if not getattr(pair[0], "_closing", False)]

"""Per-rep preferences the UI changes: which packs feed the queue, typed or spoken
answers, whether the welcome was seen and when to ask for a vision. Kept in the store,
not in config.toml."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from drillcoach.content import Library
from drillcoach.errors import UserError
from drillcoach.events import ANSWER_MODES, AnswerMode, parse_utc, utc_text
from drillcoach.store import Store

DISABLED_PACKS = "disabled_packs"
DEFAULT_DISABLED_PACKS = ("onboarding",)
ANSWER_MODE = "answer_mode"
WELCOMED = "welcomed"
VISION_ASK_AFTER = "vision_ask_after"


class Prefs:
    """One rep's preferences over the loaded library."""

    def __init__(self, store: Store, library: Library) -> None:
        self.store = store
        self.library = library

    def disabled_packs(self) -> set[str]:
        stored = self.store.get_setting(DISABLED_PACKS)
        return set(stored if stored is not None else DEFAULT_DISABLED_PACKS)

    def set_pack_enabled(self, pack_id: str, enabled: bool) -> None:
        if pack_id not in self.library.packs:
            raise UserError(f"no pack '{pack_id}' (see 'drillcoach packs list')")
        disabled = self.disabled_packs()
        if enabled:
            disabled.discard(pack_id)
        else:
            disabled.add(pack_id)
        self.store.set_setting(DISABLED_PACKS, sorted(disabled))

    def set_enabled_packs(self, pack_ids: Iterable[str]) -> None:
        """Exactly these packs on, every other loaded pack off."""
        enabled = set(pack_ids)
        self.store.set_setting(DISABLED_PACKS, sorted(set(self.library.packs) - enabled))

    def answer_mode(self) -> AnswerMode:
        stored = self.store.get_setting(ANSWER_MODE, "typed")
        return next((mode for mode in ANSWER_MODES if mode == stored), "typed")

    def set_answer_mode(self, mode: AnswerMode) -> None:
        self.store.set_setting(ANSWER_MODE, mode)

    def welcomed(self) -> bool:
        return bool(self.store.get_setting(WELCOMED, False))

    def set_welcomed(self) -> None:
        self.store.set_setting(WELCOMED, True)

    def vision_ask_after(self) -> datetime | None:
        """When to ask the rep for their vision (None: not to ask): set at the welcome, and
        a week on when they say "later"."""
        stored = self.store.get_setting(VISION_ASK_AFTER)
        try:
            return parse_utc(stored) if isinstance(stored, str) else None
        except ValueError:
            return None

    def set_vision_ask_after(self, moment: datetime) -> None:
        self.store.set_setting(VISION_ASK_AFTER, utc_text(moment))

"""Willingness to sell, seen in behaviour rather than in words: over the last 30 days, how
often the rep sets prospecting and cold-call drills aside compared with other drills, how
many of the drilling days they committed to they missed, and how many of the calls they
said they would debrief they did (as coaching/commitments.py counts them). The 1:1 agenda
raises it as a signal when it is low.

The rule for low (documented here, tested in tests/test_coaching_agenda.py): the rep
avoids prospecting (at least 3 prospecting drills set aside, at least a quarter of those
they met, and at least twice the share of other drills set aside), or falls short on both
promises they made: missed at least a quarter of the committed drilling days (two or more)
and logged under half of the debriefs they promised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from drillcoach.coaching.commitments import against_commitment, commitment_statuses
from drillcoach.coaching.view import CoachingView
from drillcoach.content import Drill, Library
from drillcoach.events import SetAsideAction
from drillcoach.scheduling.days import Days
from drillcoach.store import Store

WINDOW = timedelta(days=30)
PROSPECTING_SKILLS = frozenset({"prospecting"})
COLD_CALL_PACKS = frozenset({"cold-call-openers"})
SET_ASIDE: tuple[SetAsideAction, ...] = ("suspend", "bury")  # skipped for today, or for good
AVOIDED_AT_LEAST = 3  # prospecting drills set aside before avoidance counts
AVOIDED_SHARE = 0.25  # of the prospecting drills the rep met
AVOIDED_TIMES = 2.0  # against the share of other drills set aside
MISSED_SHARE = 0.25  # of the committed drilling days
MISSED_AT_LEAST = 2
DEBRIEFED_SHARE = 0.5  # of the debriefs promised


def is_prospecting(drill: Drill) -> bool:
    """A prospecting or cold-call drill: the first thirty seconds with a stranger."""
    return drill.skill in PROSPECTING_SKILLS or drill.pack_id in COLD_CALL_PACKS


@dataclass(frozen=True)
class Willingness:
    """The three parts, each None where the one looking cannot see it (set-asides stay on
    the rep's machine; commitments and debriefs only when shared) or the rep made no
    such promise."""

    prospecting_set_aside: int | None  # prospecting drills set aside (None: not seen)
    prospecting_met: int  # prospecting drills rated or set aside
    others_set_aside: int
    others_met: int
    committed_days: int | None  # drilling days committed over the weeks measured
    missed_days: int
    promised_debriefs: int | None  # debriefs promised over the weeks measured
    logged_debriefs: int
    seen: CoachingView
    # kinds of commitment the rep holds now, judged or not yet (a first week is not)
    held: frozenset[str] = frozenset()

    @property
    def avoids_prospecting(self) -> bool:
        aside = self.prospecting_set_aside
        if aside is None or aside < AVOIDED_AT_LEAST or not self.prospecting_met:
            return False
        share = aside / self.prospecting_met
        others = self.others_set_aside / self.others_met if self.others_met else 0.0
        return share >= AVOIDED_SHARE and share >= AVOIDED_TIMES * others

    @property
    def misses_days(self) -> bool:
        committed = self.committed_days
        return bool(committed) and self.missed_days >= max(
            MISSED_AT_LEAST, MISSED_SHARE * (committed or 0)
        )

    @property
    def skips_debriefs(self) -> bool:
        promised = self.promised_debriefs
        return bool(promised) and self.logged_debriefs < DEBRIEFED_SHARE * (promised or 0)

    @property
    def low(self) -> bool:
        return self.avoids_prospecting or (self.misses_days and self.skips_debriefs)

    @property
    def measured(self) -> bool:
        """Whether any part has numbers to go on."""
        return bool(
            self.prospecting_met or self.others_met or self.committed_days
            or self.promised_debriefs
        )  # fmt: skip


def willingness(
    store: Store, library: Library, rep: str, days: Days, now: datetime, seen: CoachingView
) -> Willingness:
    """The rep's willingness signal as of ``now``, from what ``seen`` lets the one looking
    see in ``store``: the last 30 days, and the commitments' weeks that began in them."""
    since = now - WINDOW
    met = set(store.self_rated_since(rep, since))
    aside = store.set_aside_since(rep, since, SET_ASIDE) if seen.set_asides else set()
    met |= aside
    drills = [drill for uid in met if (drill := library.drill(uid)) is not None]
    prospecting = {drill.uid for drill in drills if is_prospecting(drill)}
    others = {drill.uid for drill in drills} - prospecting
    drilled = debriefed = (0, 0)
    held: frozenset[str] = frozenset()
    if seen.commitments:
        statuses = commitment_statuses(store, library, rep, days, now, every=True,
                                       hidden=seen.unseen_commitments)  # fmt: skip
        first = days.day_of(since)
        held = frozenset(status.commitment.kind for status in statuses
                         if status.ended is None and status.state != "dropped")  # fmt: skip
        drilled = against_commitment(statuses, "drill-days", first)
        if seen.debriefs:
            debriefed = against_commitment(statuses, "debrief-calls", first)
    return Willingness(
        prospecting_set_aside=len(aside & prospecting) if seen.set_asides else None,
        prospecting_met=len(prospecting),
        others_set_aside=len(aside & others),
        others_met=len(others),
        committed_days=drilled[1] or None,
        missed_days=drilled[1] - drilled[0],
        promised_debriefs=debriefed[1] or None,
        logged_debriefs=debriefed[0],
        seen=seen,
        held=held,
    )


# --- in words


def willingness_line(found: Willingness) -> str:
    """One line with the numbers: 'Prospecting set aside 4 of 6 (other drills 2 of 30) ·
    drilled 11 of 16 committed days · debriefed 1 of 4 promised calls - low'."""
    parts = [_prospecting_part(found)]
    if found.committed_days is not None:
        done = found.committed_days - found.missed_days
        parts.append(f"drilled {done} of {found.committed_days} committed days")
    elif "drill-days" in found.held:
        parts.append("drilling days committed, too new to judge")
    elif found.seen.commitments:
        parts.append("no drilling days committed")
    else:
        parts.append("commitments not shared")
    if found.promised_debriefs is not None:
        parts.append(f"debriefed {found.logged_debriefs} of {found.promised_debriefs} "
                     "promised calls")  # fmt: skip
    elif not found.seen.debriefs:
        parts.append("debriefs not shared")
    elif "debrief-calls" in found.held:
        parts.append("debriefs promised, too new to judge")
    elif found.seen.commitments:
        parts.append("no debriefs promised")
    verdict = "low" if found.low else "no warning sign" if found.measured else "too little to go on"
    return " · ".join(parts) + f" - {verdict}"


def _prospecting_part(found: Willingness) -> str:
    if found.prospecting_set_aside is None:
        return "prospecting set-asides stay private"
    if not found.prospecting_met:
        return "no prospecting drills met"
    return (
        f"prospecting set aside {found.prospecting_set_aside} of {found.prospecting_met} "
        f"(other drills {found.others_set_aside} of {found.others_met})"
    )


def shortfall(found: Willingness) -> str | None:
    """The most telling sign, as what the rep did ('set aside 4 of the 6 prospecting
    drills you met'), for a question; None when the signal is not low."""
    if not found.low:
        return None
    if found.avoids_prospecting:
        return (
            f"set aside {found.prospecting_set_aside} of the {found.prospecting_met} "
            "prospecting drills you met"
        )
    return (
        f"missed {found.missed_days} of the {found.committed_days} drilling days you "
        f"committed to, and debriefed {found.logged_debriefs} of the "
        f"{found.promised_debriefs} calls you said you would"
    )

"""What of a rep's coaching the one looking may see: a rep sees all of their own; their
manager sees what the rep shares now (a kind shared once and taken back is not shown,
though its records stay in the manager's store), and never the suspend and bury actions,
which stay on the rep's machine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from drillcoach.content import Skill
from drillcoach.events import Agreement, CommitmentKind, Sharing
from drillcoach.store import Store


@dataclass(frozen=True)
class CoachingView:
    own: bool  # the rep looking at themselves
    vision: bool  # the vision and the sales DNA checks
    agreement: bool
    commitments: bool
    debriefs: bool

    @property
    def set_asides(self) -> bool:
        """Suspend and bury are never synced: only the rep sees them."""
        return self.own

    @property
    def unseen_commitments(self) -> tuple[CommitmentKind, ...]:
        """The kinds of commitment whose evidence is not seen: debriefs promised, when the
        debriefs themselves are not shared."""
        return () if self.debriefs else ("debrief-calls",)


def own_view() -> CoachingView:
    return CoachingView(own=True, vision=True, agreement=True, commitments=True, debriefs=True)


def manager_view(sharing: Sharing | None) -> CoachingView:
    """What a manager sees of a rep whose latest sharing choice is ``sharing`` (None: the
    rep never said, so only the defaults)."""
    if sharing is None:
        return CoachingView(False, False, False, False, False)
    return CoachingView(
        own=False,
        vision=sharing.vision,
        agreement=sharing.agreement,
        commitments=sharing.commitments,
        debriefs=sharing.debriefs,
    )


def shared_view(store: Store, rep: str) -> CoachingView:
    """What a manager sees of ``rep``, by the latest sharing choice the rep synced."""
    return manager_view(store.sharing(rep))


def view_of(store: Store, rep: str, me: str) -> CoachingView:
    """What ``me`` sees of ``rep``'s coaching: all of it when it is their own, else
    what the rep shares now."""
    return own_view() if rep == me else shared_view(store, rep)


def seen_agreement(store: Store, rep: str, seen: CoachingView) -> Agreement | None:
    """The rep's current coaching agreement, when the one looking sees it."""
    return store.latest_coaching(rep, Agreement) if seen.agreement else None


def agreement_word(seen: CoachingView, agreement: Agreement | None, skill: str) -> str:
    """What feedback on ``skill`` is against the rep's agreement, for a column: 'agreed',
    'outside: ask first', 'no agreement' or 'not shared'."""
    from drillcoach.coaching.agreement import area_for

    if not seen.agreement:
        return "not shared"
    if agreement is None:
        return "no agreement"
    return "agreed" if area_for(agreement, skill) is not None else "outside: ask first"


def agreed_areas_line(
    seen: CoachingView, agreement: Agreement | None, skills: Mapping[str, Skill], name: str
) -> str:
    """'Agreed coaching areas: Objection handling, Closing; outside them, ask first'."""
    from drillcoach.text import first_name, skill_title

    first = first_name(name)
    if not seen.agreement:
        return f"{first} does not share a coaching agreement: ask before going into detail"
    if agreement is None:
        return f"No coaching agreement from {first} yet: ask before going into detail"
    titles = ", ".join(skill_title(skills, area.skill) for area in agreement.areas)
    return f"Agreed coaching areas: {titles}; outside them, ask first"

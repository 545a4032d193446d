"""The drills closest to an objection heard on a call, to copy key points and an answer
from, or, when one matches, to bring forward instead of writing a new one.

Closeness is plain text similarity (no model, nothing leaves the machine): both texts are
cut to their content words (lowercase, contractions opened, small words dropped, a light
stem, a few sales synonyms), then scored 0 to 1 as 0.4 x the Dice overlap of the two word
sets, 0.3 x the share of the drill's words found in what was heard (the drill's short
title wholly inside a longer remark scores high; a long role-play turn that merely holds
the remark's few words does not) and 0.3 x difflib's ratio of the two word sequences
(same words, same order).
Each drill is scored by the best of its title, its buyer line(s) and prompt."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from drillcoach.content import Drill, Library

CLOSEST_SHOWN = 3
# From this score an objection "matches" a drill: the offer becomes bringing that drill
# forward rather than writing a new one. On the built-in packs, objections heard in other
# words score 0.75 to 1 against the drill they are (price, timing, "we'll think about it",
# "send the contract"), looser paraphrases 0.5 to 0.7 (still first among the closest, to
# copy from), and unrelated remarks about 0.3.
FORWARD_AT = 0.75

_CONTRACTIONS = (
    ("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"), ("'m", " am"),
    ("'d", " would"), ("'s", ""),
)  # fmt: skip
_SMALL = (
    "a an the and or but to of in on for with at by from is are was were be been being it "
    "its this that these those i you we they he she me us our your my their them him her "
    "just so do does did have has had will would can could should am as if then than there "
    "here what which who whom about into over up out off get got really very honestly well "
    "look oh okay ok yeah right thing things any some all much many too also still even now "
    "guys"
)
_SMALL_WORDS = frozenset(_SMALL.split())
_SYNONYMS = {
    "expensive": "price", "pricey": "price", "costly": "price", "cost": "price",
    "pricing": "price", "priced": "price", "supplier": "vendor", "provider": "vendor",
    "competitor": "vendor", "mail": "email",
}  # fmt: skip
_SUFFIXES = ("ing", "ed", "es", "ly", "s")
_WORD = re.compile(r"[a-z0-9]+")


# --- how close two texts are


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry its meaning, lightly stemmed, in order."""
    lowered = text.lower().replace("\u2019", "'")
    for short, long in _CONTRACTIONS:
        lowered = lowered.replace(short, long)
    found = []
    for word in _WORD.findall(lowered):
        if word in _SMALL_WORDS:
            continue
        word = _SYNONYMS.get(word, word)
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        found.append(_SYNONYMS.get(word, word))
    return found


def similarity(heard: Sequence[str], other: Sequence[str]) -> float:
    """0 (nothing shared) to 1 (the same content words in the same order)."""
    mine, theirs = set(heard), set(other)
    shared = len(mine & theirs)
    if not shared:
        return 0.0
    dice = 2 * shared / (len(mine) + len(theirs))
    within = shared / len(theirs) if len(theirs) >= 2 else dice
    order = difflib.SequenceMatcher(None, list(heard), list(other), autojunk=False).ratio()
    return 0.4 * dice + 0.3 * within + 0.3 * order


def _buyer_texts(drill: Drill) -> list[str]:
    texts = [drill.title]
    if drill.prompt:
        texts.append(drill.prompt)
    texts.extend(turn.buyer for turn in drill.turns)
    return texts


def closest_drills(
    library: Library, text: str, n: int = CLOSEST_SHOWN
) -> list[tuple[Drill, float]]:
    """The ``n`` drills whose buyer words are closest to ``text``, closest first, each
    with its score (0 to 1); drills sharing no content word are left out. Written
    drills (an email to write) are not buyer words, so never offered."""
    heard = content_words(text)
    if not heard:
        return []
    scored: list[tuple[Drill, float]] = []
    for drill in library.drills():
        if drill.is_written:
            continue
        texts = [content_words(t) for t in _buyer_texts(drill)]
        # a one-word buyer line ("Price?") says too little to match a longer remark
        score = max((similarity(heard, words) for words in texts
                     if len(words) >= min(2, len(heard))), default=0.0)  # fmt: skip
        if score > 0:
            scored.append((drill, round(score, 3)))
    scored.sort(key=lambda found: (-found[1], library.rank(found[0].uid)))
    return scored[:n]


@dataclass(frozen=True)
class Offer:
    """What an objection heard can become: a new drill (its key points and answer copied
    from one of ``closest``, or written), or, when the closest matches, that drill
    brought forward to today."""

    objection: str
    closest: tuple[tuple[Drill, float], ...]

    @property
    def match(self) -> Drill | None:
        """The drill this objection already is, if one matches closely."""
        if self.closest and self.closest[0][1] >= FORWARD_AT:
            return self.closest[0][0]
        return None


def offer_for(library: Library, objection: str) -> Offer:
    return Offer(objection, tuple(closest_drills(library, objection)))


def closeness_words(score: float) -> str:
    if score >= FORWARD_AT:
        return "matches"
    return "close" if score >= 0.5 else "a little alike"


def offer_lines(offer: Offer, library: Library) -> list[str]:
    """The closest drills, numbered, and the drill it matches if one does."""
    lines = []
    match = offer.match
    if match is not None:
        pack = library.packs[match.pack_id].title
        lines.append(f'This is "{match.title}" ({pack}): bring that drill forward to today '
                     "rather than writing a new one?")  # fmt: skip
    if offer.closest:
        lines.append("Closest drills to copy key points and an answer from:")
        for number, (drill, score) in enumerate(offer.closest, 1):
            lines.append(f"  {number}. {drill.title} ({drill.uid}, {closeness_words(score)})")
    else:
        lines.append("No drill says anything like it yet: write the key points yourself.")
    return lines

"""The closed sets of words events use (answer modes, rating contexts, commitment kinds,
call types...), apart from the event classes so the CLI's parser can offer them as choices
without building every event dataclass (``drillcoach --help`` and ``--version`` stay quick)."""

from __future__ import annotations

import typing
from typing import Literal, TypeAlias

Rating: TypeAlias = Literal[1, 2, 3, 4]
AnswerMode: TypeAlias = Literal["typed", "spoken"]
# where a manager saw the rep at work: a live role-play, a joint call, a recorded call, or
# an answer the rep sent for review (the inbox)
RatingContext: TypeAlias = Literal["roleplay", "joint-call", "call-review", "answer"]
# "forward": bring a drill into today's queue (a debrief matched an objection to it)
SetAsideAction: TypeAlias = Literal["suspend", "unsuspend", "bury", "unbury", "forward"]
# how a rep wants detailed feedback on an agreed coaching area
FeedbackWay: TypeAlias = Literal["every-roleplay", "weekly", "joint-calls"]
# commitments drillcoach checks by itself, and the rep's own ("own": ticked off by hand)
CommitmentKind: TypeAlias = Literal[
    "drill-days", "finish-pack", "debrief-calls", "manager-ratings", "own"
]
CommitmentAction: TypeAlias = Literal["done", "dropped"]
CallType: TypeAlias = Literal[
    "cold-call", "discovery", "demo", "proposal", "negotiation", "closing", "renewal", "other"
]
CallOutcome: TypeAlias = Literal["won", "advanced", "no-change", "stalled", "lost"]

DEFAULT_RETENTION = 0.9  # FSRS's desired retention, for a rep who has not chosen another

ANSWER_MODES: tuple[AnswerMode, ...] = typing.get_args(AnswerMode)
FEEDBACK_WAYS: tuple[FeedbackWay, ...] = typing.get_args(FeedbackWay)
COMMITMENT_KINDS: tuple[CommitmentKind, ...] = typing.get_args(CommitmentKind)
CALL_TYPES: tuple[CallType, ...] = typing.get_args(CallType)
CALL_OUTCOMES: tuple[CallOutcome, ...] = typing.get_args(CallOutcome)
RATING_CONTEXTS: tuple[RatingContext, ...] = typing.get_args(RatingContext)
LIVE_CONTEXTS: tuple[RatingContext, ...] = ("roleplay", "joint-call", "call-review")

"""The 1:1 agenda: the willingness signal, each signal raised by data built for it and the
questions it chooses (placeholders filled from the rep's own situation), feedback inside
and outside the coaching agreement, the manager's own coaching line, the placeholders
content/coaching.toml may use; and a team at work with real git: what a rep shares
reaches their manager's `drillcoach coach`, what they keep does not, and a new hire gets
the onboarding pack."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from drillcoach.coaching.agenda import (
    Agenda,
    AgendaQuestion,
    build_agenda,
    similar_objections,
    week_number,
)
from drillcoach.coaching.agenda_text import render
from drillcoach.coaching.coach import coaching_by_rep, coaching_line
from drillcoach.coaching.dna import current_dna
from drillcoach.coaching.signals import BASE, choose_questions
from drillcoach.coaching.view import CoachingView, agreement_word, manager_view, own_view
from drillcoach.coaching.vision import version_line
from drillcoach.coaching.willingness import willingness, willingness_line
from drillcoach.content import Drill, Library
from drillcoach.content.models import CoachingSignal
from drillcoach.content.parse import parse_shared
from drillcoach.events import (
    AgendaOpened,
    Agreement,
    Assignment,
    CoachingArea,
    Commitment,
    CommitmentKind,
    Debrief,
    DnaCheck,
    ManagerRating,
    Rating,
    RatingContext,
    Sharing,
    Vision,
)
from drillcoach.scheduling.recording import Attempt
from drillcoach.scheduling.rules import AGAIN, GOOD
from drillcoach.scheduling.scheduler import DrillScheduler
from drillcoach.store import Store
from drillcoach.team.workspace import membership
from drillcoach.tomlcheck import Problem
from helpers import START, FakeClock, MakeScheduler, one_line
from teamkit import TeamKit

REP = "sam"
NAME = "Sam Patel"
NAMES = {"maria": "Maria Lopez", REP: NAME}
OBJECTION = "objections-core/price-too-high"  # objection handling
CLOSING = "closing/close-think-about-it"
PITCH = "value-pitch/vp-elevator-pitch"  # what a settled rep drills
DREAM = "Run a mid-market team of six and carry their number"
SEEN_BY_MARIA = manager_view(Sharing(by=REP, at=START, answers=False, vision=True,
                                     agreement=True, commitments=True, debriefs=True))  # fmt: skip


def ago(**kwargs: float) -> datetime:
    return START - timedelta(**kwargs)


TEN_DAYS_AGO = ago(days=10)
AGREED = ("objection-handling", "discovery", "closing", "prospecting")


class Coached:
    """One rep's store and scheduler, with the records a coach would see, built in time
    order; ``agenda()`` reads it as of START."""

    def __init__(self, scheduler: DrillScheduler, clock: FakeClock) -> None:
        self.scheduler = scheduler
        self.store: Store = scheduler.store
        self.library: Library = scheduler.library
        self.clock = clock

    def drill(self, uid: str) -> Drill:
        found = self.library.drill(uid)
        assert found is not None, uid
        return found

    def rate(self, uid: str, rating: int, at: datetime, seconds: float = 30) -> None:
        self.clock.set(at)
        attempt = Attempt(duration_ms=int(seconds * 1000), key_points_hit=(0,))
        self.scheduler.record_self(self.drill(uid), rating, attempt)

    def practise(self, days_ago: Sequence[int], uid: str = OBJECTION, rating: int = GOOD) -> None:
        for back in sorted(days_ago, reverse=True):
            self.rate(uid, rating, ago(days=back))

    def manager(
        self,
        skill: str,
        scores: dict[str, int],
        rating: Rating,
        at: datetime,
        uid: str | None = None,
        context: RatingContext = "roleplay",
    ) -> ManagerRating:
        """maria's rating of the rep on the drill ``uid`` or, without one, the skill."""
        made = ManagerRating(by="maria", rep=REP, at=at, rubric="laer", scores=scores,
                             rating=rating, skill=skill, drill_uid=uid,
                             context=context)  # fmt: skip
        self.store.add(made)
        return made

    def vision(self, at: datetime = TEN_DAYS_AGO) -> Vision:
        vision = Vision(by=REP, at=at, in_2_years=DREAM + ".", why="My kids see me lead",
                        desire=9, willingness=8)  # fmt: skip
        self.store.add(vision)
        return vision

    def agreement(self, at: datetime = TEN_DAYS_AGO, skills: Sequence[str] = AGREED) -> Agreement:
        areas = tuple(
            CoachingArea(skill, ("every-roleplay",), "Carry a number") for skill in skills
        )
        agreement = Agreement(by=REP, at=at, areas=areas)
        self.store.add(agreement)
        return agreement

    def settled(self, *, vision: bool = True, agreement: bool = True) -> None:
        """A rep with nothing to worry about: a fresh vision and agreement, and practice
        on six of the last fourteen days."""
        if vision:
            self.vision()
        if agreement:
            self.agreement()
        self.practise([1, 2, 4, 6, 9, 12], uid=PITCH)

    def agenda(self, seen: CoachingView | None = None, *, at: datetime = START) -> Agenda:
        self.clock.set(at)
        return build_agenda(self.scheduler, NAME, seen or own_view(), NAMES)


@pytest.fixture
def coached(make_scheduler: MakeScheduler, clock: FakeClock) -> Coached:
    return Coached(make_scheduler(rep=REP), clock)


def flat(text: str) -> str:
    """Text with its wrapping undone: words one space apart."""
    return " ".join(text.split())


def template_matches(template: str, text: str) -> bool:
    """Whether ``text`` is ``template`` with its placeholders filled."""
    pattern = re.sub(r"\\\{[a-z]+\\\}", ".+", re.escape(template))
    return re.fullmatch(pattern, text) is not None


def asked(agenda: Agenda, signal: str, library: Library) -> list[AgendaQuestion]:
    """The questions ``signal`` chose, each checked to be one of its own, filled."""
    found = [q for q in agenda.questions if q.signal == signal]
    assert found, (signal, [(r.signal, r.strength) for r in agenda.raised])
    for question in found:
        assert "{" not in question.text and "}" not in question.text, question.text
        assert any(template_matches(t, question.text) for t in library.signals[signal].questions)
        assert question.title == library.signals[signal].title
    return found


def test_the_agenda_dates_a_record_by_the_calendar_as_the_vision_screen_does(
    coached: Coached,
) -> None:
    # written at 02:00, before the drilling day starts at 04:00: the 20th on the calendar
    vision = coached.vision(at=datetime(2026, 2, 20, 2, 0, tzinfo=UTC))
    coached.agreement(at=datetime(2026, 2, 20, 2, 30, tzinfo=UTC))
    text = flat(render(coached.agenda(), coached.library))
    assert "written 20 Feb 2026" in text and "Agreed 20 Feb 2026" in text
    assert version_line([vision], coached.scheduler.days) == "Version 1, written 20 Feb 2026"


# --- the willingness signal


def test_willingness_is_low_when_prospecting_is_set_aside_far_more_than_the_rest(
    coached: Coached,
) -> None:
    prospecting = [d for d in coached.library.packs["cold-call-openers"].drills][:4]
    coached.practise([20, 15, 10, 5, 3])  # one objection drill, met five times
    coached.rate(CLOSING, GOOD, ago(days=2))
    coached.rate(prospecting[3].uid, GOOD, ago(days=2, hours=-1))
    coached.clock.set(ago(days=1))
    for drill in prospecting[:3]:
        coached.scheduler.bury(drill)
    coached.scheduler.suspend(prospecting[0])  # the same drill twice counts once
    found = willingness(coached.store, coached.library, REP, coached.scheduler.days, START,
                        own_view())  # fmt: skip
    assert (found.prospecting_set_aside, found.prospecting_met) == (3, 4)
    assert (found.others_set_aside, found.others_met) == (0, 2)
    assert found.avoids_prospecting and found.low
    assert willingness_line(found) == (
        "prospecting set aside 3 of 4 (other drills 0 of 2) · no drilling days committed · "
        "no debriefs promised - low"
    )
    # what the rep's manager sees: suspend and bury never leave the rep's machine
    seen = willingness(coached.store, coached.library, REP, coached.scheduler.days, START,
                       SEEN_BY_MARIA)  # fmt: skip
    assert seen.prospecting_set_aside is None and not seen.low
    assert willingness_line(seen).startswith("prospecting set-asides stay private · ")


def test_two_prospecting_drills_set_aside_are_not_yet_avoidance(coached: Coached) -> None:
    prospecting = coached.library.packs["cold-call-openers"].drills
    coached.clock.set(ago(days=3))
    for drill in prospecting[:2]:
        coached.scheduler.bury(drill)
    found = willingness(coached.store, coached.library, REP, coached.scheduler.days, START,
                        own_view())  # fmt: skip
    assert (found.prospecting_set_aside, found.low) == (2, False)


def _commit(coached: Coached, kind: CommitmentKind, number: int, at: datetime) -> None:
    coached.store.add(Commitment(by=REP, at=at, kind=kind, text=f"{kind} {number}",
                                 motivation="the team of six", number=number))  # fmt: skip


def _debrief(coached: Coached, call_date: date, *objections: str) -> Debrief:
    debrief = Debrief(by=REP, at=datetime.combine(call_date, datetime.min.time(), UTC)
                      + timedelta(hours=17), account=f"Account {call_date:%d}",
                      call_date=call_date, call_type="discovery", outcome="advanced",
                      objections=objections)  # fmt: skip
    coached.store.add(debrief)
    return debrief


def test_willingness_counts_days_and_debriefs_against_the_reps_own_promises(
    coached: Coached,
) -> None:
    monday = START - timedelta(weeks=4)  # Mon 2 Feb: four whole weeks before this one
    _commit(coached, "drill-days", 4, monday)
    _commit(coached, "debrief-calls", 2, monday)
    coached.practise([27, 26, 20, 13, 6, 5])  # 2, 1, 1, 2 days in the four weeks
    days = coached.scheduler.days

    def now() -> str:
        found = willingness(coached.store, coached.library, REP, days, START, own_view())
        return willingness_line(found)

    assert now() == (
        "no prospecting drills met · drilled 6 of 16 committed days · debriefed 0 of 8 "
        "promised calls - low"
    )
    for week in range(4):  # two debriefs a week: the promise kept, only the days missed
        for day in (1, 3):
            _debrief(coached, (monday + timedelta(weeks=week, days=day)).date())
    found = willingness(coached.store, coached.library, REP, days, START, own_view())
    assert (found.committed_days, found.missed_days) == (16, 10)
    assert (found.promised_debriefs, found.logged_debriefs) == (8, 8)
    assert found.misses_days and not found.skips_debriefs and not found.low
    # the manager sees the commitments only when shared, and the debriefs only when shared
    hidden = replace(SEEN_BY_MARIA, debriefs=False)
    partly = willingness(coached.store, coached.library, REP, days, START, hidden)
    assert (partly.committed_days, partly.promised_debriefs) == (16, None)
    assert "debriefs not shared" in willingness_line(partly)


# --- each signal, raised by data built for it, chooses its own questions


Setup = Callable[[Coached], None]


def _overconfident(c: Coached) -> None:
    c.practise([13, 11], rating=4)
    for back in (8, 5):
        c.manager("objection-handling", {"listen": 3, "respond": 3, "confirm": 2}, 2,
                  ago(days=back), uid=OBJECTION)  # fmt: skip
    c.settled()


def _underconfident(c: Coached) -> None:
    c.practise([40, 35, 31], uid=CLOSING, rating=AGAIN)
    for back in (33, 20):
        c.manager("closing", {"listen": 5, "respond": 4}, 4, ago(days=back), uid=CLOSING)
    c.settled()


def _leech(c: Coached) -> None:
    c.clock.set(ago(days=400))
    drill = c.drill(CLOSING)
    c.scheduler.record_self(drill, GOOD)
    for _ in range(9):
        c.clock.set(c.scheduler.state(drill).due + timedelta(hours=1))
        c.scheduler.record_self(drill, AGAIN)
        c.clock.advance(minutes=10)
        c.scheduler.record_self(drill, GOOD)
    assert c.clock() < ago(days=30)
    c.settled()


def _broken_commitment(c: Coached) -> None:
    _commit(c, "drill-days", 6, ago(days=14))
    c.settled()


def _stalled_vision(c: Coached) -> None:
    c.vision(at=ago(days=120))
    c.settled(vision=False)


def _no_vision(c: Coached) -> None:
    c.settled(vision=False)


def _inconsistent_practice(c: Coached) -> None:
    c.vision()
    c.agreement()
    c.practise([20, 11, 3])  # drilling since three weeks ago


def _overdue_assignment(c: Coached) -> None:
    c.settled()
    c.store.save_assignment(Assignment("closing-q1", "maria", "closing", (REP,),
                                       START.date() - timedelta(days=5)))  # fmt: skip


def _improving(c: Coached) -> None:
    c.practise([70, 66, 62], uid=CLOSING, rating=AGAIN)
    c.practise([20, 18, 16], uid=CLOSING, rating=4)
    c.settled()


def _slow_answers(c: Coached) -> None:
    for back in range(12):
        c.rate(OBJECTION, GOOD, ago(days=25 - back), seconds=900)
    c.settled()


def _skill_gap(c: Coached) -> None:
    c.settled()
    for back in (20, 6):
        c.manager("discovery", {"listen": 2, "respond": 1}, 1, ago(days=back),
                  context="joint-call")  # fmt: skip


def _outside_agreement(c: Coached) -> None:
    c.settled()
    c.manager("negotiation", {"listen": 4, "respond": 3}, 3, ago(days=3), context="joint-call")


def _no_agreement(c: Coached) -> None:
    c.settled(agreement=False)


def _agreement_review_due(c: Coached) -> None:
    c.agreement(at=ago(days=100))
    c.settled(agreement=False)


def _low_willingness(c: Coached) -> None:
    c.settled()
    c.clock.set(ago(hours=20))
    for drill in c.library.packs["cold-call-openers"].drills[:3]:
        c.scheduler.suspend(drill)


def _dna_weak_area(c: Coached) -> None:
    c.settled()
    _dna_check(c)


def _dna_check(c: Coached) -> None:
    dna = current_dna()
    assert dna is not None
    weak = dna.constructs[1].id  # money talk
    answers = {s.id: (1 if s.agreeing == "strength" else 5) if s.construct == weak else 3
               for s in dna.statements}  # fmt: skip
    c.store.add(DnaCheck(by=REP, at=ago(days=4), answers=answers))


def _new_hire(c: Coached) -> None:
    c.store.save_assignment(Assignment("onboarding-20260401", "maria", "onboarding", (REP,),
                                       date(2026, 4, 1)))  # fmt: skip
    c.settled()


def _debrief_objection(c: Coached) -> None:
    c.settled()
    _debrief(c, date(2026, 2, 10), "We already have a freight tool.", "Send me an email")
    _debrief(c, date(2026, 2, 24), "Honestly, we already have a freight tool that works")


def _steady(c: Coached) -> None:
    c.settled()


SIGNALS: dict[str, tuple[Setup, tuple[str, ...]]] = {
    "overconfident": (_overconfident, ("objection handling", "self 4.0 vs manager 2.0")),
    "underconfident": (_underconfident, ("closing", "self 1.0 vs manager 4.0")),
    "leech": (_leech, ('"We\'ll think about it" lapsed 9 times',)),
    "broken-commitment": (_broken_commitment, ('"drill-days 6": missed last week',)),
    "stalled-vision": (_stalled_vision, ("120 days",)),
    "no-vision": (_no_vision, ()),
    "inconsistent-practice": (_inconsistent_practice, ("drilled 2 days out of the last 14",)),
    "overdue-assignment": (_overdue_assignment, ('"Closing" due 25 Feb', "0 of")),
    "improving": (_improving, ("closing", "from 1.0 to 4.0")),
    "slow-answers": (_slow_answers, ("12 of 18 timed answers",)),
    "skill-gap": (_skill_gap, ("discovery", "1.5 of 5 over 2 ratings")),
    "outside-agreement": (_outside_agreement, ("negotiation", "1 rating in 30 days")),
    "no-agreement": (_no_agreement, ()),
    "agreement-review-due": (_agreement_review_due, ("agreed 100 days ago",)),
    "low-willingness": (_low_willingness, ("prospecting set aside 3 of 3",)),
    "dna-weak-area": (_dna_weak_area, ("Comfort discussing money", "1.0 of 5")),
    "new-hire": (_new_hire, ("12 days since the first drill", "New-hire onboarding")),
    "debrief-objection": (
        _debrief_objection,
        ("we already have a freight tool that works", "heard on 2 calls"),
    ),
    "steady": (_steady, ()),
}


def test_every_signal_the_agenda_raises_has_at_least_three_open_questions(
    library: Library,
) -> None:
    assert set(SIGNALS) == set(BASE)
    for signal in BASE:
        questions = library.signals[signal].questions
        assert len(questions) >= 3, signal
        assert all(question.rstrip().endswith("?") for question in questions), signal
    assert library.problems == []


@pytest.mark.parametrize("signal", list(SIGNALS))
def test_a_signal_raised_by_its_data_chooses_its_questions_filled(
    coached: Coached, signal: str
) -> None:
    setup, evidence = SIGNALS[signal]
    setup(coached)
    agenda = coached.agenda()
    raised = [r.signal for r in agenda.raised]
    assert raised[0] == signal, [(r.signal, r.strength, r.because) for r in agenda.raised]
    questions = asked(agenda, signal, coached.library)
    assert len(questions) == 3  # the only signal: three of its own, none twice
    assert len({q.text for q in questions}) == 3
    for fragment in evidence:
        assert fragment in questions[0].because, questions[0].because
    if signal in ("stalled-vision", "low-willingness"):  # their values in the words asked
        filled = " ".join(q.text for q in questions)
        assert "days ago" in questions[0].because or "set aside" in filled or DREAM in filled


def test_questions_quote_the_vision_only_when_the_one_looking_sees_it(coached: Coached) -> None:
    _broken_commitment(coached)
    texts: set[str] = set()
    for week in range(6):  # every question of the signal, week by week
        texts.update(q.text for q in coached.agenda(at=START + timedelta(weeks=week)).questions
                     if q.signal == "broken-commitment")  # fmt: skip
    assert any(f'"{DREAM}"' in text for text in texts), texts
    hidden = replace(SEEN_BY_MARIA, vision=False)
    for week in range(6):
        agenda = coached.agenda(hidden, at=START + timedelta(weeks=week))
        assert all(DREAM not in q.text for q in agenda.questions)


def test_the_question_turns_each_week_and_stays_within_a_week(coached: Coached) -> None:
    _overconfident(coached)
    monday = coached.agenda().questions
    friday = coached.agenda(at=START + timedelta(days=4)).questions
    next_week = coached.agenda(at=START + timedelta(weeks=1)).questions
    assert [q.text for q in monday] == [q.text for q in friday]
    assert monday[0].text != next_week[0].text
    assert week_number(date(2026, 3, 9)) == week_number(date(2026, 3, 2)) + 1
    assert week_number(date(2026, 3, 8)) == week_number(date(2026, 3, 2))


def test_three_to_five_questions_from_the_strongest_signals_one_each(
    coached: Coached, library: Library
) -> None:
    _overconfident(coached)
    _commit(coached, "drill-days", 6, ago(days=14))
    coached.manager("negotiation", {"listen": 4}, 3, ago(days=2), context="joint-call")
    _debrief(coached, date(2026, 2, 20), "We already have a freight tool")
    _debrief(coached, date(2026, 2, 27), "we already have a freight tool")
    coached.store.save_assignment(Assignment("closing-q1", "maria", "closing", (REP,),
                                             START.date() - timedelta(days=3)))  # fmt: skip
    _dna_check(coached)
    agenda = coached.agenda()
    assert len(agenda.raised) >= 6
    signals = [q.signal for q in agenda.questions]
    assert len(signals) == 5 and len(set(signals)) == 5
    strongest = [r.signal for r in agenda.raised]
    assert signals == strongest[:5]
    assert signals[:2] == ["broken-commitment", "outside-agreement"]
    # with no signal in the library, nothing is asked rather than anything made up
    assert choose_questions(list(agenda.raised), {}, 0, {"name": "Sam"}) == []


# --- feedback inside and outside the coaching agreement


def test_feedback_says_the_agreed_area_it_serves_and_flags_the_rest(
    coached: Coached, library: Library
) -> None:
    coached.vision()
    coached.agreement(skills=("objection-handling",))
    coached.practise([5])
    inside = coached.manager("objection-handling", {"listen": 4}, 3, ago(days=4), uid=OBJECTION)
    outside = coached.manager("discovery", {"listen": 2}, 2, ago(days=2), context="joint-call")
    coached.manager("closing", {"listen": 2}, 2, ago(days=45))  # before the 30 days
    agenda = coached.agenda(SEEN_BY_MARIA)
    assert agenda.feedback == (inside, outside)
    assert agenda.outside == (outside,)
    text = flat(render(agenda, library))
    assert "Agreed: objection handling, after every role-play - serves 'Carry a number'" in text
    assert "Outside the coaching agreement: ask Sam before going into detail on discovery" in text
    assert agenda.questions[0].signal == "outside-agreement"
    seen = SEEN_BY_MARIA
    assert agreement_word(seen, agenda.agreement, "objection-handling") == "agreed"
    assert agreement_word(seen, agenda.agreement, "discovery") == "outside: ask first"
    assert agreement_word(replace(seen, agreement=False), None, "discovery") == "not shared"
    # not shared: the manager sees the ratings, without an agreement to hold them to
    hidden = coached.agenda(replace(SEEN_BY_MARIA, agreement=False))
    assert hidden.agreement is None and hidden.outside == ()
    assert "outside-agreement" not in [r.signal for r in hidden.raised]
    assert "Sam does not share their coaching agreement with you." in flat(render(hidden, library))


def test_objections_met_again_are_told_apart_by_their_words() -> None:
    assert similar_objections("We already have a freight tool.",
                              "Honestly, we already have a freight tool that works")  # fmt: skip
    assert not similar_objections("Your price is too high", "We already have a freight tool")
    assert not similar_objections("Send me an email", "Call me next quarter")


def test_the_agenda_in_markdown_has_headings_and_bullets(
    coached: Coached, library: Library
) -> None:
    _overconfident(coached)
    text = render(coached.agenda(SEEN_BY_MARIA), library, "md")
    assert text.startswith("# 1:1 agenda: Sam Patel · week of 2 Mar 2026\n")
    assert f'\n## Vision\n\n- In 2 years: "{DREAM}."\n' in text
    assert "\n## Questions to ask\n\n1. " in text
    why = "*Self-ratings run above the manager's: self 4.0 vs manager 2.0 on objection handling*"
    assert f"\n   {why}\n" in text


# --- the manager's own coaching


def test_the_managers_coaching_line_counts_ratings_answers_and_agendas_per_rep(
    store: Store,
) -> None:
    def rating(rep: str, at: datetime, by: str = "maria", request: str | None = None) -> None:
        store.add(ManagerRating(by=by, rep=rep, at=at, rubric="laer", scores={"listen": 3},
                                rating=GOOD, skill="discovery", request=request))  # fmt: skip

    rating("alice", ago(days=2))
    rating("alice", ago(days=3))
    rating("alice", ago(days=1), request="0123abcd")  # an answer from the inbox
    rating("alice", ago(days=31))  # before the 30 days
    rating("bob", ago(days=2), by="dana")  # another manager's
    store.add(AgendaOpened(by="maria", rep="alice", at=ago(days=6)))
    store.add(AgendaOpened(by="maria", rep="alice", at=ago(days=45)))
    names = {"alice": "Alice Ng", "bob": "Bob Stone", "priya": "Priya Raman"}
    per_rep = coaching_by_rep(store, "maria", ["alice", "bob"], START)
    assert [(r.rep, r.ratings, r.answers, r.agendas) for r in per_rep] == [
        ("alice", 2, 1, 1), ("bob", 0, 0, 0)
    ]  # fmt: skip
    line = coaching_line(store, "maria", ["alice", "bob"], START, names)
    assert line == "Your coaching, 30 days: 2 ratings · 1 answer · 1 agenda - none for Bob"
    three = coaching_line(store, "maria", ["alice", "bob", "priya"], START, names)
    assert three == "Your coaching, 30 days: 2 ratings · 1 answer · 1 agenda - none for 2 reps"
    crowd = {f"rep{n}": f"Bartholomew-{n} Longname" for n in range(6)}
    long = coaching_line(store, "maria", ["alice", *crowd], START, crowd)
    assert long is not None and len(long) <= 76
    assert long.startswith("Your coaching, 30 days: 2 ratings · 1 answer · 1 agenda - none")
    assert coaching_line(store, "maria", [], START) is None
    assert coaching_line(store, "dana", ["alice"], START) == (
        "Your coaching, 30 days: no ratings, answers or agendas for your 1 rep"
    )
    # a director coaches the managers reporting to them
    assert coaching_line(store, "dana", ["alice", "zed"], START, noun="manager") == (
        "Your coaching, 30 days: no ratings, answers or agendas for your 2 managers"
    )
    many = coaching_line(store, "dana", [f"m{n}" for n in range(125)], START, noun="manager")
    assert many is not None and len(many) <= 76  # a big director's too


# --- the placeholders coaching.toml may use


def test_an_unknown_placeholder_is_refused_naming_the_file_the_signal_and_the_question(
    tmp_path: Path,
) -> None:
    path = tmp_path / "coaching.toml"
    raw = (
        b'format = 1\n\n[[signal]]\nid = "talk-ratio"\ntitle = "Talk ratio"\n'
        b'questions = ["Who talked more on {skill}?", "What did {buyer} say?", "A lone {?"]\n'
    )
    problems: list[Problem] = []
    assert parse_shared(path, raw, "signal", problems) == []
    assert [str(problem) for problem in problems] == [
        f"{path}: signal 'talk-ratio': key 'questions': question 2 ('What did {{buyer}} say?'): "
        "unknown placeholder {buyer}; expected one of {name}, {vision}, {skill}, {gap}, "
        "{drill}, {pack}, {commitment}, {objection}, {area}, {days}, {count}",
        f"{path}: signal 'talk-ratio': key 'questions': question 3 ('A lone {{?'): a lone {{ "
        "or }; write {{ or }} for a brace, or a placeholder like {skill}",
    ]
    good = raw.replace(b"{buyer}", b"{name}").replace(b"lone {?", b"lone {{?")
    problems.clear()
    [signal] = parse_shared(path, good, "signal", problems)
    assert isinstance(signal, CoachingSignal)
    assert problems == [] and signal.questions[2] == "A lone {{?"


# --- a team at work, with real git


def _share(kit: TeamKit, who: str, *kinds: str) -> None:
    for kind in kinds:
        kit.cli(who, "config", "set", f"share_{kind}", "true").ok()


def _alices_coaching(kit: TeamKit) -> None:
    at = kit.clock()
    with kit.services("alice") as alice:
        alice.store.add_many([
            Vision(by="alice", at=at, in_2_years="Carry a mid-market number by Q3",
                   why="Buy a flat near my parents", desire=8, willingness=7),
            Agreement(by="alice", at=at, areas=(
                CoachingArea("objection-handling", ("weekly",), "Carry a number"),
                CoachingArea("closing", ("joint-calls",), "Carry a number"),
            )),
            Debrief(by="alice", at=at, account="Harbor Foods", call_date=at.date(),
                    call_type="discovery", outcome="advanced",
                    objections=("We already have a freight tool.",)),
        ])  # fmt: skip


def test_the_manager_coaches_from_what_the_rep_shares(team: TeamKit) -> None:
    kit = team
    _alices_coaching(kit)
    kit.drill("alice", 3)
    _share(kit, "alice", "vision", "agreement", "debriefs")
    kit.sync("alice")
    kit.sync("maria")
    printed = kit.cli("maria", "coach", "alice").ok().out
    agenda = flat(printed)
    assert printed.startswith("1:1 agenda: Alice Ng · week of 2 Mar 2026\n")
    assert 'In 2 years: "Carry a mid-market number by Q3"' in agenda
    assert "Desire 8/10 · willingness 7/10" in agenda
    assert 'Objection handling: weekly - serves "Carry a number"' in agenda
    assert "Closing: on joint calls" in agenda
    assert "Harbor Foods, discovery call on" in agenda
    assert '"We already have a freight tool."' in agenda
    assert "\nQuestions to ask\n  1. " in printed
    assert "Prospecting set-asides stay private" in agenda
    with kit.services("maria") as maria:
        opened = maria.store.coaching("alice", AgendaOpened, by="maria")
        assert [(o.by, o.rep, o.at) for o in opened] == [("maria", "alice", kit.clock())]
        mine = membership(maria.config.workspace, "maria")
        names = {m.id: m.name for m in mine.team.members.values()}
        line = coaching_line(maria.store, "maria", [m.id for m in mine.my_reps()], kit.clock(),
                             names)  # fmt: skip
        assert line == "Your coaching, 30 days: 0 ratings · 0 answers · 1 agenda - none for Bob"
    md = kit.cli("maria", "coach", "alice", "--format", "md").ok().out
    assert md.startswith("# 1:1 agenda: Alice Ng · week of 2 Mar 2026\n\n## Vision\n")
    # an agenda opened stays on maria's machine
    kit.sync("maria")
    written = "".join(p.read_text() for p in (kit["maria"].ws / "events" / "maria").glob("*.jsonl"))
    assert '"type":"agenda-opened"' not in written


def test_what_the_rep_keeps_to_themselves_the_manager_does_not_see(team: TeamKit) -> None:
    kit = team
    _alices_coaching(kit)
    kit.sync("alice")
    kit.sync("maria")
    agenda = kit.cli("maria", "coach", "alice").ok().out
    assert "Carry a mid-market number" not in agenda
    assert "Objection handling: weekly" not in agenda and "Harbor Foods" not in agenda
    assert "Alice does not share their vision with you." in agenda
    assert "Alice does not share their coaching agreement with you." in agenda
    assert "Alice does not share their debriefs with you." in agenda
    # shared once, then taken back: the agenda follows the rep's latest choice
    _share(kit, "alice", "vision")
    kit.sync("alice")
    kit.sync("maria")
    assert "Carry a mid-market number" in kit.cli("maria", "coach", "alice").ok().out
    kit.cli("alice", "config", "set", "share_vision", "false").ok()
    kit.sync("alice")
    kit.sync("maria")
    assert "Carry a mid-market number" not in kit.cli("maria", "coach", "alice").ok().out
    # the rep's own agenda, to prepare, from their own store: everything
    own = kit.cli("alice", "coach").ok().out
    assert own.startswith("Your 1:1, to prepare · week of 2 Mar 2026\n")
    assert "Carry a mid-market number" in own and "Objection handling: weekly" in own
    assert "Questions for your manager to ask you\n  1. " in own


def test_coach_refuses_anyone_but_my_reps_in_one_line(team: TeamKit) -> None:
    kit = team
    not_mine = kit.cli("maria", "coach", "dana")
    assert not_mine.code == 2
    one_line(not_mine.err, "'dana' is not one of your reps")
    a_rep = kit.cli("alice", "coach", "bob")
    assert a_rep.code == 2
    one_line(a_rep.err, "coach REP: only a manager can; you are 'alice', a rep")
    nobody = kit.cli("maria", "coach", "zed")
    assert nobody.code == 2
    one_line(nobody.err, "no member 'zed'")
    with kit.services("maria") as maria:
        assert maria.store.coaching("dana", AgendaOpened) == []
    summary = kit.cli("maria", "coach").ok().out
    assert summary.startswith("Your coaching, 30 days: no ratings, answers or agendas for "
                              "your 2 reps\n")  # fmt: skip
    assert "Open a rep's 1:1 agenda: drillcoach coach alice" in summary


def test_a_new_hire_gets_the_onboarding_pack(team: TeamKit) -> None:
    kit = team
    added = kit.cli("maria", "team", "add", "carol", "--name", "Carol Diaz", "--role", "rep",
                    "--new-hire").ok().out  # fmt: skip
    assert "Added Carol Diaz (carol), a new rep, reporting to maria." in added
    assert (
        "Assigned New-hire onboarding to carol, due Wed 01 Apr 2026 (id onboarding-20260401)."
        in added
    )
    written = tomllib.loads((kit["maria"].ws / "assignments" / "maria.toml").read_text())
    [entry] = written["assignment"]
    assert (entry["pack"], entry["to"], entry["due"]) == ("onboarding", ["carol"], date(2026, 4, 1))
    with kit.services("maria") as maria:
        [stored] = [a for a in maria.store.assignments() if a.pack == "onboarding"]
        assert stored.members == ("carol",)
    dated = kit.cli("maria", "team", "add", "dev", "--name", "Dev Shah", "--role", "rep",
                    "--new-hire", "--due", "2026-03-20").ok().out  # fmt: skip
    assert "due Fri 20 Mar 2026" in dated
    for argv, fragment in (
        (("--new-hire", "--due", "2026-03-01"), "--due 2026-03-01: that date has passed"),
        (("--new-hire", "--due", "next week"), "--due 'next week': expected a date"),
        (("--due", "2026-04-01"), "--due: only with --new-hire"),
    ):
        refused = kit.cli("maria", "team", "add", "erin", "--name", "Erin Wu", "--role", "rep",
                          *argv)  # fmt: skip
        assert refused.code == 2
        one_line(refused.err, fragment)
    manager = kit.cli("maria", "team", "add", "erin", "--name", "Erin Wu", "--role", "manager",
                      "--new-hire")  # fmt: skip
    assert manager.code == 2
    one_line(manager.err, "--new-hire: only for a rep")
    team_file = (kit["maria"].ws / "team.toml").read_text()
    assert "erin" not in team_file and "carol" in team_file

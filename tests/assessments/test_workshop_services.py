"""Live workshop services: start, join, drive, vote, agree, end, and what reaches the results."""

import pytest
from django.db import IntegrityError

from assessments import loading, services, workshops
from assessments.models import (
    JOIN_CODE_ALPHABET,
    Answer,
    Assessment,
    AssessmentPillarSummary,
    Participant,
    Response,
    Vote,
    WorkshopQuestion,
    WorkshopSession,
)
from assessments.workshops import WorkshopRefused
from tests.factories import ResponseFactory, WorkshopSessionFactory

pytestmark = pytest.mark.django_db

CODES = ["data.inventory", "data.quality", "data.rights", "ethics.policy", "ethics.gdpr"]


def start(assessment, **options) -> WorkshopSession:
    return workshops.start_session(
        assessment=assessment, scope=options.pop("scope", "all"), created_by=None, **options
    )


def join(session, count: int, perspective: str = "business") -> list[Participant]:
    return [workshops.join_session(session=session, perspective=perspective) for _ in range(count)]


def fresh(session) -> WorkshopSession:
    return WorkshopSession.objects.select_related("current").get(pk=session.pk)


def vote(participant, session, level=None, *, dont_know=False):
    current = fresh(session).current
    workshops.cast_vote(
        secret=participant.secret,
        code=session.code,
        question_id=current.pk,
        round=current.round,
        level=level,
        dont_know=dont_know,
    )


def count_from_one_vote(session) -> None:
    """Let a single vote make a response, for tests about what a response holds."""
    WorkshopSession.objects.filter(pk=session.pk).update(min_voted_share=0)


def stored_votes(session) -> list[tuple]:
    return sorted(
        Vote.objects.filter(participant__session=session).values_list(
            "participant__number", "question__position", "round", "level", "dont_know"
        )
    )


@pytest.fixture
def session(open_assessment):
    return start(open_assessment)


@pytest.fixture
def voting(session):
    """A running session on its first question with voting open, and three participants."""
    people = join(session, 3)
    workshops.open_voting(session=session)
    return session, people


# --- Starting ---------------------------------------------------------------------------------


def test_a_session_for_all_questions_takes_them_in_questionnaire_order(session):
    assert list(session.questions.values_list("question__code", flat=True)) == CODES
    assert list(session.questions.values_list("position", flat=True)) == [0, 1, 2, 3, 4]
    assert (session.status, session.current.position, session.voting_open) == ("lobby", 0, False)


def test_a_session_for_all_questions_counts_in_the_results_by_default(session):
    assert session.counts_in_results is True


def test_the_join_code_is_six_characters_easy_to_read_aloud(session):
    assert len(session.code) == 6
    assert set(session.code) <= set(JOIN_CODE_ALPHABET)
    assert not set(session.code) & set("01OI")


def test_a_session_for_chosen_pillars_takes_their_questions(open_assessment):
    session = start(open_assessment, scope="pillars", pillars=["ethics"])

    assert list(session.questions.values_list("question__code", flat=True)) == [
        "ethics.policy",
        "ethics.gdpr",
    ]
    assert session.pillars == ["ethics"]


def test_a_session_for_no_pillar_is_refused(open_assessment):
    with pytest.raises(WorkshopRefused, match="Choose at least one pillar"):
        start(open_assessment, scope="pillars", pillars=[])


def test_contested_questions_need_submitted_answers(open_assessment):
    with pytest.raises(WorkshopRefused, match="contested questions need submitted answers"):
        start(open_assessment, scope="contested")


def submitted(assessment, perspective: str, levels: dict[str, int]) -> Response:
    response = ResponseFactory(assessment=assessment, perspective=perspective)
    questions = {q.code: q for q in assessment.questionnaire.questions.all()}
    for code, level in levels.items():
        services.save_answer(response=response, question=questions[code], level=level)
    services.submit_response(response=response)
    return response


def test_a_contested_session_takes_the_questions_people_disagree_on_most(open_assessment):
    # data.rights splits 0/4, ethics.gdpr 1/3; everything else is agreed.
    agreed = {"data.inventory": 2, "data.quality": 2, "ethics.policy": 3}
    submitted(open_assessment, "business", {**agreed, "data.rights": 0, "ethics.gdpr": 1})
    submitted(open_assessment, "business", {**agreed, "data.rights": 4, "ethics.gdpr": 3})

    session = start(open_assessment, scope="contested")

    assert list(session.questions.values_list("question__code", flat=True)) == [
        "data.rights",
        "ethics.gdpr",
    ]
    assert session.counts_in_results is False  # these people already answered


def test_votes_cannot_count_in_an_assessment_that_takes_no_answers(open_assessment):
    open_assessment.status = Assessment.Status.CLOSED
    open_assessment.save()

    with pytest.raises(WorkshopRefused, match="not open for answers"):
        start(open_assessment)
    assert start(open_assessment, counts_in_results=False).counts_in_results is False


def test_two_live_sessions_never_share_a_code(open_assessment):
    WorkshopSessionFactory(assessment=open_assessment, code="ABC234")

    with pytest.raises(IntegrityError):
        WorkshopSessionFactory(assessment=open_assessment, code="ABC234")


def test_the_code_of_an_ended_session_may_be_drawn_again(open_assessment):
    WorkshopSessionFactory(assessment=open_assessment, code="ABC234", status="ended")

    assert WorkshopSessionFactory(assessment=open_assessment, code="ABC234").code == "ABC234"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ABC234", "ABC234"),
        ("abc234", "ABC234"),
        (" abc 234 ", "ABC234"),
        ("ABC-234", "ABC234"),
        ("ABC23", None),
        ("ABC2345", None),
        ("ABC230", None),  # no code holds a 0 (or an O)
        ("AB1234", None),
        ("ÄBC234", None),
        ("", None),
    ],
)
def test_codes_are_read_in_any_case_with_spaces(typed, code):
    assert workshops.normalise_code(typed) == code


def test_find_session_prefers_the_live_session_with_a_code(open_assessment):
    WorkshopSessionFactory(assessment=open_assessment, code="ABC234", status="ended")
    live = WorkshopSessionFactory(assessment=open_assessment, code="ABC234")

    assert workshops.find_session("ABC234") == live


# --- Joining ----------------------------------------------------------------------------------


def test_participants_are_numbered_in_the_order_they_join(session):
    first, second = join(session, 2)
    named = workshops.join_session(session=session, perspective="legal_risk", display_name=" Dana ")

    assert [(p.number, p.label) for p in (first, second, named)] == [
        (1, "Participant 1"),
        (2, "Participant 2"),
        (3, "Dana"),
    ]
    assert len({p.secret for p in (first, second, named)}) == 3


def test_joining_an_ended_session_is_refused(session):
    workshops.end_session(session=session)

    with pytest.raises(WorkshopRefused, match="has ended"):
        join(session, 1)


@pytest.mark.parametrize(
    ("perspective", "name", "message"),
    [
        ("astronaut", "", "Choose the perspective"),
        ("business", "x" * 41, "at most 40 characters"),
        ("business", "Dana\x00", "control characters"),
    ],
)
def test_joining_with_bad_details_is_refused(session, perspective, name, message):
    with pytest.raises(WorkshopRefused, match=message):
        workshops.join_session(session=session, perspective=perspective, display_name=name)
    assert session.participants.count() == 0


# --- Driving ----------------------------------------------------------------------------------


def test_opening_voting_starts_the_session_and_moves_the_revision(session):
    before = session.revision

    workshops.open_voting(session=session)

    session = fresh(session)
    assert (session.status, session.voting_open, session.revision) == ("running", True, before + 1)
    assert session.started_at is not None


def test_next_question_closes_voting(voting):
    session, _ = voting

    workshops.go_to(session=session, position=1, seen=0)

    session = fresh(session)
    assert (session.current.position, session.voting_open) == (1, False)


def test_next_twice_from_the_same_question_moves_once(session):
    workshops.go_to(session=session, position=1, seen=0)
    workshops.go_to(session=session, position=1, seen=0)  # a double press

    assert fresh(session).current.position == 1


def test_there_is_nothing_before_the_first_or_after_the_last_question(session):
    with pytest.raises(WorkshopRefused, match="first question"):
        workshops.go_to(session=session, position=-1)
    with pytest.raises(WorkshopRefused, match="last question"):
        workshops.go_to(session=session, position=5)


def test_a_move_meant_for_another_question_is_refused(session):
    workshops.go_to(session=session, position=2)

    with pytest.raises(WorkshopRefused, match="moved on"):
        workshops.open_voting(session=session, at=1)
    assert fresh(session).voting_open is False


def test_reveal_needs_three_votes(voting):
    session, people = voting
    for participant in people[:2]:
        vote(participant, session, 2)

    with pytest.raises(WorkshopRefused, match="2 votes so far: the distribution is shown from 3"):
        workshops.reveal(session=session)
    assert fresh(session).current.revealed is False


def test_reveal_closes_voting(voting):
    session, people = voting
    for participant in people:
        vote(participant, session, 2)

    workshops.reveal(session=session)

    session = fresh(session)
    assert (session.current.revealed, session.voting_open) == (True, False)


def test_voting_again_after_a_reveal_needs_a_second_round(voting):
    session, people = voting
    for participant in people:
        vote(participant, session, 2)
    workshops.reveal(session=session)

    with pytest.raises(WorkshopRefused, match="Open a second round"):
        workshops.open_voting(session=session)


def test_a_second_round_opens_voting_on_the_same_question(voting):
    session, people = voting
    for participant in people:
        vote(participant, session, 2)
    workshops.reveal(session=session)

    workshops.open_second_round(session=session)

    session = fresh(session)
    assert (session.current.round, session.current.revealed, session.voting_open) == (
        2,
        False,
        True,
    )


def test_a_second_round_needs_the_first_revealed_and_comes_once(voting):
    session, people = voting
    with pytest.raises(WorkshopRefused, match="Reveal the first round"):
        workshops.open_second_round(session=session)
    for participant in people:
        vote(participant, session, 2)
    workshops.reveal(session=session)
    workshops.open_second_round(session=session)
    with pytest.raises(WorkshopRefused, match="already had its second round"):
        workshops.open_second_round(session=session)


def test_everyone_voted_needs_three_people():
    assert workshops.everyone_voted(joined=3, voted=3) is True
    assert workshops.everyone_voted(joined=3, voted=2) is False
    assert workshops.everyone_voted(joined=2, voted=2) is False


# --- Voting -----------------------------------------------------------------------------------


def test_a_vote_is_stored_per_participant_question_and_round(voting):
    session, (dana, erik, _) = voting

    vote(dana, session, 3)
    vote(erik, session, dont_know=True)

    assert stored_votes(session) == [(1, 0, 1, 3, False), (2, 0, 1, None, True)]


def test_voting_again_in_the_same_round_replaces_the_vote(voting):
    session, (dana, *_) = voting

    vote(dana, session, 3)
    vote(dana, session, 1)
    vote(dana, session, dont_know=True)

    assert stored_votes(session) == [(1, 0, 1, None, True)]


def test_a_second_round_keeps_the_first_rounds_vote(voting):
    session, people = voting
    for participant in people:
        vote(participant, session, 1)
    workshops.reveal(session=session)
    workshops.open_second_round(session=session)

    vote(people[0], session, 2)

    assert stored_votes(session)[:2] == [(1, 0, 1, 1, False), (1, 0, 2, 2, False)]


def test_a_vote_while_voting_is_closed_is_refused(session):
    (dana,) = join(session, 1)

    with pytest.raises(WorkshopRefused, match="Voting is closed") as refused:
        vote(dana, session, 2)
    assert refused.value.status == 409
    assert stored_votes(session) == []


def test_a_vote_for_a_question_that_is_not_current_is_refused(voting):
    session, (dana, *_) = voting
    first = fresh(session).current
    workshops.go_to(session=session, position=1)
    workshops.open_voting(session=session)

    with pytest.raises(WorkshopRefused, match="moved on"):
        workshops.cast_vote(
            secret=dana.secret, code=session.code, question_id=first.pk, round=1, level=2
        )
    assert stored_votes(session) == []


def test_a_vote_for_the_wrong_round_is_refused(voting):
    session, (dana, *_) = voting
    current = fresh(session).current

    with pytest.raises(WorkshopRefused, match="moved on"):
        workshops.cast_vote(
            secret=dana.secret, code=session.code, question_id=current.pk, round=2, level=2
        )


def test_a_vote_after_the_end_is_refused(voting):
    session, (dana, *_) = voting
    current = fresh(session).current
    workshops.end_session(session=session)

    with pytest.raises(WorkshopRefused, match="voting is closed for good") as refused:
        workshops.cast_vote(
            secret=dana.secret, code=session.code, question_id=current.pk, round=1, level=2
        )
    assert refused.value.status == 410


@pytest.mark.parametrize(
    ("level", "dont_know"), [(5, False), (-1, False), (None, False), (2, True)]
)
def test_a_vote_that_is_not_one_level_or_dont_know_is_refused(voting, level, dont_know):
    session, (dana, *_) = voting

    with pytest.raises(WorkshopRefused) as refused:
        vote(dana, session, level, dont_know=dont_know)
    assert refused.value.status == 400
    assert stored_votes(session) == []


# --- Agreeing ---------------------------------------------------------------------------------


def agree(session, level, note=""):
    question = fresh(session).current
    return workshops.record_agreement(
        session=session, question=question, agreed_level=level, note=note
    )


def test_agreement_within_one_level_of_most_votes_is_consensus(voting):
    session, people = voting
    for participant, level in zip(people, (1, 2, 3), strict=True):
        vote(participant, session, level)

    question = agree(session, 2, "Catalogue exists, owners missing.")

    question.refresh_from_db()
    assert (question.agreed_level, question.note, question.consensus) == (
        2,
        "Catalogue exists, owners missing.",
        WorkshopQuestion.Consensus.REACHED,
    )
    assert question.consensus_votes_share == 1.0


def test_agreement_far_from_the_votes_leaves_dissent(voting):
    session, people = voting
    for participant, level in zip(people, (0, 4, 4), strict=True):
        vote(participant, session, level)

    question = agree(session, 1)

    assert (question.consensus, question.consensus_percent) == ("dissent", 33)


def test_consensus_reads_the_final_round(voting):
    session, people = voting
    for participant, level in zip(people, (0, 4, 4), strict=True):
        vote(participant, session, level)
    workshops.reveal(session=session)
    workshops.open_second_round(session=session)
    for participant in people:
        vote(participant, session, 3)

    assert agree(session, 3).consensus == "reached"


def test_an_agreed_level_outside_the_scale_is_refused(voting):
    session, _ = voting

    with pytest.raises(WorkshopRefused, match="level from 0 to 4"):
        agree(session, 5)


def test_without_votes_an_agreed_level_has_no_outcome(session):
    question = agree(session, 2)

    assert (question.agreed_level, question.consensus, question.consensus_votes_share) == (
        2,
        "",
        None,
    )


def test_agreement_can_be_recorded_after_the_end(voting):
    session, _ = voting
    workshops.end_session(session=session)

    assert agree(session, 2, "Typed up afterwards.").note == "Typed up afterwards."


# --- Ending -----------------------------------------------------------------------------------


def run_two_questions(session, people, levels_q1, levels_q2):
    for participant, level in zip(people, levels_q1, strict=True):
        vote(participant, session, level)
    workshops.go_to(session=session, position=1)
    workshops.open_voting(session=session)
    for participant, level in zip(people, levels_q2, strict=True):
        if level == "dk":
            vote(participant, session, dont_know=True)
        elif level is not None:
            vote(participant, session, level)


def test_ending_closes_voting_for_good(voting):
    session, _ = voting

    ended = workshops.end_session(session=session)

    session = fresh(session)
    assert (session.status, session.voting_open) == ("ended", False)
    assert session.ended_at is not None
    assert ended.responses == 0  # nobody voted: nobody to count


def test_ending_twice_is_refused(session):
    workshops.end_session(session=session)

    with pytest.raises(WorkshopRefused, match="has ended"):
        workshops.end_session(session=session)


def test_each_participants_last_votes_become_one_submitted_response(voting):
    session, people = voting
    count_from_one_vote(session)
    people.append(workshops.join_session(session=session, perspective="legal_risk"))
    run_two_questions(session, people, (1, 2, 3, 0), (4, "dk", 2, None))

    ended = workshops.end_session(session=session)

    responses = Response.objects.filter(workshop_session=session).order_by("pk")
    assert ended.responses == 4
    assert [(r.perspective, r.sees_all_questions, r.is_submitted) for r in responses] == [
        ("business", True, True),
        ("business", True, True),
        ("business", True, True),
        ("legal_risk", True, True),
    ]
    answers = Answer.objects.filter(response__workshop_session=session).order_by(
        "response_id", "question__order"
    )
    assert list(
        answers.values_list("response__perspective", "question__code", "level", "dont_know")
    ) == [
        ("business", "data.inventory", 1, False),
        ("business", "data.quality", 4, False),
        ("business", "data.inventory", 2, False),
        ("business", "data.quality", None, True),
        ("business", "data.inventory", 3, False),
        ("business", "data.quality", 2, False),
        ("legal_risk", "data.inventory", 0, False),
    ]
    assert responses[0].name == ""  # a display name never travels with the answers


def test_the_second_rounds_vote_is_the_one_that_counts(voting):
    session, people = voting
    count_from_one_vote(session)
    for participant in people:
        vote(participant, session, 0)
    workshops.reveal(session=session)
    workshops.open_second_round(session=session)
    vote(people[0], session, 4)  # the others keep their first vote

    workshops.end_session(session=session)

    levels = Answer.objects.filter(response__workshop_session=session).values_list(
        "level", flat=True
    )
    assert sorted(levels) == [0, 0, 4]


def test_the_workshops_responses_appear_in_the_scoring_output(voting):
    session, people = voting
    count_from_one_vote(session)
    submitted(session.assessment, "data_it", {"data.inventory": 4})
    run_two_questions(session, people, (1, 2, 2), (3, 3, 3))

    workshops.end_session(session=session)

    result = loading.score_assessment(session.assessment)
    assert result.respondents == 4
    assert result.questions["data.inventory"].distribution == (0, 1, 2, 0, 1)
    assert result.questions["data.quality"].distribution == (0, 0, 0, 3, 0)
    summary = AssessmentPillarSummary.objects.get(assessment=session.assessment, pillar="data")
    assert summary.respondents == 4


def test_a_session_that_does_not_count_creates_no_response(open_assessment):
    session = start(open_assessment, counts_in_results=False)
    people = join(session, 3)
    workshops.open_voting(session=session)
    for participant in people:
        vote(participant, session, 2)

    ended = workshops.end_session(session=session)

    assert (ended.responses, ended.not_counted) == (0, "")
    assert Response.objects.filter(assessment=open_assessment).count() == 0


def test_votes_are_not_counted_once_the_assessment_closed(voting):
    session, people = voting
    for participant in people:
        vote(participant, session, 2)
    services.close_assessment(assessment=Assessment.objects.get(pk=session.assessment_id))

    ended = workshops.end_session(session=session)

    assert ended.responses == 0
    assert "no longer open for answers" in ended.not_counted
    assert fresh(session).status == "ended"


def test_ending_brings_consensus_up_to_date_with_a_later_round(voting):
    session, people = voting
    for participant in people:
        vote(participant, session, 0)
    question = agree(session, 3)
    assert question.consensus == "dissent"
    workshops.reveal(session=session)
    workshops.open_second_round(session=session)
    for participant in people:
        vote(participant, session, 3)

    workshops.end_session(session=session)

    question.refresh_from_db()
    assert question.consensus == "reached"


# --- Reading ----------------------------------------------------------------------------------


def test_counts_are_joined_and_votes_in_the_current_round(voting):
    session, people = voting
    vote(people[0], session, 1)
    vote(people[1], session, 2)

    counted = workshops.with_counts(WorkshopSession.objects.filter(pk=session.pk)).get()

    assert (counted.joined, counted.voted) == (3, 2)


def test_voters_show_who_voted_not_what(voting):
    session, people = voting
    vote(people[1], session, 4)

    listed = workshops.voters(fresh(session))

    assert [(p.label, p.has_voted) for p in listed] == [
        ("Participant 1", False),
        ("Participant 2", True),
        ("Participant 3", False),
    ]
    assert not hasattr(listed[1], "level")


def test_individual_votes_sit_next_to_the_workshop_consensus(voting):
    session, people = voting
    run_two_questions(session, people, (1, 2, 3), (4, 4, 4))
    workshops.go_to(session=session, position=0)
    agree(session, 2)
    workshops.go_to(session=session, position=1)
    agree(session, 4)

    comparison = workshops.compare_votes_and_consensus(fresh(session))

    assert [(row.pillar, row.votes, row.consensus) for row in comparison] == [
        ("data", 75.0, 75.0),
        ("ethics", None, None),
    ]


# --- Who counts as a response -----------------------------------------------------------------


def vote_through(session, people, levels_per_question):
    """Question by question from the first: open voting, each person votes ("dk": don't
    know, None: not at all)."""
    for position, levels in enumerate(levels_per_question):
        if position:
            workshops.go_to(session=session, position=position)
        workshops.open_voting(session=session)
        for participant, level in zip(people, levels, strict=True):
            if level == "dk":
                vote(participant, session, dont_know=True)
            elif level is not None:
                vote(participant, session, level)


def test_a_participant_counts_from_half_the_sessions_questions_by_default(voting):
    session, people = voting
    # Three of five questions needed: 3, 2 and 1 questions voted on.
    vote_through(session, people, [(1, 1, 1), (2, 2, None), (3, None, None)])

    found = workshops.counting(fresh(session))

    assert (found.total, found.needed, found.counted, found.too_few) == (5, 3, 1, 2)
    assert [(t.participant.number, t.voted_on, t.outcome, t.counts) for t in found.tallies] == [
        (1, 3, "new_response", True),
        (2, 2, "too_few", False),
        (3, 1, "too_few", False),
    ]


def test_ending_after_two_of_five_questions_counts_nobody_and_says_so(voting):
    session, people = voting
    vote_through(session, people, [(1, 2, 3), (2, 3, 4)])

    ended = workshops.end_session(session=session)

    assert (ended.responses, ended.too_few, ended.needed, ended.total) == (0, 3, 3, 5)
    assert Response.objects.filter(workshop_session=session).count() == 0
    assert Participant.objects.filter(session=session, counted=True).count() == 0
    assert stored_votes(session)[0] == (1, 0, 1, 1, False)  # the votes stay with the workshop


def test_the_share_to_count_is_set_when_starting(open_assessment):
    session = start(open_assessment, min_voted_share=0.4)
    people = join(session, 3)
    vote_through(session, people, [(1, 2, 3), (2, 3, None)])

    ended = workshops.end_session(session=session)

    assert (session.min_voted_share, ended.needed, ended.responses, ended.too_few) == (
        0.4,
        2,
        2,
        1,
    )
    counted = Participant.objects.filter(session=session, counted=True)
    assert sorted(counted.values_list("number", flat=True)) == [1, 2]


def test_a_share_outside_0_to_1_is_refused(open_assessment):
    with pytest.raises(WorkshopRefused, match="between 0 and 100"):
        start(open_assessment, min_voted_share=1.5)


def test_a_share_of_zero_still_needs_one_vote(open_assessment):
    session = start(open_assessment, min_voted_share=0)

    assert session.questions_to_count(5) == 1


# --- Invitees in the room ---------------------------------------------------------------------


@pytest.fixture
def invitee(open_assessment):
    return ResponseFactory(assessment=open_assessment, email="dana@example.org", name="Dana")


def test_an_invitee_who_joins_from_their_link_is_counted_once(voting, invitee):
    session, people = voting
    dana = workshops.join_session(session=session, perspective="data_it", response=invitee)
    vote_through(session, [*people, dana], [(1, 1, 1, 4), (2, 2, 2, 3), (3, 3, 3, "dk")])

    ended = workshops.end_session(session=session)

    invitee.refresh_from_db()
    assert ended.responses == 4
    assert (invitee.is_submitted, invitee.perspective, invitee.workshop_session_id) == (
        True,
        "data_it",
        None,
    )
    assert sorted(invitee.answers.values_list("question__code", "level", "dont_know")) == [
        ("data.inventory", 4, False),
        ("data.quality", 3, False),
        ("data.rights", None, True),
    ]
    progress = Assessment.objects.with_progress().get(pk=session.assessment_id)
    # Dana plus three anonymous participants: four people, four responses, not five.
    assert (progress.invited_count, progress.submitted_count) == (4, 4)
    assert Response.objects.filter(workshop_session=session).count() == 3


def test_the_votes_replace_what_the_invitee_answered_alone(voting, invitee):
    session, people = voting
    inventory = session.assessment.questionnaire.questions.get(code="data.inventory")
    services.start_response(response=invitee, perspective="data_it")
    services.save_answer(response=invitee, question=inventory, level=0)
    dana = workshops.join_session(session=session, perspective="business", response=invitee)
    vote_through(session, [*people, dana], [(1, 1, 1, 3), (2, 2, 2, 3), (3, 3, 3, 3)])

    workshops.end_session(session=session)

    invitee.refresh_from_db()
    assert invitee.perspective == "data_it"  # their own choice stays
    assert invitee.answers.get(question=inventory).level == 3


def test_an_invitee_joining_from_a_second_device_keeps_their_place(session, invitee):
    first = workshops.join_session(session=session, perspective="data_it", response=invitee)
    again = workshops.join_session(session=session, perspective="business", response=invitee)

    assert (again.pk, again.secret) == (first.pk, first.secret)
    assert session.participants.count() == 1


def test_an_invitee_who_already_submitted_is_not_counted_again(voting, invitee):
    session, people = voting
    services.start_response(response=invitee, perspective="data_it")
    services.submit_response(response=invitee)
    dana = workshops.join_session(session=session, perspective="data_it", response=invitee)
    vote_through(session, [*people, dana], [(1, 1, 1, 4), (2, 2, 2, 4), (3, 3, 3, 4)])

    found = workshops.counting(fresh(session))
    ended = workshops.end_session(session=session)

    assert [t.outcome for t in found.tallies] == ["new_response"] * 3 + ["already_submitted"]
    assert ended.responses == 3
    assert invitee.answers.count() == 0  # what they submitted stays as it was


def test_an_invitee_with_too_few_votes_keeps_them_in_their_own_draft(voting, invitee):
    session, people = voting
    dana = workshops.join_session(session=session, perspective="data_it", response=invitee)
    vote_through(session, [*people, dana], [(1, 1, 1, 2)])

    ended = workshops.end_session(session=session)

    invitee.refresh_from_db()
    assert (ended.responses, ended.too_few) == (0, 4)
    assert (invitee.is_submitted, invitee.perspective) == (False, "data_it")
    assert list(invitee.answers.values_list("question__code", "level")) == [("data.inventory", 2)]


def test_a_link_of_another_assessment_cannot_join(session, organisation, small_questionnaire):
    other = ResponseFactory(assessment__organisation=organisation)

    with pytest.raises(WorkshopRefused, match="another assessment") as refused:
        workshops.join_session(session=session, perspective="business", response=other)
    assert refused.value.status == 404


# --- Join flooding ----------------------------------------------------------------------------


def test_the_room_holds_the_invitees_and_a_margin_by_default(open_assessment):
    ResponseFactory.create_batch(4, assessment=open_assessment)
    ResponseFactory(assessment=open_assessment, revoked_at="2026-01-01T00:00Z")

    assert start(open_assessment).max_participants == 4 + 10


def test_a_full_room_refuses_the_next_join_but_never_an_invitee(open_assessment, invitee):
    session = start(open_assessment, max_participants=2)
    join(session, 2)

    with pytest.raises(WorkshopRefused, match="This workshop is full: 2 people") as refused:
        workshops.join_session(session=session, perspective="business")
    assert refused.value.status == 403
    workshops.join_session(session=session, perspective="business", response=invitee)
    assert session.participants.count() == 3


@pytest.mark.parametrize("size", [0, 1001])
def test_a_room_size_out_of_range_is_refused(open_assessment, size):
    with pytest.raises(WorkshopRefused, match="between 1 and 1000"):
        start(open_assessment, max_participants=size)


def join_from(session, address: str) -> Participant:
    return workshops.join_session(session=session, perspective="business", address=address)


def test_joins_from_one_address_are_limited(session, settings):
    settings.WORKSHOP_JOINS_PER_ADDRESS = 3
    for _ in range(3):
        join_from(session, "203.0.113.7")

    with pytest.raises(WorkshopRefused, match="Many people are joining at once") as refused:
        join_from(session, "203.0.113.7")
    assert (refused.value.status, refused.value.retry_after) == (429, 60)
    join_from(session, "198.51.100.1")  # someone else still gets in
    assert session.participants.count() == 4


def test_joins_to_one_session_are_limited_whatever_the_address(session, settings):
    settings.WORKSHOP_JOINS_PER_SESSION = 3
    for n in range(3):
        join_from(session, f"203.0.113.{n}")

    with pytest.raises(WorkshopRefused) as refused:
        join_from(session, "203.0.113.99")
    assert refused.value.status == 429


def test_the_limit_counts_only_joins_within_the_window(session, settings):
    settings.WORKSHOP_JOINS_PER_ADDRESS = 1
    first = join_from(session, "203.0.113.7")
    Participant.objects.filter(pk=first.pk).update(joined_at="2026-01-01T00:00Z")

    join_from(session, "203.0.113.7")

    assert session.participants.count() == 2


def test_only_a_keyed_hash_of_the_address_is_kept(session):
    participant = join_from(session, "203.0.113.7")

    assert len(participant.address_hash) == 64
    assert "203.0.113.7" not in participant.address_hash
    other = start(session.assessment)
    assert join_from(other, "203.0.113.7").address_hash != participant.address_hash


# --- Removing a participant -------------------------------------------------------------------


def test_a_removed_participants_votes_count_nowhere(voting):
    session, people = voting
    count_from_one_vote(session)
    for participant in people:
        vote(participant, session, 4)

    workshops.remove_participant(session=session, participant_id=people[2].pk)

    assert fresh(session).revision > session.revision
    assert [row[0] for row in stored_votes(session)] == [1, 2]
    assert [v.label for v in workshops.voters(fresh(session))] == [
        "Participant 1",
        "Participant 2",
    ]
    with pytest.raises(Participant.DoesNotExist):
        vote(people[2], session, 0)
    assert workshops.end_session(session=session).responses == 2


def test_a_removed_participant_frees_their_place_but_still_counts_for_the_rate(
    open_assessment, settings
):
    settings.WORKSHOP_JOINS_PER_ADDRESS = 2
    session = start(open_assessment, max_participants=2)
    flooder = join_from(session, "203.0.113.7")
    join_from(session, "203.0.113.8")
    workshops.remove_participant(session=session, participant_id=flooder.pk)

    join_from(session, "203.0.113.9")  # the place is free again
    with pytest.raises(WorkshopRefused):
        join_from(session, "203.0.113.7")  # but the flood is remembered
    assert workshops.with_counts(WorkshopSession.objects.filter(pk=session.pk)).get().joined == 2


def test_removing_someone_of_another_session_is_refused(session, open_assessment):
    other = join(start(open_assessment), 1)[0]

    with pytest.raises(WorkshopRefused, match="not in this session") as refused:
        workshops.remove_participant(session=session, participant_id=other.pk)
    assert refused.value.status == 404


def test_removing_after_the_end_is_refused(voting):
    session, people = voting
    workshops.end_session(session=session)

    with pytest.raises(WorkshopRefused, match="has ended"):
        workshops.remove_participant(session=session, participant_id=people[0].pk)


@pytest.mark.parametrize("people", [1, 3])
def test_counting_costs_two_queries_however_many_joined(
    voting, invitee, people, django_assert_num_queries
):
    session, joined = voting
    workshops.join_session(session=session, perspective="data_it", response=invitee)
    for participant in [*joined, *join(session, people)]:
        vote(participant, session, 2)

    with django_assert_num_queries(2):
        found = workshops.counting(session)
        [(tally.invitee, tally.participant.label) for tally in found.tallies]


def test_agreement_on_a_question_of_another_session_is_refused(voting, open_assessment):
    session, _people = voting
    other = start(open_assessment)
    question = fresh(other).current

    with pytest.raises(WorkshopRefused) as refused:
        workshops.record_agreement(session=session, question=question, agreed_level=3, note="x")

    assert refused.value.status == 404
    question.refresh_from_db()
    assert (question.agreed_level, question.note) == (None, "")

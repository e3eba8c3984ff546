"""Live workshop pages: the consultant's presenter screen and the participants' phones, and
every way bad input is refused (a clear message, never a 500, never a vote counted twice)."""

import re

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments import workshops
from assessments.models import Response, Vote, WorkshopSession
from assessments.views.workshop.room import COOKIE_NAME
from tests.factories import AssessmentFactory, ResponseFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SAVED = "Saved."
NOT_JOINED = "You have not joined this workshop on this device yet."
NOT_RECOGNISED = "This device&#x27;s place in the workshop could not be recognised."


@pytest.fixture
def session(open_assessment, consultant):
    return workshops.start_session(assessment=open_assessment, scope="all", created_by=consultant)


def url(name: str, session: WorkshopSession, **kwargs) -> str:
    slug = session.assessment.organisation.slug
    return reverse(f"workshop:{name}", kwargs={"slug": slug, "pk": session.pk, **kwargs})


def room(session) -> str:
    return reverse("workshop:room", kwargs={"code": session.code})


def state(session) -> str:
    return reverse("workshop:state", kwargs={"code": session.code})


def vote_url(session) -> str:
    return reverse("workshop:vote", kwargs={"code": session.code})


def phone(session, perspective="business", name="") -> Client:
    """A participant's phone that has joined the session."""
    client = Client()
    response = client.post(room(session), {"perspective": perspective, "display_name": name})
    assert response.status_code == 302
    return client


def current(session):
    return WorkshopSession.objects.select_related("current").get(pk=session.pk).current


def cast(client, session, choice, **fields):
    question = current(session)
    data = {"question": question.pk, "round": question.round, "choice": choice, **fields}
    return client.post(vote_url(session), data, **HTMX)


def drive(client, session, action, **fields):
    position = current(session).position
    return client.post(
        url("drive", session), {"action": action, "position": position, **fields}, **HTMX
    )


@pytest.fixture
def three_phones(session):
    return [phone(session, name=name) for name in ("Dana", "Erik", "")]


# --- Starting (consultant) --------------------------------------------------------------------


def test_the_start_page_offers_the_scopes_and_the_default_for_counting(
    consultant_client, open_assessment
):
    response = consultant_client.get(
        reverse("workshop:start", args=[open_assessment.organisation.slug, open_assessment.pk])
    )

    assertContains(response, "Start a live workshop", count=2)
    assertContains(response, "Contested questions")
    assertContains(
        response,
        'aria-describedby="id_counts_in_results_helptext" id="id_counts_in_results" checked>',
    )
    assertContains(response, "None yet: contested questions come from submitted answers.")


def test_starting_opens_the_presenter_screen(consultant_client, open_assessment):
    response = consultant_client.post(
        reverse("workshop:start", args=[open_assessment.organisation.slug, open_assessment.pk]),
        {
            "scope": "pillars",
            "pillars": ["ethics"],
            "contested_limit": 8,
            "counts_in_results": "on",
        },
    )

    session = WorkshopSession.objects.get()
    assertRedirects(response, url("present", session), fetch_redirect_response=False)
    assert (session.scope, session.questions.count(), session.counts_in_results) == (
        "pillars",
        2,
        True,
    )


def test_starting_without_a_pillar_says_so(consultant_client, open_assessment):
    response = consultant_client.post(
        reverse("workshop:start", args=[open_assessment.organisation.slug, open_assessment.pk]),
        {"scope": "pillars", "contested_limit": 8},
    )

    assertContains(response, "Choose at least one pillar.", status_code=400)
    assert not WorkshopSession.objects.exists()


def test_starting_contested_questions_without_answers_says_why(consultant_client, open_assessment):
    response = consultant_client.post(
        reverse("workshop:start", args=[open_assessment.organisation.slug, open_assessment.pk]),
        {"scope": "contested", "contested_limit": 8},
    )

    assertContains(
        response,
        "No question to discuss: contested questions need submitted answers first.",
        status_code=400,
    )


# --- The presenter screen ---------------------------------------------------------------------


def test_the_presenter_screen_shows_code_join_url_qr_and_the_question(consultant_client, session):
    response = consultant_client.get(url("present", session))

    assertContains(response, f"<span>{session.code[:3]}</span><span>{session.code[3:]}</span>")
    assertContains(response, "127.0.0.1:8000/w/")
    assertContains(response, '<svg viewBox="0 0')  # the QR code, drawn by segno
    assertContains(response, "How is data.inventory handled?")
    assertContains(response, "Level 0 behaviour.")
    assertContains(response, "Question 1 of 5")
    assertContains(response, "Nobody has joined yet.")
    for key in ("ArrowLeft", "ArrowRight", '"v"', '"r"', '"2"', '"e"'):
        assertContains(
            response, f"data-shortcut={key if key.startswith(chr(34)) else chr(34) + key + chr(34)}"
        )


def test_the_stage_answers_304_while_nothing_changed(consultant_client, session):
    first = consultant_client.get(url("stage", session), **HTMX)
    etag = first["ETag"]

    again = consultant_client.get(url("stage", session), HTTP_IF_NONE_MATCH=etag, **HTMX)

    assert (first.status_code, again.status_code, again.content) == (200, 304, b"")
    assert again["ETag"] == etag
    assert f'data-etag="{etag.replace(chr(34), "&quot;")}"' in first.content.decode()


def test_the_stage_changes_when_someone_joins_or_votes(consultant_client, session):
    etag = consultant_client.get(url("stage", session))["ETag"]
    dana = phone(session, name="Dana")

    joined = consultant_client.get(url("stage", session), HTTP_IF_NONE_MATCH=etag)
    assert joined.status_code == 200
    assertContains(joined, '<span class="stage-count" id="joined-count">1</span>')
    drive(consultant_client, session, "open")
    etag = consultant_client.get(url("stage", session))["ETag"]
    cast(dana, session, "2")

    voted = consultant_client.get(url("stage", session), HTTP_IF_NONE_MATCH=etag)
    assertContains(voted, '<span class="stage-count" id="voted-count">1</span>')
    assertContains(voted, 'Dana<span class="visually-hidden">: has voted</span>')


def test_the_presenter_shows_who_voted_never_what(consultant_client, session, three_phones):
    drive(consultant_client, session, "open")
    cast(three_phones[0], session, "4")

    response = consultant_client.get(url("stage", session))

    assertContains(response, 'Dana<span class="visually-hidden">: has voted</span>')
    assertContains(response, 'Erik<span class="visually-hidden">: has not voted yet</span>')
    assertContains(
        response, 'Participant 3<span class="visually-hidden">: has not voted yet</span>'
    )
    assertNotContains(response, "<progress")


def test_reveal_with_fewer_than_three_votes_says_why(consultant_client, session, three_phones):
    drive(consultant_client, session, "open")
    for client in three_phones[:2]:
        cast(client, session, "2")

    response = drive(consultant_client, session, "reveal")

    assertContains(
        response,
        "2 votes so far: the distribution is shown from 3 votes, so that nobody&#x27;s vote can "
        "be singled out.",
        status_code=409,
    )
    assertNotContains(response, "<progress", status_code=409)


def test_the_revealed_distribution_counts_votes_per_level(consultant_client, session, three_phones):
    drive(consultant_client, session, "open")
    for client, choice in zip(three_phones, ("2", "2", "dk"), strict=True):
        cast(client, session, choice)

    response = drive(consultant_client, session, "reveal")

    counts = re.findall(r'<progress max="(\d+)" value="(\d+)"', response.content.decode())
    assert counts == [("3", "0"), ("3", "0"), ("3", "2"), ("3", "0"), ("3", "0"), ("3", "1")]
    assertContains(response, "Votes revealed")


def test_round_1_and_round_2_show_side_by_side(consultant_client, session, three_phones):
    drive(consultant_client, session, "open")
    for client in three_phones:
        cast(client, session, "1")
    drive(consultant_client, session, "reveal")
    drive(consultant_client, session, "round2")
    hidden_while_voting = consultant_client.get(url("stage", session))
    for client in three_phones:
        cast(client, session, "3")

    response = drive(consultant_client, session, "reveal")

    assertNotContains(hidden_while_voting, "<progress")
    bars = re.findall(
        r'stage-bar-round(\d)"><progress max="3" value="(\d)"', response.content.decode()
    )
    assert bars[2:4] == [("1", "3"), ("2", "0")]  # level 1
    assert bars[6:8] == [("1", "0"), ("2", "3")]  # level 3
    assertContains(response, "Round 2")


def test_automatic_reveal_once_everyone_voted(consultant_client, session, three_phones):
    drive(consultant_client, session, "auto_on")
    drive(consultant_client, session, "open")
    for client in three_phones:
        cast(client, session, "2")

    response = consultant_client.get(url("stage", session))

    assertContains(response, "Votes revealed")
    assert current(session).revealed is True


@pytest.mark.parametrize(("action", "status"), [("explode", 400), ("", 400)])
def test_an_unknown_action_is_refused(consultant_client, session, action, status):
    response = drive(consultant_client, session, action)

    assertContains(response, "Unknown action.", status_code=status)


def test_next_without_a_position_is_refused(consultant_client, session):
    response = consultant_client.post(url("drive", session), {"action": "next"}, **HTMX)

    assertContains(response, "Unknown question position.", status_code=400)
    assert current(session).position == 0


def test_without_htmx_the_controls_go_back_to_the_screen(consultant_client, session):
    response = consultant_client.post(url("drive", session), {"action": "next", "position": 0})

    assertRedirects(response, url("present", session))
    assert current(session).position == 1


def test_a_stale_tab_cannot_open_voting_on_another_question(consultant_client, session):
    drive(consultant_client, session, "next")

    response = consultant_client.post(
        url("drive", session), {"action": "open", "position": 0}, **HTMX
    )

    assertContains(response, "The screen has moved on", status_code=409)
    assert WorkshopSession.objects.get(pk=session.pk).voting_open is False


def test_recording_the_agreed_level_shows_the_consensus(consultant_client, session, three_phones):
    drive(consultant_client, session, "open")
    for client, choice in zip(three_phones, ("1", "2", "2"), strict=True):
        cast(client, session, choice)

    response = consultant_client.post(
        url("agree", session),
        {"question": current(session).pk, "agreed_level": "2", "note": "Owners are missing."},
        **HTMX,
    )

    assertContains(response, "Consensus reached")
    assertContains(response, "100 % of the final round's votes lie within one level of level 2")
    assertContains(response, "Owners are missing.")
    question = current(session)
    assert (question.agreed_level, question.note, question.consensus) == (
        2,
        "Owners are missing.",
        "reached",
    )


@pytest.mark.parametrize(
    ("data", "message", "status"),
    [
        ({"agreed_level": "7"}, "Select a valid choice.", 400),
        (
            {"agreed_level": "2", "question": "999999"},
            "This question is not part of this session.",
            404,
        ),
        ({"agreed_level": "2", "question": "x"}, "Enter a whole number.", 400),
        ({"agreed_level": "2", "note": "n" * 2001}, "at most 2000 characters", 400),
    ],
)
def test_a_bad_agreement_is_refused(consultant_client, session, data, message, status):
    response = consultant_client.post(
        url("agree", session), {"question": current(session).pk, **data}, **HTMX
    )

    assertContains(response, message, status_code=status)
    assert current(session).agreed_level is None


def test_ending_asks_first(consultant_client, session):
    response = consultant_client.get(url("end", session))

    assertContains(response, "End the workshop?", count=2)
    assertContains(
        response,
        "The votes of each participant who voted on at least 3 of the session's 5 "
        "questions (50 %) become one submitted response",
    )
    assert WorkshopSession.objects.get(pk=session.pk).status == "lobby"


def test_ending_counts_the_votes_and_opens_the_results(consultant_client, session, three_phones):
    WorkshopSession.objects.filter(pk=session.pk).update(min_voted_share=0)
    drive(consultant_client, session, "open")
    for client in three_phones:
        cast(client, session, "3")

    response = consultant_client.post(url("end", session), follow=True)

    assertRedirects(response, url("results", session))
    assertContains(response, "The session has ended. 3 participants&#x27; votes now count")
    assert (
        Response.objects.filter(workshop_session=session, submitted_at__isnull=False).count() == 3
    )
    assert consultant_client.get(url("present", session)).status_code == 302


def test_ending_twice_says_it_has_ended(consultant_client, session):
    consultant_client.post(url("end", session))

    response = consultant_client.post(url("end", session), follow=True)

    assertContains(response, "This session has ended: nothing can change any more.")


def test_the_assessment_page_lists_the_workshop_and_its_participants(
    consultant_client, session, three_phones
):
    WorkshopSession.objects.filter(pk=session.pk).update(min_voted_share=0)
    drive(consultant_client, session, "open")
    for client in three_phones:
        cast(client, session, "3")
    consultant_client.post(url("end", session))

    response = consultant_client.get(session.assessment.get_absolute_url())

    assertContains(response, "Live workshops")
    assertContains(response, "Workshop participant", count=3)
    assertContains(response, "3 participants")
    assertContains(response, "Start a live workshop")


def test_the_results_show_rounds_agreement_and_consensus(consultant_client, session, three_phones):
    drive(consultant_client, session, "open")
    for client, choice in zip(three_phones, ("0", "4", "4"), strict=True):
        cast(client, session, choice)
    drive(consultant_client, session, "reveal")
    drive(consultant_client, session, "round2")
    for client in three_phones:
        cast(client, session, "3")
    consultant_client.post(
        url("agree", session),
        {"question": current(session).pk, "agreed_level": "3", "note": "Moved after the demo."},
        **HTMX,
    )
    drive(consultant_client, session, "next")
    drive(consultant_client, session, "open")
    cast(three_phones[0], session, "1")  # one vote: not shown

    response = consultant_client.get(url("results", session))

    assertContains(response, "Round 1 · 3 votes")
    assertContains(response, "Round 2 · 3 votes")
    assertContains(response, "Round 1 · 1 vote")
    assertContains(response, "fewer votes than needed", count=6)
    assertContains(response, "Moved after the demo.")
    assertContains(response, "Consensus reached")
    assertContains(response, "Individual votes")
    assertContains(response, "Workshop consensus")


# --- Joining (participant) --------------------------------------------------------------------


def test_typing_the_code_in_any_case_opens_the_workshop(client, session):
    typed = f" {session.code[:3].lower()} {session.code[3:].lower()} "

    response = client.post(reverse("workshop:join"), {"code": typed})

    assertRedirects(response, room(session), fetch_redirect_response=False)


def test_a_wrong_code_says_so(client, session):
    response = client.post(reverse("workshop:join"), {"code": "ZZZ999"})

    assertContains(response, "No workshop has this code.", status_code=404)


def test_a_lower_case_join_url_lands_on_the_canonical_one(client, session):
    response = client.get(room(session).lower())

    assertRedirects(response, room(session), fetch_redirect_response=False)


def test_a_join_url_that_is_no_code_says_so(client, db):
    response = client.get(reverse("workshop:room", kwargs={"code": "nope"}))

    assertContains(response, "“nope” is not a workshop code", status_code=404)


def test_a_code_nobody_uses_says_so(client, db):
    response = client.get(reverse("workshop:room", kwargs={"code": "ZZZ999"}))

    assertContains(response, "No workshop has the code ZZZ999.", status_code=404)


def test_an_ended_session_says_it_has_ended(client, session):
    workshops.end_session(session=session)

    response = client.get(room(session))

    assertContains(response, "This workshop has ended", status_code=410)


def test_joining_remembers_the_device_with_a_signed_cookie(client, session):
    response = client.post(room(session), {"perspective": "data_it", "display_name": "Dana"})

    cookie = response.cookies[COOKIE_NAME]
    assert (cookie["httponly"], cookie["samesite"], cookie["path"]) == (True, "Lax", room(session))
    participant = session.participants.get()
    assert (participant.display_name, participant.perspective) == ("Dana", "data_it")
    assert participant.secret in cookie.value  # signed, not encrypted: the secret is the value
    page = client.get(room(session))
    assertContains(page, "Dana · Data and IT")
    assertContains(page, "You're in")


def test_joining_again_from_the_same_device_keeps_one_participant(client, session):
    client.post(room(session), {"perspective": "business"})
    client.post(room(session), {"perspective": "business"})

    assert session.participants.count() == 1


def test_joining_without_a_perspective_says_so(client, session):
    response = client.post(room(session), {"display_name": "Dana"})

    assertContains(response, "Choose the perspective closest to your role.", status_code=400)
    assert session.participants.count() == 0


def test_joining_with_a_name_too_long_says_so(client, session):
    response = client.post(room(session), {"perspective": "business", "display_name": "x" * 41})

    assertContains(response, "at most 40 characters", status_code=400)


def test_a_tampered_cookie_asks_to_join_again(client, session):
    client.post(room(session), {"perspective": "business"})
    client.cookies[COOKIE_NAME] = client.cookies[COOKIE_NAME].value[:-2] + "xx"

    response = client.get(room(session))

    assertContains(response, NOT_RECOGNISED)
    assertContains(response, "Join the workshop")


def test_a_cookie_of_an_earlier_session_with_the_same_code_is_not_this_session(client, session):
    client.post(room(session), {"perspective": "business"})
    workshops.end_session(session=session)
    again = WorkshopSession.objects.create(
        assessment=session.assessment, code=session.code, current=None
    )

    response = client.get(room(again))

    assertContains(response, "Join the workshop")
    assertNotContains(response, "Participant 1")


# --- Polling and voting (participant) ---------------------------------------------------------


def test_the_participant_page_shows_the_question_once_voting_opens(consultant_client, session):
    dana = phone(session)
    etag = dana.get(state(session))["ETag"]
    drive(consultant_client, session, "open")

    response = dana.get(state(session), HTTP_IF_NONE_MATCH=etag, **HTMX)

    assert response.status_code == 200
    assertContains(response, "Vote now")
    assertContains(response, "How is data.inventory handled?")
    assertContains(response, 'value="0" class="vote-option" aria-pressed="false">')


def test_the_participant_poll_answers_304_in_one_query(
    consultant_client, session, django_assert_num_queries
):
    dana = phone(session)
    drive(consultant_client, session, "open")
    cast(dana, session, "2")
    etag = dana.get(state(session))["ETag"]

    with django_assert_num_queries(1):
        response = dana.get(state(session), HTTP_IF_NONE_MATCH=etag, **HTMX)

    assert response.status_code == 304


def test_a_changed_poll_costs_two_queries(consultant_client, session, django_assert_num_queries):
    dana = phone(session)
    drive(consultant_client, session, "open")

    with django_assert_num_queries(2):
        response = dana.get(state(session), HTTP_IF_NONE_MATCH='"old"', **HTMX)

    assert response.status_code == 200


def test_a_vote_is_saved_and_shown_as_chosen(consultant_client, session):
    dana = phone(session)
    drive(consultant_client, session, "open")

    response = cast(dana, session, "3")

    assertContains(response, SAVED)
    assertContains(
        response, 'value="3" class="vote-option vote-option-chosen" aria-pressed="true">'
    )
    assertContains(response, "Your vote: level 3.")
    assert list(Vote.objects.values_list("level", "dont_know")) == [(3, False)]


def test_a_vote_costs_at_most_three_statements(
    consultant_client, session, django_assert_max_num_queries
):
    dana = phone(session)
    drive(consultant_client, session, "open")
    question = current(session)

    # The test's own transaction adds a savepoint and its release around the service's.
    with django_assert_max_num_queries(5) as captured:
        dana.post(vote_url(session), {"question": question.pk, "round": 1, "choice": "2"}, **HTMX)

    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    # The participant with their session row, locked; the INSERT … ON CONFLICT; and on
    # PostgreSQL first the setting that lets the commit skip waiting for the disk.
    expected = ["SELECT", "INSERT"]
    if connection.vendor == "postgresql":
        expected = ["SET", *expected]
    assert [sql.split(" ")[0] for sql in statements] == expected


def test_a_second_vote_in_the_same_round_replaces_the_first(consultant_client, session):
    dana = phone(session)
    drive(consultant_client, session, "open")

    cast(dana, session, "3")
    cast(dana, session, "3")  # a double tap
    response = cast(dana, session, "dk")

    assertContains(response, "Your vote: don't know.")
    assert list(Vote.objects.values_list("level", "dont_know")) == [(None, True)]


def test_a_reload_keeps_the_vote(consultant_client, session):
    dana = phone(session)
    drive(consultant_client, session, "open")
    cast(dana, session, "1")

    response = dana.get(room(session))

    assertContains(
        response, 'value="1" class="vote-option vote-option-chosen" aria-pressed="true">'
    )


def test_a_second_tab_of_the_same_phone_votes_as_the_same_participant(consultant_client, session):
    dana = phone(session)
    second_tab = Client()
    second_tab.cookies = dana.cookies
    drive(consultant_client, session, "open")

    cast(dana, session, "1")
    cast(second_tab, session, "4")

    assert list(Vote.objects.values_list("participant__number", "level")) == [(1, 4)]


def test_a_vote_while_voting_is_closed_is_refused(session):
    dana = phone(session)

    response = cast(dana, session, "2")

    assertContains(response, "Voting is closed for this question.", status_code=409)
    assert not Vote.objects.exists()


def test_a_vote_for_a_question_that_is_not_current_is_refused(consultant_client, session):
    dana = phone(session)
    first = current(session)
    drive(consultant_client, session, "next")
    drive(consultant_client, session, "open")

    response = dana.post(
        vote_url(session), {"question": first.pk, "round": 1, "choice": "2"}, **HTMX
    )

    assertContains(response, "The screen has moved on", status_code=409)
    assertContains(response, "How is data.quality handled?", status_code=409)  # caught up
    assert not Vote.objects.exists()


@pytest.mark.parametrize("choice", ["5", "-1", "2.0", "²", "", "x" * 5000, "0x1"])
def test_a_level_outside_0_to_4_is_refused(consultant_client, session, choice):
    dana = phone(session)
    drive(consultant_client, session, "open")

    response = cast(dana, session, choice)

    assertContains(response, "Choose a level from 0 to 4, or “Don&#x27;t know”.", status_code=400)
    assert not Vote.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("round", "3"), ("round", "x"), ("question", "abc")])
def test_a_malformed_vote_is_refused(consultant_client, session, field, value):
    dana = phone(session)
    drive(consultant_client, session, "open")

    response = cast(dana, session, "2", **{field: value})

    assertContains(response, "This vote is not valid.", status_code=400)
    assert not Vote.objects.exists()


def test_a_vote_after_the_end_is_refused(consultant_client, session):
    dana = phone(session)
    drive(consultant_client, session, "open")
    question = current(session)
    consultant_client.post(url("end", session))

    response = dana.post(
        vote_url(session), {"question": question.pk, "round": 1, "choice": "2"}, **HTMX
    )

    assertContains(response, "voting is closed for good", status_code=410)
    assert not Vote.objects.exists()


def test_a_vote_without_joining_is_refused(client, consultant_client, session):
    drive(consultant_client, session, "open")

    response = cast(client, session, "2")

    assertContains(response, NOT_JOINED, status_code=403)
    assert not Vote.objects.exists()


def test_a_vote_with_a_forged_cookie_is_refused(consultant_client, session):
    drive(consultant_client, session, "open")
    forger = Client()
    forger.cookies[COOKIE_NAME] = signing.get_cookie_signer(salt="something else").sign("secret")

    response = cast(forger, session, "2")

    assertContains(response, NOT_RECOGNISED, status_code=403)
    assert not Vote.objects.exists()


def test_a_cookie_signed_for_another_code_does_not_vote_here(consultant_client, session):
    dana = phone(session)
    other = workshops.start_session(
        assessment=AssessmentFactory(
            organisation=session.assessment.organisation,
            questionnaire=session.assessment.questionnaire,
        ),
        scope="all",
        created_by=None,
    )
    workshops.open_voting(session=other)
    question = current(other)

    response = dana.post(
        vote_url(other), {"question": question.pk, "round": 1, "choice": "2"}, **HTMX
    )

    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_polling_without_joining_says_how_to_join(client, session):
    response = client.get(state(session), **HTMX)

    assertContains(response, NOT_JOINED, status_code=403)
    assertNotContains(response, "hx-trigger", status_code=403)  # the page stops polling


def test_voting_needs_a_post(client, session):
    assert client.get(vote_url(session)).status_code == 405


def test_without_htmx_a_vote_goes_back_to_the_page(consultant_client, session):
    dana = phone(session)
    drive(consultant_client, session, "open")
    question = current(session)

    response = dana.post(vote_url(session), {"question": question.pk, "round": 1, "choice": "2"})

    assertRedirects(response, room(session))
    assert Vote.objects.count() == 1


def test_the_ended_page_stops_polling(consultant_client, session):
    dana = phone(session)
    consultant_client.post(url("end", session))

    response = dana.get(state(session), **HTMX)

    assertContains(response, "The workshop has ended")
    assertNotContains(response, "hx-trigger")


# --- Starting with a room size and a share to count -------------------------------------------


def test_the_start_page_suggests_the_invitees_plus_a_margin(consultant_client, open_assessment):
    ResponseFactory.create_batch(3, assessment=open_assessment)

    response = consultant_client.get(
        reverse("workshop:start", args=[open_assessment.organisation.slug, open_assessment.pk])
    )

    assertContains(response, 'name="max_participants" value="13"')
    assertContains(response, "Suggested: the 3 invitees and 10 more.")
    assertContains(response, 'name="min_voted_percent" value="50"')


def test_starting_sets_the_room_size_and_the_share_to_count(consultant_client, open_assessment):
    consultant_client.post(
        reverse("workshop:start", args=[open_assessment.organisation.slug, open_assessment.pk]),
        {
            "scope": "all",
            "contested_limit": 5,
            "counts_in_results": "on",
            "min_voted_percent": 40,
            "max_participants": 25,
        },
    )

    session = WorkshopSession.objects.get()
    assert (session.min_voted_share, session.max_participants) == (0.4, 25)


# --- Ending: who counts -----------------------------------------------------------------------


def test_the_end_page_shows_how_many_questions_each_participant_voted_on(
    consultant_client, session, three_phones
):
    for position, voters in enumerate([three_phones, three_phones[:2], three_phones[:1]]):
        if position:
            drive(consultant_client, session, "next")
        drive(consultant_client, session, "open")
        for client in voters:
            cast(client, session, "2")

    response = consultant_client.get(url("end", session))

    rows = re.findall(
        r'<tr class="workshop-tally workshop-tally-(\w+)">\s*<th scope="row" class="fw-normal">'
        r"(\w+).*?</th>\s*<td[^>]*>(\d+ of \d+)</td>",
        response.content.decode(),
        re.S,
    )
    assert rows == [
        ("new_response", "Dana", "3 of 5"),
        ("too_few", "Erik", "2 of 5"),
        ("too_few", "Participant", "1 of 5"),
    ]
    assertContains(response, "1 participant will count as a response. 2 voted on too few")


def test_ending_says_how_many_voted_on_too_few_questions(consultant_client, session, three_phones):
    drive(consultant_client, session, "open")
    for client in three_phones:
        cast(client, session, "3")

    response = consultant_client.post(url("end", session), follow=True)

    assertContains(
        response,
        "The session has ended. 0 participants&#x27; votes now count as responses. 3 "
        "participants voted on fewer than 3 of the 5 questions and do not count.",
    )
    assert Response.objects.count() == 0


# --- An invitee joins from their personal link ------------------------------------------------


INVITEE_TOKEN = "dana-personal-link"


@pytest.fixture
def invitee(open_assessment):
    return ResponseFactory(
        assessment=open_assessment, email="dana@example.org", name="Dana", token=INVITEE_TOKEN
    )


def with_link(token: str = INVITEE_TOKEN) -> Client:
    client = Client()
    client.get(reverse("respond:start", kwargs={"token": token}))
    return client


def test_the_respondent_page_offers_the_running_workshop(session, invitee):
    response = with_link().get(reverse("respond:perspective"))

    assertContains(response, f"A live workshop on this assessment is running (code {session.code})")
    assertContains(response, reverse("respond:workshop", kwargs={"code": session.code}))


def test_the_respondent_page_offers_no_ended_workshop(session, invitee):
    workshops.end_session(session=session)

    response = with_link().get(reverse("respond:perspective"))

    assertNotContains(response, "A live workshop")


def test_an_invitee_joins_as_themselves_and_counts_once(consultant_client, session, invitee):
    dana = with_link()
    join_url = reverse("respond:workshop", kwargs={"code": session.code})
    page = dana.get(join_url)
    assertContains(page, 'value="Dana"')

    response = dana.post(join_url, {"perspective": "data_it", "display_name": "Dana"})

    assertRedirects(response, room(session), fetch_redirect_response=False)
    assert session.participants.get().response == invitee
    others = [phone(session) for _ in range(2)]
    WorkshopSession.objects.filter(pk=session.pk).update(min_voted_share=0)
    drive(consultant_client, session, "open")
    for client in [dana, *others]:
        assert cast(client, session, "3").status_code == 200
    end_page = consultant_client.get(url("end", session))
    assertContains(end_page, "Invitee Dana, joined from their personal link")
    consultant_client.post(url("end", session))

    invitee.refresh_from_db()
    assert invitee.is_submitted
    listing = consultant_client.get(session.assessment.get_absolute_url())
    assertContains(listing, "Workshop participant", count=2)
    assertContains(listing, "dana@example.org")


def test_an_invitee_joining_a_workshop_that_is_not_running_is_told(session, invitee):
    response = with_link().get(reverse("respond:workshop", kwargs={"code": "ZZZZZZ"}))

    assertContains(response, "This workshop is not running.", status_code=404)


def test_joining_as_an_invitee_needs_the_personal_link(client, session):
    response = client.get(reverse("respond:workshop", kwargs={"code": session.code}))

    assert response.status_code == 403


# --- Join flooding ----------------------------------------------------------------------------


def test_joining_too_fast_from_one_address_answers_429(client, session, settings):
    settings.WORKSHOP_JOINS_PER_ADDRESS = 2
    for _ in range(2):
        phone(session)

    response = client.post(room(session), {"perspective": "business"})

    assertContains(
        response,
        "Many people are joining at once. Wait a minute, then try again, please.",
        status_code=429,
    )
    assert response["Retry-After"] == "60"
    assert COOKIE_NAME not in response.cookies


def test_joining_a_full_room_answers_403(client, open_assessment, consultant):
    session = workshops.start_session(
        assessment=open_assessment, scope="all", created_by=consultant, max_participants=1
    )
    phone(session)

    response = client.post(room(session), {"perspective": "business"})

    assertContains(
        response,
        "This workshop is full: 1 person has joined. Ask the presenter to make room for you.",
        status_code=403,
    )


# --- Removing a participant -------------------------------------------------------------------


def test_the_presenter_removes_a_participant(consultant_client, session, three_phones):
    drive(consultant_client, session, "open")
    for client in three_phones:
        cast(client, session, "3")
    erik = session.participants.get(display_name="Erik")

    response = consultant_client.post(
        url("remove_participant", session, participant_pk=erik.pk), follow=True
    )

    assertRedirects(response, url("end", session))
    assertContains(response, "Erik was removed: their votes no longer count.")
    assertNotContains(response, '<span class="visually-hidden"> Erik</span>')
    assert Vote.objects.count() == 2
    removed = three_phones[1]
    assertContains(
        removed.get(state(session)),
        "The presenter has removed this device from the workshop",
        status_code=403,
    )
    assertContains(
        removed.get(room(session)), "You are no longer in this workshop", status_code=403
    )
    assert cast(removed, session, "1").status_code == 403
    assert removed.post(room(session), {"perspective": "business"}).status_code == 403


def test_removing_needs_a_post(consultant_client, session, three_phones):
    participant = session.participants.first()

    response = consultant_client.get(
        url("remove_participant", session, participant_pk=participant.pk)
    )

    assert response.status_code == 405


def test_removing_someone_unknown_answers_404(consultant_client, session):
    response = consultant_client.post(url("remove_participant", session, participant_pk=999))

    assert response.status_code == 404


def test_an_invitee_who_joined_already_is_told_and_keeps_their_place(session, invitee):
    first, second = with_link(), with_link()
    join_url = reverse("respond:workshop", kwargs={"code": session.code})
    first.post(join_url, {"perspective": "data_it"})

    page = second.get(join_url)
    second.post(join_url, {"perspective": "business"})

    assertContains(page, "You have joined this workshop already.")
    assert session.participants.count() == 1
    assert second.get(room(session)).context["participant"].perspective == "data_it"

"""The respondent's journey through a personal link, and every way bad input is refused.

The link `/r/<token>/` is only an entry: it sets a cookie and redirects to `/respond/…`
pages, which find the response through that cookie. The `client` of a test has opened the
link of the response fixture it asks for.
"""

import logging
import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import hash_token
from assessments import services
from assessments.models import Answer, Assessment, Response
from assessments.views.respond import COOKIE, COOKIE_SALT
from tests.factories import AnswerFactory, QuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db

TOKEN = "dana-personal-link"
OTHER_TOKEN = "erik-personal-link"
ALL_CODES = ["data.inventory", "data.quality", "data.rights", "ethics.policy", "ethics.gdpr"]
INVALID_LINK = "This link is not valid. Check that you opened the whole link from your e-mail."
REVOKED = "This link was withdrawn. Ask the consultant who invited you for a new one."
CLOSED = "This assessment is not open for answers. Thank you for your interest."
SUBMITTED = "Your answers were already submitted and can no longer be changed."
REPLACED = (
    "A newer link was sent to you, and this one no longer works. Open the link in the "
    "latest e-mail: your answers are kept."
)
NO_LINK = (
    "This page opens only through your personal link, and this browser has not used it "
    "recently. Open the link from your e-mail again: your answers are kept."
)
CLOSED_AFTER_SUBMISSION = (
    "Thank you for taking part. Your submitted answers count in the results; they are no "
    "longer shown here."
)
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"
RESPONDENT_LINK = re.compile(r"/r/(?P<token>[\w-]+)/")
NOT_A_LEVEL = "“{}” is not a level: choose 0 to 4."
HTMX = {"HTTP_HX_REQUEST": "true"}


def link(token: str = TOKEN) -> str:
    """The personal link, as the e-mail gives it."""
    return reverse("respond:start", kwargs={"token": token})


def url(name: str, **kwargs) -> str:
    return reverse(f"respond:{name}", kwargs=kwargs)


def pillar_url(code: str) -> str:
    return url("pillar", code=code)


def answer_url(code: str) -> str:
    return url("answer", code=code)


def open_link(client, token: str = TOKEN):
    """Open a personal link in this client, as a click in the e-mail would."""
    page = client.get(link(token))
    assert page.status_code == 302, page.content.decode()
    return page


def stored(response) -> dict[str, tuple]:
    """The response's answers as {question code: (level, dont_know, comment)}."""
    return {
        code: (level, dont_know, comment)
        for code, level, dont_know, comment in Answer.objects.filter(response=response).values_list(
            "question__code", "level", "dont_know", "comment"
        )
    }


def give(response, code: str, level: int | None = 2, **fields) -> Answer:
    question = response.assessment.questionnaire.questions.get(code=code)
    return AnswerFactory(response=response, question=question, level=level, **fields)


@pytest.fixture
def response(client, open_assessment):
    """Dana has opened her link, chosen a perspective and rated importance."""
    response = ResponseFactory(
        assessment=open_assessment,
        email="dana@example.org",
        token=TOKEN,
        perspective="data_it",
        importance={"data": 5, "ethics": 3},
        started_at=timezone.now(),
    )
    open_link(client, TOKEN)
    return response


@pytest.fixture
def fresh_response(open_assessment):
    """Erik has not opened his link yet."""
    return ResponseFactory(assessment=open_assessment, email="erik@example.org", token=OTHER_TOKEN)


@pytest.fixture
def erik(client, fresh_response):
    """Erik has just opened his link for the first time."""
    open_link(client, OTHER_TOKEN)
    return fresh_response


@pytest.fixture
def answered(response):
    """Dana has already answered the first question with level 2."""
    give(response, "data.inventory", 2, comment="Listed in a spreadsheet.")
    return response


# Where the link lands


def test_start_of_a_new_link_asks_for_the_perspective(client, fresh_response):
    page = client.get(link(OTHER_TOKEN))

    assertRedirects(page, url("perspective"), fetch_redirect_response=False)


def test_start_without_importance_asks_for_it(client, fresh_response):
    services.start_response(response=fresh_response, perspective="business")

    page = client.get(link(OTHER_TOKEN))

    assertRedirects(page, url("importance"), fetch_redirect_response=False)


def test_start_goes_to_the_first_question(client, response):
    page = client.get(link())

    assert page.status_code == 302
    assert page["Location"] == pillar_url("data") + "#q-data.inventory"


def test_start_comes_back_to_the_first_unanswered_question(client, answered):
    give(answered, "data.quality", None, dont_know=True)

    page = client.get(link())

    assert page["Location"] == "/respond/pillar/data/#q-data.rights"


def test_start_treats_a_comment_alone_as_unanswered(client, response):
    give(response, "data.inventory", None, comment="Not sure what counts as a source.")

    page = client.get(link())

    assert page["Location"] == "/respond/pillar/data/#q-data.inventory"


def test_start_moves_on_to_the_next_pillar_once_one_is_answered(client, response):
    for code in ["data.inventory", "data.quality", "data.rights"]:
        give(response, code)

    page = client.get(link())

    assert page["Location"] == pillar_url("ethics") + "#q-ethics.policy"


def test_start_with_every_question_answered_goes_to_review(client, response):
    for code in ALL_CODES:
        give(response, code)

    page = client.get(link())

    assertRedirects(page, url("review"), fetch_redirect_response=False)


def test_resume_goes_where_the_link_would(client, answered):
    give(answered, "data.quality", None, dont_know=True)

    page = client.get(url("resume"))

    assert page["Location"] == "/respond/pillar/data/#q-data.rights"


# Perspective and importance


def test_perspective_page_says_who_sees_what(client, erik, consultant):
    erik.assessment.created_by = consultant
    erik.assessment.save()

    page = client.get(url("perspective"))

    assertContains(
        page,
        f"{consultant.name}, the consultant running the assessment, sees who has answered and "
        "the live figures. Your organisation's management sees published group results "
        "only: never your answers, and never a figure that fewer than 5 people answered. A "
        "comment reaches them only if the consultant chooses to share it, without your name.",
    )


def test_perspective_page_states_what_every_question_would_take(client, erik):
    """The small bank: five questions for everyone, 5 words each with five 3-word levels."""
    page = client.get(url("perspective"))

    assertContains(
        page,
        "That is all 5 questions, about 2 minutes, instead of at most 2 for one role.",
    )


def test_reading_times_count_each_perspectives_questions(small_questionnaire):
    question = small_questionnaire.questions.get(code="data.rights")
    question.perspectives = ["legal_risk"]
    question.save()

    times = small_questionnaire.reading_times()

    assert (times[None][0], times["legal_risk"][0], times["business"][0]) == (5, 5, 4)


def test_perspective_post_stores_it_and_goes_to_importance(client, erik):
    page = client.post(url("perspective"), {"perspective": "legal_risk"})

    assertRedirects(page, url("importance"), fetch_redirect_response=False)
    erik.refresh_from_db()
    assert (erik.perspective, erik.status) == ("legal_risk", "started")


def test_perspective_post_without_a_choice_asks_again(client, erik):
    page = client.post(url("perspective"), {})

    assert page.status_code == 400
    assert page.context["form"].errors["perspective"] == [
        "Choose the perspective closest to your role."
    ]
    assert Response.objects.get(pk=erik.pk).perspective == ""


def test_perspective_post_with_an_unknown_choice_is_refused(client, erik):
    page = client.post(url("perspective"), {"perspective": "ceo"})

    assert page.status_code == 400
    assert page.context["form"].errors["perspective"] == [
        "Select a valid choice. ceo is not one of the available choices."
    ]
    assert Response.objects.get(pk=erik.pk).perspective == ""


def test_importance_page_lists_each_pillar(client, response):
    page = client.get(url("importance"))

    assert list(page.context["form"].fields) == ["data", "ethics"]
    assertContains(page, "Ethics and governance")


def test_importance_page_styles_its_radios_like_the_other_pages(client, response):
    page = client.get(url("importance"))

    assertContains(page, 'class="form-check-input"', count=10)


def test_importance_post_stores_the_ratings_and_goes_on(client, response):
    page = client.post(url("importance"), {"data": "2", "ethics": "4"})

    assertRedirects(page, url("resume"), fetch_redirect_response=False)
    assert Response.objects.get(pk=response.pk).importance == {"data": 2, "ethics": 4}


def test_importance_post_with_a_pillar_missing_keeps_the_previous_ratings(client, response):
    page = client.post(url("importance"), {"data": "2"})

    assert page.status_code == 400
    assert page.context["form"].errors["ethics"] == ["Rate how important this area is."]
    assert Response.objects.get(pk=response.pk).importance == {"data": 5, "ethics": 3}


def test_importance_post_out_of_scale_keeps_the_previous_ratings(client, response):
    page = client.post(url("importance"), {"data": "9", "ethics": "4"})

    assert page.status_code == 400
    assert page.context["form"].errors["data"] == [
        "Select a valid choice. 9 is not one of the available choices."
    ]
    assert Response.objects.get(pk=response.pk).importance == {"data": 5, "ethics": 3}


# Pillar pages


def test_pillar_page_shows_the_questions_of_that_pillar_only(client, response):
    page = client.get(pillar_url("data"))

    assert [q.code for q in page.context["pillar"].question_list] == [
        "data.inventory",
        "data.quality",
        "data.rights",
    ]
    assertContains(page, "How is data.rights handled?")
    assertNotContains(page, "How is ethics.policy handled?")


def test_a_question_that_may_not_apply_says_so_on_its_dont_know(client, response):
    response.assessment.questionnaire.questions.filter(code="data.rights").update(
        not_applicable=True
    )

    page = client.get(pillar_url("data"))

    assertContains(page, "Does not apply, or don't know", count=1)
    assertContains(page, ">Don't know</label>", count=2)


def test_pillar_page_checks_the_saved_level(client, answered):
    page = client.get(pillar_url("data"))

    assertContains(
        page,
        '<input class="form-check-input" type="radio" name="q-data.inventory" '
        'id="q-data.inventory-2" value="2" checked>',
        html=True,
    )
    assertContains(page, " checked", count=1)


def test_pillar_page_shows_the_saved_comment(client, answered):
    page = client.get(pillar_url("data"))

    assertContains(
        page,
        '<textarea class="form-control mt-1" name="c-data.inventory" id="c-data.inventory" '
        'rows="2" maxlength="2000">Listed in a spreadsheet.</textarea>',
        html=True,
    )


def test_pillar_page_shows_progress(client, answered):
    page = client.get(pillar_url("ethics"))

    assertContains(page, "1 of 5 questions answered")
    assertContains(page, "20%")


def test_pillar_post_saves_the_page_and_goes_to_the_next_pillar(client, answered):
    page = client.post(
        pillar_url("data"),
        {"q-data.inventory": "3", "q-data.quality": "dk", "c-data.rights": "Ask legal."},
    )

    assertRedirects(page, pillar_url("ethics"), fetch_redirect_response=False)
    assert stored(answered) == {
        "data.inventory": (3, False, "Listed in a spreadsheet."),  # no comment field: kept
        "data.quality": (None, True, ""),
        "data.rights": (None, False, "Ask legal."),
    }


def test_pillar_post_on_the_last_pillar_goes_to_review(client, response):
    page = client.post(pillar_url("ethics"), {"q-ethics.policy": "1", "q-ethics.gdpr": "0"})

    assertRedirects(page, url("review"), fetch_redirect_response=False)
    assert stored(response) == {
        "ethics.policy": (1, False, ""),
        "ethics.gdpr": (0, False, ""),
    }


def test_pillar_post_with_previous_saves_and_goes_back(client, response):
    page = client.post(pillar_url("ethics"), {"q-ethics.policy": "4", "previous": "1"})

    assertRedirects(page, pillar_url("data"), fetch_redirect_response=False)
    assert stored(response) == {"ethics.policy": (4, False, "")}


def test_pillar_post_with_one_invalid_value_saves_nothing_from_the_page(client, answered):
    page = client.post(
        pillar_url("data"),
        {"q-data.inventory": "4", "q-data.quality": "3", "q-data.rights": "7"},
    )

    assert page.status_code == 400
    assertContains(
        page,
        "“7” is not a level: choose 0 to 4. "
        "Nothing on this page was saved; your earlier answers are kept.",
        status_code=400,
    )
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_pillar_post_with_a_too_long_comment_saves_nothing_from_the_page(client, answered):
    page = client.post(pillar_url("data"), {"q-data.quality": "3", "c-data.rights": "x" * 2001})

    assertContains(page, "A comment can be at most 2000 characters long.", status_code=400)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


NO_CONTROL_CHARACTERS = (
    "A comment cannot contain control characters (such as NUL). Remove them and save again."
)


def test_pillar_post_with_a_nul_in_a_comment_saves_nothing_from_the_page(client, answered):
    page = client.post(
        pillar_url("data"),
        {"q-data.quality": "3", "q-data.rights": "1", "c-data.rights": "Signed\x00 off"},
    )

    assertContains(page, NO_CONTROL_CHARACTERS, status_code=400)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_pillar_post_is_saved_whole_or_not_at_all(client, answered):
    """A database failure on the page's second answer leaves none of the page saved."""
    inserts = []

    def fail_on_second_answer(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "assessments_answer"'):
            inserts.append(sql)
            if len(inserts) == 2:
                raise DatabaseError("the database went away")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_on_second_answer), pytest.raises(DatabaseError):
        client.post(pillar_url("data"), {"q-data.quality": "3", "q-data.rights": "1"})

    assert len(inserts) == 2
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_answer_with_a_nul_in_the_comment_is_refused(client, answered):
    page = client.post(
        answer_url("data.quality"), {"q-data.quality": "3", "c-data.quality": "a\x00"}
    )

    assertContains(page, NO_CONTROL_CHARACTERS, status_code=400)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_answer_with_a_nul_in_the_question_code_is_refused(client, answered):
    page = client.post(answer_url("data.quality\x00"), {"q-data.quality": "3"}, **HTMX)

    assertContains(page, "This question code is not valid.", status_code=400)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_pillar_with_an_unknown_code_is_not_found(client, response):
    page = client.get(pillar_url("finance"))

    assertContains(page, "This part of the questionnaire does not exist.", status_code=404)


def test_pillar_post_with_an_unknown_code_saves_nothing(client, response):
    page = client.post(pillar_url("finance"), {"q-data.inventory": "3"})

    assertContains(page, "This part of the questionnaire does not exist.", status_code=404)
    assert stored(response) == {}


# Saving one answer as it is given (htmx)


def test_answer_saves_the_level_and_says_saved(client, response):
    page = client.post(answer_url("data.quality"), {"q-data.quality": "3"}, **HTMX)

    assertContains(page, '<span class="text-success">✓ Saved</span>', html=True)
    assert stored(response) == {"data.quality": (3, False, "")}


def test_answer_returns_the_new_progress_out_of_band(client, answered):
    page = client.post(answer_url("data.quality"), {"q-data.quality": "dk"}, **HTMX)

    assertContains(page, 'id="progress"')
    assertContains(page, 'hx-swap-oob="true"')
    assertContains(page, "2 of 5 questions answered")
    assertContains(page, "40%")


def test_answer_saves_a_comment_with_the_level(client, response):
    client.post(
        answer_url("data.quality"),
        {"q-data.quality": "1", "c-data.quality": "Only in the pilot."},
        **HTMX,
    )

    assert stored(response) == {"data.quality": (1, False, "Only in the pilot.")}


def test_answer_ignores_fields_of_other_questions(client, response):
    client.post(answer_url("data.quality"), {"q-data.quality": "1", "q-data.rights": "4"}, **HTMX)

    assert stored(response) == {"data.quality": (1, False, "")}


def test_answer_with_nothing_chosen_saves_nothing(client, response):
    page = client.post(answer_url("data.quality"), {}, **HTMX)

    assert page.status_code == 200
    assertNotContains(page, "Saved")
    assert stored(response) == {}


def test_answer_with_its_comment_emptied_clears_a_comment_only_answer(client, response):
    client.post(answer_url("data.quality"), {"c-data.quality": "Ask IT"}, **HTMX)

    client.post(answer_url("data.quality"), {"c-data.quality": ""}, **HTMX)

    assert stored(response) == {}


def test_answer_saved_twice_leaves_exactly_one_row(client, response):
    client.post(answer_url("data.quality"), {"q-data.quality": "3"}, **HTMX)
    client.post(answer_url("data.quality"), {"q-data.quality": "3"}, **HTMX)

    assert Answer.objects.filter(response=response).count() == 1


def test_answer_changed_keeps_the_last_value(client, response):
    client.post(answer_url("data.quality"), {"q-data.quality": "3"}, **HTMX)
    client.post(answer_url("data.quality"), {"q-data.quality": "dk"}, **HTMX)

    assert stored(response) == {"data.quality": (None, True, "")}


def test_answer_losing_a_race_with_the_submission_is_refused_in_words(
    client, response, monkeypatch
):
    # Submitted after the page checked the link and before the save took its lock.
    services.submit_response(response=response)
    monkeypatch.setattr("assessments.views.respond._ensure_usable", lambda *a, **kw: None)

    page = client.post(answer_url("data.quality"), {"q-data.quality": "3"}, **HTMX)

    assertContains(page, SUBMITTED, status_code=409)
    assert stored(response) == {}


def test_answer_by_get_is_not_allowed(client, response):
    page = client.get(answer_url("data.quality"))

    assert page.status_code == 405


@pytest.mark.parametrize("level", ["7", "abc", "-1", "²", "1.5", "9" * 5000])
def test_answer_with_a_value_that_is_not_a_level_is_refused(client, answered, level):
    page = client.post(answer_url("data.inventory"), {"q-data.inventory": level}, **HTMX)

    assertContains(page, NOT_A_LEVEL.format(level[:20]), status_code=400)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_answer_with_a_too_long_comment_is_refused(client, answered):
    page = client.post(
        answer_url("data.inventory"),
        {"q-data.inventory": "4", "c-data.inventory": "x" * 2001},
        **HTMX,
    )

    assertContains(page, "A comment can be at most 2000 characters long.", status_code=400)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_answer_with_a_comment_of_exactly_2000_characters_is_saved(client, response):
    client.post(
        answer_url("data.inventory"),
        {"q-data.inventory": "4", "c-data.inventory": "x" * 2000},
        **HTMX,
    )

    assert stored(response) == {"data.inventory": (4, False, "x" * 2000)}


def test_answer_to_a_question_of_another_questionnaire_is_not_found(client, answered):
    QuestionFactory(code="skills.llmops")

    page = client.post(answer_url("skills.llmops"), {"q-skills.llmops": "3"}, **HTMX)

    assertContains(page, "This question is not part of this assessment.", status_code=404)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_answer_through_one_link_never_changes_another_response(client, answered, fresh_response):
    give(fresh_response, "data.quality", 0)

    client.post(answer_url("data.quality"), {"q-data.quality": "4"}, **HTMX)

    assert stored(fresh_response) == {"data.quality": (0, False, "")}
    assert stored(answered)["data.quality"] == (4, False, "")


# Nothing lost: a choice left out keeps the answer, clearing is a button, and a page out
# of date cannot overwrite a newer answer


STALE_NOTICE = (
    "This answer was changed in another tab or on another device after this page was "
    "opened, so it was not overwritten."
)


def version_input(code: str, version: int) -> str:
    return f'<input type="hidden" name="v-{code}" id="v-{code}" value="{version}">'


def test_pillar_page_carries_the_version_of_each_answer(client, answered):
    services.save_answer(
        response=answered,
        question=answered.assessment.questionnaire.questions.get(code="data.inventory"),
        level=3,
    )

    page = client.get(pillar_url("data"))

    assertContains(page, version_input("data.inventory", 2), html=True)
    assertContains(page, version_input("data.quality", 0), html=True)


def test_pillar_post_without_a_choice_keeps_the_saved_level(client, answered):
    page = client.post(pillar_url("data"), {"c-data.inventory": "Now in a catalogue."})

    assertRedirects(page, pillar_url("ethics"), fetch_redirect_response=False)
    assert stored(answered) == {"data.inventory": (2, False, "Now in a catalogue.")}


def test_pillar_post_of_an_untouched_page_changes_nothing(client, answered):
    page = client.post(
        pillar_url("data"),
        {
            "q-data.inventory": "2",
            "c-data.inventory": "Listed in a spreadsheet.",
            "v-data.inventory": "1",
            "c-data.quality": "",
            "v-data.quality": "0",
        },
    )

    assertRedirects(page, pillar_url("ethics"), fetch_redirect_response=False)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}
    assert Answer.objects.get(response=answered).version == 1


def test_pillar_clear_button_clears_the_level_and_stays_on_the_question(client, answered):
    page = client.post(
        pillar_url("data"),
        {
            "q-data.inventory": "2",
            "c-data.inventory": "Listed in a spreadsheet.",
            "v-data.inventory": "1",
            "q-data.quality": "3",
            "clear": "data.inventory",
        },
    )

    assertRedirects(page, pillar_url("data") + "#q-data.inventory", fetch_redirect_response=False)
    assert stored(answered) == {
        "data.inventory": (None, False, "Listed in a spreadsheet."),
        "data.quality": (3, False, ""),
    }
    assertContains(client.get(pillar_url("data")), "The answer was cleared.")


def test_pillar_clear_button_with_the_comment_emptied_removes_the_answer(client, answered):
    client.post(
        pillar_url("data"),
        {"c-data.inventory": "", "v-data.inventory": "1", "clear": "data.inventory"},
    )

    assert stored(answered) == {}


def test_pillar_page_offers_to_clear_each_answer(client, answered):
    page = client.get(pillar_url("data"))

    assertContains(
        page,
        '<button type="submit" name="clear" value="data.inventory" '
        'class="btn btn-link btn-sm answer-clear">Clear answer</button>',
        html=True,
    )


def test_answer_with_only_a_comment_keeps_the_saved_level(client, answered):
    client.post(answer_url("data.inventory"), {"c-data.inventory": "Owners named."}, **HTMX)

    assert stored(answered) == {"data.inventory": (2, False, "Owners named.")}


def test_answer_with_the_clear_value_clears_the_level(client, answered):
    client.post(
        answer_url("data.inventory"),
        {"q-data.inventory": "clear", "c-data.inventory": "Listed in a spreadsheet."},
        **HTMX,
    )

    assert stored(answered) == {"data.inventory": (None, False, "Listed in a spreadsheet.")}


def test_answer_sends_the_new_version_back_out_of_band(client, answered):
    page = client.post(
        answer_url("data.inventory"), {"q-data.inventory": "4", "v-data.inventory": "1"}, **HTMX
    )

    assertContains(
        page,
        '<input type="hidden" name="v-data.inventory" id="v-data.inventory" value="2" '
        'hx-swap-oob="true">',
        html=True,
    )


@pytest.mark.parametrize("version", ["-1", "x", "1.5", "²", "9" * 12])
def test_answer_with_a_version_that_is_not_one_is_refused(client, answered, version):
    page = client.post(
        answer_url("data.inventory"),
        {"q-data.inventory": "4", "v-data.inventory": version},
        **HTMX,
    )

    assertContains(page, "This page is out of date: reload it and answer again.", status_code=400)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


@pytest.fixture
def phone_answered(answered):
    """After Dana's laptop showed the data page, her phone saved level 3 and a comment over
    the answer the laptop shows (version 1), and answered data.quality for the first time."""
    questions = answered.assessment.questionnaire.questions
    for code, level, comment in [
        ("data.inventory", 3, "Listed in a spreadsheet."),
        ("data.inventory", 3, "Now in the catalogue, owners named."),
        ("data.quality", 4, "Checked daily."),
    ]:
        services.save_answer(
            response=answered, question=questions.get(code=code), level=level, comment=comment
        )
    return answered


PHONE_ANSWERS = {
    "data.inventory": (3, False, "Now in the catalogue, owners named."),
    "data.quality": (4, False, "Checked daily."),
}


def test_answer_from_a_page_out_of_date_is_refused_and_shows_the_saved_one(client, phone_answered):
    page = client.post(
        answer_url("data.inventory"),
        {"q-data.inventory": "1", "c-data.inventory": "", "v-data.inventory": "1"},
        **HTMX,
    )

    assertContains(page, STALE_NOTICE, status_code=409)
    assert (page.headers["HX-Retarget"], page.headers["HX-Reswap"]) == ("this", "outerHTML")
    assertContains(
        page,
        "<dd>3 · Level 3 behaviour.<br>Comment: “Now in the catalogue, owners named.”</dd>",
        html=True,
        status_code=409,
    )
    assertContains(
        page, "<dd>1 · Level 1 behaviour.<br>No comment</dd>", html=True, status_code=409
    )
    # The question shown again as saved, with the version a replacement must send
    assertContains(page, version_input("data.inventory", 3), html=True, status_code=409)
    assertContains(page, 'value="3" checked', status_code=409)
    assertContains(page, "Keep the saved answer", status_code=409)
    assertContains(page, "Replace with mine", status_code=409)
    assert stored(phone_answered) == PHONE_ANSWERS


def test_pillar_post_from_a_page_out_of_date_keeps_the_newer_answers(client, phone_answered):
    """The laptop's page, opened before the phone's saves, is sent with "Save and continue":
    nothing chosen, its comment fields as they were shown."""
    page = client.post(
        pillar_url("data"),
        {
            "q-data.inventory": "2",
            "c-data.inventory": "Listed in a spreadsheet.",
            "v-data.inventory": "1",
            "c-data.quality": "",
            "v-data.quality": "0",
            "q-data.rights": "1",
            "c-data.rights": "",
            "v-data.rights": "0",
        },
    )

    assert page.status_code == 200
    assertContains(page, STALE_NOTICE, count=2)
    assertContains(page, "Your answers on this page were saved, except 2 that were changed")
    assert stored(phone_answered) == {**PHONE_ANSWERS, "data.rights": (1, False, "")}


def test_keeping_the_saved_answer_changes_nothing(client, phone_answered):
    page = client.post(
        pillar_url("data"),
        {
            "q-data.inventory": "3",
            "c-data.inventory": "Now in the catalogue, owners named.",
            "v-data.inventory": "3",
            "mine-q-data.inventory": "2",
            "mine-c-data.inventory": "Listed in a spreadsheet.",
            "keep": "data.inventory",
        },
    )

    assertRedirects(page, pillar_url("data") + "#q-data.inventory", fetch_redirect_response=False)
    assert stored(phone_answered) == PHONE_ANSWERS
    assertContains(client.get(pillar_url("data")), "The saved answer was kept.")


def test_replacing_the_saved_answer_saves_what_the_page_had_sent(client, phone_answered):
    page = client.post(
        pillar_url("data"),
        {
            "q-data.inventory": "3",
            "c-data.inventory": "Now in the catalogue, owners named.",
            "v-data.inventory": "3",
            "mine-q-data.inventory": "2",
            "mine-c-data.inventory": "Listed in a spreadsheet.",
            "replace": "data.inventory",
        },
    )

    assertRedirects(page, pillar_url("data") + "#q-data.inventory", fetch_redirect_response=False)
    assert stored(phone_answered) == {
        **PHONE_ANSWERS,
        "data.inventory": (2, False, "Listed in a spreadsheet."),
    }


def test_replacing_after_yet_another_change_is_refused_again(client, phone_answered):
    services.save_answer(
        response=phone_answered,
        question=phone_answered.assessment.questionnaire.questions.get(code="data.inventory"),
        level=4,
    )

    page = client.post(
        pillar_url("data"),
        {
            "v-data.inventory": "3",
            "mine-q-data.inventory": "2",
            "mine-c-data.inventory": "Listed in a spreadsheet.",
            "replace": "data.inventory",
        },
    )

    assertContains(page, STALE_NOTICE, count=1)
    assert stored(phone_answered)["data.inventory"] == (
        4,
        False,
        "Now in the catalogue, owners named.",
    )


def test_conflict_page_offers_the_saved_answer_and_what_was_sent(client, phone_answered):
    page = client.post(
        pillar_url("data"),
        {"q-data.inventory": "1", "c-data.inventory": "", "v-data.inventory": "1"},
    )

    assertContains(page, '<input type="hidden" name="mine-q-data.inventory" value="1">', html=True)
    assertContains(page, '<input type="hidden" name="mine-c-data.inventory" value="">', html=True)
    assertContains(page, version_input("data.inventory", 3), html=True)


# Links that no longer work


def test_unknown_token_shows_a_not_found_page(client, answered):
    page = client.get(link("dana-personal-linx"))

    assertContains(page, INVALID_LINK, status_code=404)
    assert COOKIE not in page.cookies


def test_unknown_token_leaves_the_cookie_of_the_link_opened_before(client, answered):
    client.get(link("dana-personal-linx"))

    page = client.get(pillar_url("data"))

    assert page.status_code == 200


def test_token_with_a_nul_byte_shows_a_not_found_page(client, answered):
    page = client.get(link("dana-personal-link\x00"))

    assertContains(page, INVALID_LINK, status_code=404)


def revoke(response):
    services.revoke_link(response=response)


def close(response):
    services.close_assessment(assessment=response.assessment)


def pass_closing_date(response):
    Assessment.objects.filter(pk=response.assessment_id).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )


def return_to_draft(response):
    Assessment.objects.filter(pk=response.assessment_id).update(status=Assessment.Status.DRAFT)


GONE = [(revoke, REVOKED), (close, CLOSED), (pass_closing_date, CLOSED), (return_to_draft, CLOSED)]
GONE_IDS = ["revoked", "closed", "past closing date", "draft"]


@pytest.mark.parametrize(("end", "message"), GONE, ids=GONE_IDS)
def test_link_that_no_longer_works_is_gone(client, answered, end, message):
    end(answered)

    page = client.get(link())

    assertContains(page, message, status_code=410)
    assert COOKIE not in page.cookies


@pytest.mark.parametrize(("end", "message"), GONE, ids=GONE_IDS)
def test_link_that_no_longer_works_is_gone_from_the_pages_it_opened(client, answered, end, message):
    end(answered)

    page = client.get(url("resume"))

    assertContains(page, message, status_code=410)


@pytest.mark.parametrize(("end", "message"), GONE, ids=GONE_IDS)
def test_link_that_no_longer_works_keeps_the_saved_answer(client, answered, end, message):
    end(answered)

    page = client.post(answer_url("data.inventory"), {"q-data.inventory": "4"}, **HTMX)

    assertContains(page, message, status_code=410)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


@pytest.mark.parametrize(("end", "message"), GONE, ids=GONE_IDS)
def test_link_that_no_longer_works_refuses_the_pillar_form(client, answered, end, message):
    end(answered)

    page = client.post(pillar_url("data"), {"q-data.inventory": "4"})

    assertContains(page, message, status_code=410)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_link_problem_answered_to_htmx_is_a_fragment(client, answered):
    revoke(answered)

    page = client.post(answer_url("data.inventory"), {"q-data.inventory": "4"}, **HTMX)

    assert page.content.decode() == f'<span class="text-danger" role="alert">{REVOKED}</span>\n'


@pytest.fixture
def resent(answered, consultant):
    """Dana's consultant sent her a new link; her browser still holds the old cookie."""
    answered.assessment.created_by = consultant
    answered.assessment.save()
    services.resend_link(response=answered, sent_by=None)
    return answered


def test_resent_link_page_says_a_newer_link_was_sent(client, resent):
    page = client.get(link())

    assertContains(page, REPLACED, status_code=410)
    assertContains(page, 'href="mailto:alice@example.org"', status_code=410)
    assertNotContains(page, INVALID_LINK, status_code=410)


def test_resent_link_stops_the_cookie_of_the_old_one(client, resent):
    page = client.get(pillar_url("data"))

    assertContains(page, REPLACED, status_code=410)
    assertContains(page, 'href="mailto:alice@example.org"', status_code=410)


def test_resent_link_stops_the_old_cookie_from_saving(client, resent):
    page = client.post(answer_url("data.quality"), {"q-data.quality": "4"}, **HTMX)

    assert page.content.decode() == f'<span class="text-danger" role="alert">{REPLACED}</span>\n'
    assert stored(resent) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_resent_link_opens_the_same_answers(client, resent):
    new_token = RESPONDENT_LINK.search(mail.outbox[-1].body)["token"]

    open_link(client, new_token)
    page = client.get(pillar_url("data"))

    assert page.context["response"] == resent
    assert page.context["progress"].answered == 1


# The cookie that the link exchanges for its token


def test_link_sets_a_signed_cookie_for_the_respondent_pages_only(client, fresh_response):
    page = client.get(link(OTHER_TOKEN))

    cookie = page.cookies[COOKIE]
    assert {key: cookie[key] for key in ("path", "max-age", "httponly", "samesite", "secure")} == {
        "path": "/respond/",
        "max-age": 120 * 24 * 60 * 60,
        "httponly": True,
        "samesite": "Lax",
        "secure": "",
    }


def test_link_cookie_names_the_response_and_the_hash_of_its_token(client, fresh_response):
    page = client.get(link(OTHER_TOKEN))

    assert unsigned(page.cookies[COOKIE].value) == f"{fresh_response.pk}:{hash_token(OTHER_TOKEN)}"
    assert OTHER_TOKEN not in page.cookies[COOKIE].value


def test_link_over_https_sets_a_secure_cookie(client, fresh_response):
    page = client.get(link(OTHER_TOKEN), secure=True)

    assert page.cookies[COOKIE]["secure"] is True


def test_link_asks_the_browser_to_send_no_referer(client, fresh_response):
    page = client.get(link(OTHER_TOKEN))

    assert page["Referrer-Policy"] == "no-referrer"


def test_link_problem_page_asks_the_browser_to_send_no_referer(client, db):
    page = client.get(link("not-a-link"))

    assert page["Referrer-Policy"] == "no-referrer"


def test_second_link_in_the_same_browser_switches_to_its_response(client, answered, erik):
    client.post(answer_url("data.quality"), {"q-data.quality": "4"}, **HTMX)

    assert stored(erik) == {"data.quality": (4, False, "")}
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def respondent_requests() -> list[tuple[str, str]]:
    return [
        ("get", url("resume")),
        ("get", url("perspective")),
        ("post", url("perspective")),
        ("get", url("importance")),
        ("post", url("importance")),
        ("get", pillar_url("data")),
        ("post", pillar_url("data")),
        ("get", url("review")),
        ("post", url("submit")),
    ]


@pytest.mark.parametrize(("method", "path"), respondent_requests())
def test_page_without_the_cookie_says_to_open_the_link_again(method, path, answered):
    page = getattr(Client(), method)(path, {"q-data.inventory": "4"})

    assertContains(page, NO_LINK, status_code=403)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_answer_without_the_cookie_is_refused_in_the_status_line(answered):
    page = Client().post(answer_url("data.inventory"), {"q-data.inventory": "4"}, **HTMX)

    assert page.content.decode() == f'<span class="text-danger" role="alert">{NO_LINK}</span>\n'
    assert page.status_code == 403
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def signed(value: str, *, salt: str = COOKIE_SALT) -> str:
    """The cookie value Django signs for `value`, with the settings in force."""
    page = HttpResponse()
    page.set_signed_cookie(COOKIE, value, salt=salt)
    return page.cookies[COOKIE].value


def unsigned(value: str) -> str:
    request = HttpRequest()
    request.COOKIES[COOKIE] = value
    return request.get_signed_cookie(COOKIE, salt=COOKIE_SALT)


class PastSigner(signing.TimestampSigner):
    """Signs as if it were 121 days ago."""

    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 121 * 24 * 60 * 60)


def tampered_cookies(response) -> dict[str, str]:
    value = f"{response.pk}:{response.token_hash}"
    good = signed(value)
    other = ResponseFactory(assessment=response.assessment, token="someone-else")
    with override_settings(SECRET_KEY="not-the-secret-key"):
        another_key = signed(value)
    with override_settings(SIGNING_BACKEND=f"{__name__}.PastSigner"):
        too_old = signed(value)
    return {
        "changed signature": good[:-1] + ("A" if good[-1] != "A" else "B"),
        "another response": good.replace(f"{response.pk}:", f"{other.pk}:", 1),
        "another salt": signed(value, salt="another.purpose"),
        "another key": another_key,
        "not signed": value,
        "signed nonsense": signed("nonsense"),
        "signed, no hash": signed(f"{response.pk}:"),
        "signed, unknown response": signed(f"999999:{response.token_hash}"),
        "signed, NUL byte": signed(f"{response.pk}:{response.token_hash}\x00"),
        "older than 120 days": too_old,
        "empty": "",
    }


TAMPERED = [
    "changed signature",
    "another response",
    "another salt",
    "another key",
    "not signed",
    "signed nonsense",
    "signed, no hash",
    "signed, unknown response",
    "signed, NUL byte",
    "older than 120 days",
    "empty",
]


@pytest.mark.parametrize("kind", TAMPERED)
def test_tampered_cookie_says_to_open_the_link_again(client, answered, kind):
    client.cookies[COOKIE] = tampered_cookies(answered)[kind]

    page = client.get(pillar_url("data"))

    assertContains(page, NO_LINK, status_code=403)


@pytest.mark.parametrize("kind", TAMPERED)
def test_tampered_cookie_saves_nothing(client, answered, kind):
    client.cookies[COOKIE] = tampered_cookies(answered)[kind]

    page = client.post(answer_url("data.quality"), {"q-data.quality": "4"}, **HTMX)

    assert page.status_code == 403
    assert Answer.objects.filter(question__code="data.quality").count() == 0


def test_cookie_signed_today_still_works(client, answered):
    client.cookies[COOKIE] = signed(f"{answered.pk}:{answered.token_hash}")

    page = client.get(pillar_url("data"))

    assert page.status_code == 200


def journey_pages(client) -> list:
    """Every page and fragment of a journey from the link to the read-only page."""
    pages = [client.get(link(OTHER_TOKEN))]
    pages.append(client.get(pages[0]["Location"]))
    pages.append(client.post(url("perspective"), {"perspective": "business"}))
    pages.append(client.get(url("importance")))
    pages.append(client.post(url("importance"), {"data": "4", "ethics": "5"}))
    pages.append(client.get(url("resume")))
    pages.append(client.get(pillar_url("data")))
    pages.append(client.post(answer_url("data.inventory"), {"q-data.inventory": "1"}, **HTMX))
    pages.append(client.post(pillar_url("data"), {"q-data.quality": "2"}))
    pages.append(client.get(pillar_url("ethics")))
    pages.append(client.get(url("review")))
    pages.append(client.post(url("submit")))
    pages.append(client.get(url("resume")))
    return pages


def test_token_appears_only_in_the_address_of_the_link(client, fresh_response):
    pages = journey_pages(client)

    addresses = [page.request["PATH_INFO"] for page in pages]
    assert [address for address in addresses if OTHER_TOKEN in address] == [link(OTHER_TOKEN)]
    assert [page["Location"] for page in pages if page.has_header("Location")] == [
        url("perspective"),
        url("importance"),
        url("resume"),
        pillar_url("data") + "#q-data.inventory",
        pillar_url("ethics"),
        url("resume"),
    ]
    assert [page.status_code for page in pages if OTHER_TOKEN in page.content.decode()] == []


def test_every_page_of_the_journey_is_kept_out_of_caches(client, fresh_response):
    pages = journey_pages(client)

    assert {page["Cache-Control"] for page in pages} == {NO_STORE}


# (with the link opened first?, method, address, htmx?, status)
PROBLEM_PAGES = {
    "unknown link": (False, "get", link("not-a-link"), False, 404),
    "no cookie": (False, "get", url("review"), False, 403),
    "no cookie, htmx": (False, "post", answer_url("data.quality"), True, 403),
    "unknown pillar": (True, "get", pillar_url("finance"), False, 404),
    "answer by GET": (True, "get", answer_url("data.quality"), False, 405),
    "submit by GET": (True, "get", url("submit"), False, 405),
    "unknown question": (True, "post", answer_url("finance.x"), True, 404),
}


@pytest.mark.parametrize("name", PROBLEM_PAGES)
def test_every_problem_page_is_kept_out_of_caches(client, fresh_response, name):
    opened, method, address, htmx, status = PROBLEM_PAGES[name]
    if opened:
        open_link(client, OTHER_TOKEN)

    page = getattr(client, method)(address, **(HTMX if htmx else {}))

    assert (page.status_code, page["Cache-Control"]) == (status, NO_STORE)


@pytest.mark.parametrize(("end", "message"), GONE, ids=GONE_IDS)
def test_link_that_no_longer_works_is_kept_out_of_caches(client, answered, end, message):
    end(answered)

    assert client.get(link())["Cache-Control"] == NO_STORE
    assert client.get(url("resume"))["Cache-Control"] == NO_STORE


def test_the_link_is_redacted_from_the_request_log(client, db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(link("a-secret-token"))

    assert [record.getMessage() for record in caplog.records] == ["Not Found: /r/…/"]


# Review, submit and the read-only page


def test_review_lists_the_unanswered_questions(client, answered):
    page = client.get(url("review"))

    assert [question.code for _, question in page.context["unanswered"]] == ALL_CODES[1:]
    assertContains(page, "4 questions are still unanswered")


def test_review_marks_itself_as_the_current_step(client, answered):
    page = client.get(url("review"))

    assertContains(
        page,
        f'<a class="btn btn-sm btn-primary" href="{url("review")}" aria-current="step">Review</a>',
        html=True,
    )


def test_pillar_form_posts_to_the_pillar_without_the_question_anchor(client, answered):
    page = client.get(pillar_url("data"))

    assertContains(page, f'<form method="post" action="{pillar_url("data")}" novalidate>')


def test_pillar_question_saves_through_the_address_without_the_token(client, answered):
    page = client.get(pillar_url("data"))

    assertContains(page, 'hx-post="/respond/answer/data.inventory/"', count=1)


def test_pillar_question_saves_into_its_own_status_line(client, answered):
    page = client.get(pillar_url("data"))

    # htmx would read "#status-data.inventory" as id "status-data" with class "inventory".
    assertContains(page, 'hx-target="find .answer-status"', count=3)


def test_review_counts_answers_per_pillar(client, answered):
    page = client.get(url("review"))

    assert [(p.code, p.answered_count) for p in page.context["pillars"]] == [
        ("data", 1),
        ("ethics", 0),
    ]


def test_submit_hands_in_the_response_and_shows_it(client, answered):
    page = client.post(url("submit"))

    assertRedirects(page, url("resume"), fetch_redirect_response=False)
    assert Response.objects.get(pk=answered.pk).submitted_at is not None


def test_submitted_response_link_goes_to_the_read_only_page(client, answered):
    services.submit_response(response=answered)

    page = client.get(link())

    assertRedirects(page, url("resume"), fetch_redirect_response=False)


def test_submitted_response_shows_the_answers_read_only(client, answered):
    give(answered, "ethics.gdpr", None, dont_know=True)
    services.submit_response(response=answered)

    page = client.get(url("resume"))

    assert page.status_code == 200
    assertContains(page, "Thank you: your answers were submitted.")
    assertContains(page, "<dd>2 · Level 2 behaviour.", count=1)
    assertContains(page, "“Listed in a spreadsheet.”")
    assertContains(page, "Don't know", count=1)
    assertContains(page, "Not answered", count=3)
    assertNotContains(page, 'type="radio"')


@pytest.mark.parametrize(
    "end", [close, pass_closing_date, return_to_draft], ids=["closed", "past date", "draft"]
)
def test_submitted_response_shows_a_closed_notice_once_the_assessment_closes(client, answered, end):
    services.submit_response(response=answered)
    end(answered)

    page = client.get(link())

    assertContains(page, '<h1 class="h3 mb-3">This assessment is closed</h1>', status_code=410)
    assertContains(page, CLOSED_AFTER_SUBMISSION, status_code=410)
    assertNotContains(page, "Listed in a spreadsheet.", status_code=410)
    assertNotContains(page, "Level 2 behaviour.", status_code=410)
    assert COOKIE not in page.cookies


def test_submitted_response_pages_show_the_closed_notice_once_the_assessment_closes(
    client, answered
):
    services.submit_response(response=answered)
    close(answered)

    page = client.get(url("resume"))

    assertContains(page, CLOSED_AFTER_SUBMISSION, status_code=410)
    assertNotContains(page, "Listed in a spreadsheet.", status_code=410)


@pytest.mark.parametrize("name", ["perspective", "importance", "review"])
def test_submitted_response_editing_pages_show_the_closed_notice_once_closed(
    client, answered, name
):
    services.submit_response(response=answered)
    close(answered)

    page = client.get(url(name))

    assertContains(page, CLOSED_AFTER_SUBMISSION, status_code=410)


def test_submitted_response_refuses_an_answer(client, answered):
    services.submit_response(response=answered)

    page = client.post(answer_url("data.inventory"), {"q-data.inventory": "4"}, **HTMX)

    assertContains(page, SUBMITTED, status_code=409)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


@pytest.mark.parametrize("name", ["perspective", "importance", "review"])
def test_submitted_response_refuses_the_editing_pages(client, answered, name):
    services.submit_response(response=answered)

    page = client.get(url(name))

    assertContains(page, SUBMITTED, status_code=409)


def test_submitted_response_refuses_the_pillar_form(client, answered):
    services.submit_response(response=answered)

    page = client.post(pillar_url("data"), {"q-data.inventory": "4"})

    assertContains(page, SUBMITTED, status_code=409)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


def test_submit_twice_is_refused(client, answered):
    services.submit_response(response=answered)
    first = Response.objects.get(pk=answered.pk).submitted_at

    page = client.post(url("submit"))

    assertContains(page, SUBMITTED, status_code=409)
    assert Response.objects.get(pk=answered.pk).submitted_at == first


def test_submit_by_get_is_not_allowed(client, answered):
    page = client.get(url("submit"))

    assert page.status_code == 405
    assert Response.objects.get(pk=answered.pk).submitted_at is None


# The whole journey


def test_whole_journey_from_link_to_read_only_page(client, fresh_response):
    page = client.get(link(OTHER_TOKEN), follow=True)
    assert page.request["PATH_INFO"] == url("perspective")

    page = client.post(url("perspective"), {"perspective": "business"}, follow=True)
    assert page.request["PATH_INFO"] == url("importance")

    page = client.post(url("importance"), {"data": "4", "ethics": "5"})
    assert page["Location"] == url("resume")
    page = client.get(page["Location"])
    assert page["Location"] == pillar_url("data") + "#q-data.inventory"

    client.post(answer_url("data.inventory"), {"q-data.inventory": "1"}, **HTMX)
    page = client.post(
        pillar_url("data"),
        {"q-data.inventory": "1", "q-data.quality": "2", "q-data.rights": "dk"},
    )
    assert page["Location"] == pillar_url("ethics")

    page = client.post(
        pillar_url("ethics"), {"q-ethics.policy": "3", "q-ethics.gdpr": "4"}, follow=True
    )
    assert page.request["PATH_INFO"] == url("review")
    assert page.context["unanswered"] == []
    assertContains(page, "5 of 5 questions answered")

    page = client.post(url("submit"), follow=True)
    assertContains(page, "Thank you: your answers were submitted.")

    fresh_response.refresh_from_db()
    assert (fresh_response.perspective, fresh_response.importance, fresh_response.status) == (
        "business",
        {"data": 4, "ethics": 5},
        "submitted",
    )
    assert stored(fresh_response) == {
        "data.inventory": (1, False, ""),
        "data.quality": (2, False, ""),
        "data.rights": (None, True, ""),
        "ethics.policy": (3, False, ""),
        "ethics.gdpr": (4, False, ""),
    }


# Queries


@pytest.mark.parametrize("answered_codes", [[], ALL_CODES], ids=["no answers", "all answered"])
def test_pillar_page_query_count_does_not_grow_with_answers(
    client, response, answered_codes, django_assert_max_num_queries
):
    for code in answered_codes:
        give(response, code, 3, comment="A comment.")
    client.get(pillar_url("data"))  # the process reads a version's question index once

    # The cookie's response, its questionnaire, the pillars, their questions, the answers,
    # the progress, and whether a live workshop of the assessment is running.
    with django_assert_max_num_queries(7):
        page = client.get(pillar_url("data"))

    assert page.status_code == 200


TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def test_saving_an_answer_costs_two_statements(client, answered, django_assert_max_num_queries):
    client.post(answer_url("data.quality"), {"q-data.quality": "1"})  # the question index

    with django_assert_max_num_queries(4) as captured:
        page = client.post(answer_url("data.quality"), {"q-data.quality": "3"})

    # The cookie's response, locked, with its assessment and the questions it has answered
    # (the progress, and the answer's version), then the INSERT … ON CONFLICT (the save).
    # The question is not read again.
    statements = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]
    assert [sql.split()[0] for sql in statements] == ["SELECT", "INSERT"]
    assert "FOR UPDATE" in statements[0] or connection.vendor == "sqlite"
    assert "token_hash" in statements[0]
    assertContains(page, "2 of 5 questions answered")
    assert stored(answered)["data.quality"] == (3, False, "")


def test_saving_an_answer_that_changes_nothing_costs_one_statement(
    client, answered, django_assert_max_num_queries
):
    client.post(answer_url("data.inventory"), {"q-data.inventory": "2"})  # the question index

    with django_assert_max_num_queries(3) as captured:
        page = client.post(answer_url("data.inventory"), {"q-data.inventory": "2"})

    statements = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]
    assert [sql.split()[0] for sql in statements] == ["SELECT"]
    assertContains(page, "✓ Saved")


# Questions routed by perspective


@pytest.fixture
def business(client, open_assessment):
    """Dana's colleague in the business sees no question meant for data and IT only."""
    open_assessment.questionnaire.questions.filter(code="data.rights").update(
        perspectives=["data_it"]
    )
    business = ResponseFactory(
        assessment=open_assessment,
        token="bea-link",
        perspective="business",
        importance={"data": 3, "ethics": 3},
    )
    open_link(client, "bea-link")
    return business


def test_pillar_page_leaves_out_questions_meant_for_other_perspectives(client, business):
    page = client.get(pillar_url("data"))

    assert [q.code for q in page.context["pillar"].question_list] == [
        "data.inventory",
        "data.quality",
    ]
    assertNotContains(page, "How is data.rights handled?")


def test_progress_counts_only_the_questions_asked(client, business):
    give(business, "data.inventory", 3)

    page = client.get(pillar_url("data"))

    assert (page.context["progress"].answered, page.context["progress"].total) == (1, 4)


def test_respondent_who_chose_every_question_sees_them_all(client, business):
    Response.objects.filter(pk=business.pk).update(sees_all_questions=True)

    page = client.get(pillar_url("data"))

    assert [q.code for q in page.context["pillar"].question_list] == [
        "data.inventory",
        "data.quality",
        "data.rights",
    ]


def test_perspective_post_can_ask_for_every_question(client, erik):
    client.post(url("perspective"), {"perspective": "business", "sees_all_questions": "on"})

    erik.refresh_from_db()
    assert (erik.perspective, erik.sees_all_questions) == ("business", True)


def test_answer_to_a_question_not_asked_is_not_found(client, business):
    page = client.post(answer_url("data.rights"), {"q-data.rights": "2"})

    assert page.status_code == 404
    assert stored(business) == {}

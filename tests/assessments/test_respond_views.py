"""The respondent's journey through a personal link, and every way bad input is refused."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments import services
from assessments.models import Answer, Assessment, Response
from tests.factories import AnswerFactory, QuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db

TOKEN = "dana-personal-link"
OTHER_TOKEN = "erik-personal-link"
ALL_CODES = ["data.inventory", "data.quality", "data.rights", "ethics.policy", "ethics.gdpr"]
INVALID_LINK = "This link is not valid. Check that you opened the whole link from your e-mail."
REVOKED = "This link was withdrawn. Ask the consultant who invited you for a new one."
CLOSED = "This assessment is not open for answers. Thank you for your interest."
SUBMITTED = "Your answers were already submitted and can no longer be changed."
NOT_A_LEVEL = "“{}” is not a level: choose 0 to 4."
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, token: str = TOKEN, **kwargs) -> str:
    return reverse(f"respond:{name}", kwargs={"token": token, **kwargs})


def pillar_url(code: str, token: str = TOKEN) -> str:
    return url("pillar", token, code=code)


def answer_url(code: str, token: str = TOKEN) -> str:
    return url("answer", token, code=code)


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
def response(open_assessment):
    """Dana has opened her link, chosen a perspective and rated importance."""
    return ResponseFactory(
        assessment=open_assessment,
        email="dana@example.org",
        token=TOKEN,
        perspective="data_it",
        importance={"data": 5, "ethics": 3},
        started_at=timezone.now(),
    )


@pytest.fixture
def fresh_response(open_assessment):
    """Erik has not opened his link yet."""
    return ResponseFactory(assessment=open_assessment, email="erik@example.org", token=OTHER_TOKEN)


@pytest.fixture
def answered(response):
    """Dana has already answered the first question with level 2."""
    give(response, "data.inventory", 2, comment="Listed in a spreadsheet.")
    return response


# Where the link lands


def test_start_of_a_new_link_asks_for_the_perspective(client, fresh_response):
    page = client.get(url("start", OTHER_TOKEN))

    assertRedirects(page, url("perspective", OTHER_TOKEN), fetch_redirect_response=False)


def test_start_without_importance_asks_for_it(client, fresh_response):
    services.start_response(response=fresh_response, perspective="business")

    page = client.get(url("start", OTHER_TOKEN))

    assertRedirects(page, url("importance", OTHER_TOKEN), fetch_redirect_response=False)


def test_start_goes_to_the_first_question(client, response):
    page = client.get(url("start"))

    assert page.status_code == 302
    assert page["Location"] == pillar_url("data") + "#q-data.inventory"


def test_start_comes_back_to_the_first_unanswered_question(client, answered):
    give(answered, "data.quality", None, dont_know=True)

    page = client.get(url("start"))

    assert page["Location"].endswith("/pillar/data/#q-data.rights")


def test_start_treats_a_comment_alone_as_unanswered(client, response):
    give(response, "data.inventory", None, comment="Not sure what counts as a source.")

    page = client.get(url("start"))

    assert page["Location"].endswith("/pillar/data/#q-data.inventory")


def test_start_moves_on_to_the_next_pillar_once_one_is_answered(client, response):
    for code in ["data.inventory", "data.quality", "data.rights"]:
        give(response, code)

    page = client.get(url("start"))

    assert page["Location"] == pillar_url("ethics") + "#q-ethics.policy"


def test_start_with_every_question_answered_goes_to_review(client, response):
    for code in ALL_CODES:
        give(response, code)

    page = client.get(url("start"))

    assertRedirects(page, url("review"), fetch_redirect_response=False)


# Perspective and importance


def test_perspective_page_says_who_sees_what(client, fresh_response, consultant):
    fresh_response.assessment.created_by = consultant
    fresh_response.assessment.save()

    page = client.get(url("perspective", OTHER_TOKEN))

    assertContains(
        page,
        f"{consultant.name}, the consultant running the assessment, sees who has answered and "
        "the live figures. Your organisation's management sees published group results "
        "only: never your answers, and never a figure that fewer than 5 people answered. A "
        "comment reaches them only if the consultant chooses to share it, without your name.",
    )


def test_perspective_post_stores_it_and_goes_to_importance(client, fresh_response):
    page = client.post(url("perspective", OTHER_TOKEN), {"perspective": "legal_risk"})

    assertRedirects(page, url("importance", OTHER_TOKEN), fetch_redirect_response=False)
    fresh_response.refresh_from_db()
    assert (fresh_response.perspective, fresh_response.status) == ("legal_risk", "started")


def test_perspective_post_without_a_choice_asks_again(client, fresh_response):
    page = client.post(url("perspective", OTHER_TOKEN), {})

    assert page.status_code == 400
    assert page.context["form"].errors["perspective"] == [
        "Choose the perspective closest to your role."
    ]
    assert Response.objects.get(pk=fresh_response.pk).perspective == ""


def test_perspective_post_with_an_unknown_choice_is_refused(client, fresh_response):
    page = client.post(url("perspective", OTHER_TOKEN), {"perspective": "ceo"})

    assert page.status_code == 400
    assert page.context["form"].errors["perspective"] == [
        "Select a valid choice. ceo is not one of the available choices."
    ]
    assert Response.objects.get(pk=fresh_response.pk).perspective == ""


def test_importance_page_lists_each_pillar(client, response):
    page = client.get(url("importance"))

    assert list(page.context["form"].fields) == ["data", "ethics"]
    assertContains(page, "Ethics and governance")


def test_importance_page_styles_its_radios_like_the_other_pages(client, response):
    page = client.get(url("importance"))

    assertContains(page, 'class="form-check-input"', count=10)


def test_importance_post_stores_the_ratings_and_goes_on(client, response):
    page = client.post(url("importance"), {"data": "2", "ethics": "4"})

    assertRedirects(page, url("start"), fetch_redirect_response=False)
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
        "data.inventory": (3, False, ""),
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


# Links that no longer work


def test_unknown_token_shows_a_not_found_page(client, answered):
    page = client.get(url("start", "dana-personal-linx"))

    assertContains(page, INVALID_LINK, status_code=404)


def test_unknown_token_cannot_save_an_answer(client, answered):
    page = client.post(
        answer_url("data.inventory", "dana-personal-linx"), {"q-data.inventory": "4"}, **HTMX
    )

    assertContains(page, INVALID_LINK, status_code=404)
    assert stored(answered) == {"data.inventory": (2, False, "Listed in a spreadsheet.")}


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

    page = client.get(url("start"))

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


def test_resent_link_page_says_a_newer_link_was_sent(client, answered, consultant):
    answered.assessment.created_by = consultant
    answered.assessment.save()
    services.resend_link(response=answered, sent_by=None)

    page = client.get(url("start"))

    assertContains(
        page,
        "A newer link was sent to you, and this one no longer works. Open the link in the "
        "latest e-mail: your answers are kept.",
        status_code=410,
    )
    assertContains(page, 'href="mailto:alice@example.org"', status_code=410)
    assertNotContains(page, INVALID_LINK, status_code=410)


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

    assertRedirects(page, url("start"), fetch_redirect_response=False)
    assert Response.objects.get(pk=answered.pk).submitted_at is not None


def test_submitted_response_start_shows_the_answers_read_only(client, answered):
    give(answered, "ethics.gdpr", None, dont_know=True)
    services.submit_response(response=answered)

    page = client.get(url("start"))

    assert page.status_code == 200
    assertContains(page, "Thank you: your answers were submitted.")
    assertContains(page, "<dd>2 · Level 2 behaviour.", count=1)
    assertContains(page, "“Listed in a spreadsheet.”")
    assertContains(page, "Don't know", count=1)
    assertContains(page, "Not answered", count=3)
    assertNotContains(page, 'type="radio"')


def test_submitted_response_stays_readable_after_the_assessment_closes(client, answered):
    services.submit_response(response=answered)
    close(answered)

    page = client.get(url("start"))

    assertContains(page, "Thank you: your answers were submitted.")


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
    token = OTHER_TOKEN
    page = client.get(url("start", token), follow=True)
    assert page.request["PATH_INFO"] == url("perspective", token)

    page = client.post(url("perspective", token), {"perspective": "business"}, follow=True)
    assert page.request["PATH_INFO"] == url("importance", token)

    page = client.post(url("importance", token), {"data": "4", "ethics": "5"})
    assert page["Location"] == url("start", token)
    page = client.get(page["Location"])
    assert page["Location"] == pillar_url("data", token) + "#q-data.inventory"

    client.post(answer_url("data.inventory", token), {"q-data.inventory": "1"}, **HTMX)
    page = client.post(
        pillar_url("data", token),
        {"q-data.inventory": "1", "q-data.quality": "2", "q-data.rights": "dk"},
    )
    assert page["Location"] == pillar_url("ethics", token)

    page = client.post(
        pillar_url("ethics", token), {"q-ethics.policy": "3", "q-ethics.gdpr": "4"}, follow=True
    )
    assert page.request["PATH_INFO"] == url("review", token)
    assert page.context["unanswered"] == []
    assertContains(page, "5 of 5 questions answered")

    page = client.post(url("submit", token), follow=True)
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

    # The link, its questionnaire, the pillars, their questions, the answers, the progress.
    with django_assert_max_num_queries(6):
        page = client.get(pillar_url("data"))

    assert page.status_code == 200


# Questions routed by perspective


@pytest.fixture
def business(open_assessment):
    """Dana's colleague in the business sees no question meant for data and IT only."""
    open_assessment.questionnaire.questions.filter(code="data.rights").update(
        perspectives=["data_it"]
    )
    return ResponseFactory(
        assessment=open_assessment,
        token="bea-link",
        perspective="business",
        importance={"data": 3, "ethics": 3},
    )


def test_pillar_page_leaves_out_questions_meant_for_other_perspectives(client, business):
    page = client.get(pillar_url("data", token="bea-link"))

    assert [q.code for q in page.context["pillar"].question_list] == [
        "data.inventory",
        "data.quality",
    ]
    assertNotContains(page, "How is data.rights handled?")


def test_progress_counts_only_the_questions_asked(client, business):
    give(business, "data.inventory", 3)

    page = client.get(pillar_url("data", token="bea-link"))

    assert (page.context["progress"].answered, page.context["progress"].total) == (1, 4)


def test_respondent_who_chose_every_question_sees_them_all(client, business):
    Response.objects.filter(pk=business.pk).update(sees_all_questions=True)

    page = client.get(pillar_url("data", token="bea-link"))

    assert [q.code for q in page.context["pillar"].question_list] == [
        "data.inventory",
        "data.quality",
        "data.rights",
    ]


def test_perspective_post_can_ask_for_every_question(client, fresh_response):
    client.post(
        url("perspective", OTHER_TOKEN), {"perspective": "business", "sees_all_questions": "on"}
    )

    fresh_response.refresh_from_db()
    assert (fresh_response.perspective, fresh_response.sees_all_questions) == ("business", True)


def test_answer_to_a_question_not_asked_is_not_found(client, business):
    page = client.post(answer_url("data.rights", token="bea-link"), {"q-data.rights": "2"})

    assert page.status_code == 404
    assert stored(business) == {}

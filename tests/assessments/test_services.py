import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import hash_token
from assessments import services
from assessments.addresses import Invitee
from assessments.models import Answer, Assessment, Progress, Response, questions_by_code
from tests.factories import AnswerFactory, AssessmentFactory, QuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db

RESPONDENT_LINK = re.compile(r"http://testserver/r/([\w-]+)/")
TOKEN = "dana-personal-link"
IMPORTANCE = {"data": 5, "ethics": 3}


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def response(open_assessment):
    return ResponseFactory(assessment=open_assessment, email="dana@example.org", token=TOKEN)


def question(assessment, code):
    return assessment.questionnaire.questions.get(code=code)


def token_from_mail(message) -> str:
    match = RESPONDENT_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def stored_answers(response) -> list[tuple]:
    return list(
        Answer.objects.filter(response=response)
        .order_by("question__order")
        .values_list("question__code", "level", "dont_know", "comment")
    )


def invite(assessment, *emails: str) -> list[Response]:
    return services.invite_respondents(
        assessment=assessment, invitees=[Invitee(email) for email in emails], sent_by=None
    )


def save(response, code="data.inventory", level=2, **fields) -> Progress:
    return saved(response, code, level=level, **fields).progress


def saved(response, code="data.inventory", **fields) -> services.SavedAnswer:
    return services.save_answer(
        response=response, question=question(response.assessment, code), **fields
    )


# create, open, close


def test_create_assessment_starts_as_a_draft_with_threshold_five(
    organisation, small_questionnaire, consultant
):
    assessment = services.create_assessment(
        organisation=organisation,
        questionnaire=small_questionnaire,
        title="Spring check",
        created_by=consultant,
    )

    assert (assessment.status, assessment.anonymity_threshold, assessment.created_by) == (
        Assessment.Status.DRAFT,
        5,
        consultant,
    )


def test_open_assessment_makes_links_work():
    assessment = AssessmentFactory(status=Assessment.Status.DRAFT, opened_at=None)

    services.open_assessment(assessment=assessment)

    assessment.refresh_from_db()
    assert (assessment.status, assessment.is_accepting_answers) == (Assessment.Status.OPEN, True)


def test_open_assessment_again_keeps_the_first_opening_time():
    first_opened = timezone.now() - timedelta(days=3)
    assessment = AssessmentFactory(status=Assessment.Status.CLOSED, opened_at=first_opened)

    services.open_assessment(assessment=assessment)

    assessment.refresh_from_db()
    assert (assessment.opened_at, assessment.closed_at) == (first_opened, None)


def test_close_assessment_stops_answers():
    assessment = AssessmentFactory()

    services.close_assessment(assessment=assessment)

    assessment.refresh_from_db()
    assert (assessment.status, assessment.is_accepting_answers) == (Assessment.Status.CLOSED, False)
    assert assessment.closed_at is not None


# invite_respondents


def test_invite_respondents_sends_one_email_per_address(open_assessment):
    invite(open_assessment, "dana@example.org", "erik@example.org")

    assert [message.to for message in mail.outbox] == [["dana@example.org"], ["erik@example.org"]]


def test_invite_respondents_creates_one_response_per_address(open_assessment):
    invited = invite(open_assessment, "dana@example.org", "erik@example.org")

    assert [response.email for response in invited] == ["dana@example.org", "erik@example.org"]
    assert open_assessment.responses.count() == 2


def test_invite_respondents_mail_names_the_organisation(open_assessment):
    invite(open_assessment, "dana@example.org")

    assert mail.outbox[0].subject == (
        "Your personal link: GenAI readiness assessment for Acme Insurance"
    )


def test_invite_respondents_mail_gives_the_closing_date(open_assessment):
    open_assessment.closes_on = date(2031, 3, 14)
    open_assessment.save()

    invite(open_assessment, "dana@example.org")

    assert "The assessment closes on 14 March 2031." in mail.outbox[0].body


def test_invite_respondents_skips_duplicates_in_the_list(open_assessment):
    invited = invite(open_assessment, "dana@example.org", " Dana@Example.ORG ", "")

    assert [response.email for response in invited] == ["dana@example.org"]
    assert len(mail.outbox) == 1


def test_invite_respondents_skips_addresses_that_already_have_a_link(open_assessment, response):
    invited = invite(open_assessment, "DANA@example.org", "erik@example.org")

    assert [r.email for r in invited] == ["erik@example.org"]
    assert [message.to for message in mail.outbox] == [["erik@example.org"]]


def test_invite_respondents_sends_a_new_link_to_an_address_whose_link_was_revoked(
    open_assessment, response
):
    services.revoke_link(response=response)

    invited = invite(open_assessment, "dana@example.org")

    assert len(invited) == 1
    assert invited[0].pk != response.pk


def test_invite_respondents_stores_only_the_hash_of_the_token(open_assessment):
    [invited] = invite(open_assessment, "dana@example.org")

    token = token_from_mail(mail.outbox[0])
    row = Response.objects.filter(pk=invited.pk).values().get()
    assert row["token_hash"] == hash_token(token)
    assert token not in [str(value) for value in row.values()]


def test_invite_respondents_link_opens_the_response(client, open_assessment):
    invite(open_assessment, "dana@example.org")
    token = token_from_mail(mail.outbox[0])

    page = client.get(reverse("respond:start", kwargs={"token": token}), follow=True)

    assert page.redirect_chain == [(reverse("respond:perspective"), 302)]
    assert page.context["response"].email == "dana@example.org"


# resend_link and revoke_link


def test_resend_link_makes_the_old_link_stop_working(response):
    services.resend_link(response=response, sent_by=None)

    with pytest.raises(Response.DoesNotExist):
        services.find_response(TOKEN)


def test_resend_link_mails_a_new_link_to_the_same_response(response):
    services.resend_link(response=response, sent_by=None)

    assert [message.to for message in mail.outbox] == [["dana@example.org"]]
    assert services.find_response(token_from_mail(mail.outbox[0])) == response


def test_resend_link_keeps_the_answers(response):
    save(response, "data.inventory", level=3, comment="Owners are named.")

    services.resend_link(response=response, sent_by=None)

    new = services.find_response(token_from_mail(mail.outbox[0]))
    assert stored_answers(new) == [("data.inventory", 3, False, "Owners are named.")]


def test_resend_link_restores_a_revoked_link(response):
    services.revoke_link(response=response)

    services.resend_link(response=response, sent_by=None)

    new = services.find_response(token_from_mail(mail.outbox[0]))
    assert new.revoked_at is None


def test_revoke_link_makes_the_response_refuse_answers(response):
    services.revoke_link(response=response)

    with pytest.raises(services.ResponseClosed) as closed:
        services.ensure_editable(services.find_response(TOKEN))
    assert closed.value.reason == "revoked"


# Refusals the consultant's pages rely on: each leaves everything as it was.


def test_revoke_link_of_a_submitted_response_is_refused_and_changes_nothing(response):
    save(response, "data.inventory", level=3)
    services.submit_response(response=response)
    submitted_at = Response.objects.get(pk=response.pk).submitted_at

    with pytest.raises(services.ResponseClosed) as closed:
        services.revoke_link(response=response)

    assert closed.value.reason == "submitted"
    stored = Response.objects.get(pk=response.pk)
    assert (stored.revoked_at, stored.submitted_at) == (None, submitted_at)
    assert stored_answers(stored) == [("data.inventory", 3, False, "")]
    assert services.find_response(TOKEN) == response


@pytest.mark.parametrize("status", [Assessment.Status.DRAFT, Assessment.Status.CLOSED])
def test_resend_link_while_links_cannot_work_is_refused_and_keeps_the_old_link(response, status):
    Assessment.objects.filter(pk=response.assessment_id).update(status=status)
    response.assessment.refresh_from_db()

    with pytest.raises(services.InvitationsClosed):
        services.resend_link(response=response, sent_by=None)

    assert services.find_response(TOKEN) == response
    assert mail.outbox == []


def test_resend_link_past_the_closing_date_is_refused(response):
    Assessment.objects.filter(pk=response.assessment_id).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    response.assessment.refresh_from_db()

    with pytest.raises(services.InvitationsClosed):
        services.resend_link(response=response, sent_by=None)

    assert services.find_response(TOKEN) == response


@pytest.mark.parametrize("status", [Assessment.Status.DRAFT, Assessment.Status.CLOSED])
def test_invite_respondents_while_links_cannot_work_is_refused_and_creates_none(
    open_assessment, status
):
    Assessment.objects.filter(pk=open_assessment.pk).update(status=status)
    open_assessment.refresh_from_db()

    with pytest.raises(services.InvitationsClosed):
        invite(open_assessment, "dana@example.org")

    assert (open_assessment.responses.count(), mail.outbox) == (0, [])


def test_share_comment_of_an_answer_without_a_comment_is_refused(response):
    save(response, "data.inventory", level=3)
    services.submit_response(response=response)
    answer = response.answers.get()

    with pytest.raises(services.InvalidAnswer):
        services.share_comment(answer=answer, shared=True)

    assert Answer.objects.get(pk=answer.pk).comment_shared_at is None


def test_find_response_with_an_unknown_token_raises_does_not_exist(response):
    with pytest.raises(Response.DoesNotExist):
        services.find_response("not-a-real-token")


# start_response and save_importance


def test_start_response_stores_the_perspective_and_start_time(response):
    services.start_response(response=response, perspective="legal_risk")

    response.refresh_from_db()
    assert response.perspective == "legal_risk"
    assert response.started_at is not None


def test_start_response_again_keeps_the_first_start_time(response):
    first_start = timezone.now() - timedelta(hours=2)
    response.started_at = first_start
    response.save()

    services.start_response(response=response, perspective="business")

    response.refresh_from_db()
    assert (response.perspective, response.started_at) == ("business", first_start)


def test_save_importance_stores_one_rating_per_pillar(response):
    services.save_importance(response=response, ratings=IMPORTANCE)

    response.refresh_from_db()
    assert response.importance == {"data": 5, "ethics": 3}


@pytest.mark.parametrize(
    "ratings",
    [
        {"data": 5},
        {"data": 5, "ethics": 0},
        {"data": 6, "ethics": 3},
        {"data": 5, "ethics": 3, "skills": 2},
    ],
    ids=["missing pillar", "zero", "six", "unknown pillar"],
)
def test_save_importance_with_invalid_ratings_raises_and_keeps_the_previous_ones(response, ratings):
    services.save_importance(response=response, ratings=IMPORTANCE)

    with pytest.raises(services.InvalidAnswer) as invalid:
        services.save_importance(response=response, ratings=ratings)

    assert str(invalid.value) == "Rate every pillar from 1 to 5."
    response.refresh_from_db()
    assert response.importance == {"data": 5, "ethics": 3}


def test_save_importance_on_a_closed_assessment_raises_response_closed(response):
    services.close_assessment(assessment=response.assessment)

    with pytest.raises(services.ResponseClosed):
        services.save_importance(response=response, ratings=IMPORTANCE)


# save_answer


def test_save_answer_stores_the_level_and_comment(response):
    save(response, "data.quality", level=1, comment="  Checked once, in the pilot.  ")

    assert stored_answers(response) == [("data.quality", 1, False, "Checked once, in the pilot.")]


def test_save_answer_twice_leaves_one_row_with_the_last_value(response):
    save(response, "data.quality", level=1, comment="first")

    save(response, "data.quality", level=4, comment="second")

    assert stored_answers(response) == [("data.quality", 4, False, "second")]


def test_save_answer_with_nothing_given_removes_the_saved_answer(response):
    save(response, "data.quality", level=None, comment="unsure, ask IT")

    save(response, "data.quality", level=None, comment="   ")

    assert stored_answers(response) == []


def test_save_answer_dont_know_clears_the_level(response):
    save(response, "data.quality", level=3)

    save(response, "data.quality", level=None, dont_know=True)

    assert stored_answers(response) == [("data.quality", None, True, "")]


def test_save_answer_marks_the_response_started(response):
    save(response)

    response.refresh_from_db()
    assert response.started_at is not None


def test_save_answer_returns_the_progress_with_this_answer(response):
    gdpr = question(response.assessment, "ethics.gdpr")
    gdpr.perspectives = ["legal_risk"]
    gdpr.save()
    questions_by_code.cache_clear()
    services.start_response(response=response, perspective="legal_risk")
    assert save(response, "ethics.gdpr", level=1) == Progress(answered=1, total=5)
    # No longer asked once the perspective changes: its answer stays, and does not count.
    services.start_response(response=response, perspective="business")

    steps = [
        (save(response, "data.inventory", level=2), 1),
        (save(response, "data.inventory", level=3), 1),
        (save(response, "data.quality", level=None, dont_know=True), 2),
        (save(response, "data.rights", level=None, comment="Ask legal."), 2),
        (save(response, "data.inventory", level=None), 1),
    ]

    assert [progress for progress, _answered in steps] == [
        Progress(answered=answered, total=4) for _progress, answered in steps
    ]
    assert response.progress() == Progress(answered=1, total=4)


@pytest.mark.parametrize("level", [5, -1])
def test_save_answer_with_a_level_out_of_range_raises_invalid_answer(response, level):
    with pytest.raises(services.InvalidAnswer) as invalid:
        save(response, level=level)

    assert str(invalid.value) == "Choose a level from 0 to 4."
    assert stored_answers(response) == []


def test_save_answer_to_a_question_of_another_questionnaire_raises_invalid_answer(response):
    foreign = QuestionFactory(code="data.inventory")

    with pytest.raises(services.InvalidAnswer) as invalid:
        services.save_answer(response=response, question=foreign, level=2)

    assert str(invalid.value) == "This question is not part of this assessment."
    assert Answer.objects.exists() is False


def test_save_answer_with_a_level_and_dont_know_raises_invalid_answer(response):
    save(response, level=2)

    with pytest.raises(services.InvalidAnswer) as invalid:
        save(response, level=3, dont_know=True)

    assert str(invalid.value) == "Choose a level or “Don't know”, not both."
    assert stored_answers(response) == [("data.inventory", 2, False, "")]


# save_answer: nothing cleared by omission


def test_save_answer_without_a_level_keeps_the_saved_level(response):
    save(response, "data.quality", level=3, comment="Checked weekly.")

    saved(response, "data.quality", comment="Checked weekly, by the data team.")

    assert stored_answers(response) == [
        ("data.quality", 3, False, "Checked weekly, by the data team.")
    ]


def test_save_answer_without_a_comment_keeps_the_saved_comment(response):
    save(response, "data.quality", level=3, comment="Checked weekly.")

    save(response, "data.quality", level=1)

    assert stored_answers(response) == [("data.quality", 1, False, "Checked weekly.")]


def test_save_answer_without_a_level_keeps_dont_know(response):
    save(response, "data.quality", level=None, dont_know=True)

    saved(response, "data.quality", comment="Ask IT.")

    assert stored_answers(response) == [("data.quality", None, True, "Ask IT.")]


def test_save_answer_with_no_level_clears_the_level_and_keeps_the_comment(response):
    save(response, "data.quality", level=3, comment="Checked weekly.")

    save(response, "data.quality", level=None)

    assert stored_answers(response) == [("data.quality", None, False, "Checked weekly.")]


def test_save_answer_clearing_level_and_comment_removes_the_answer(response):
    save(response, "data.quality", level=3, comment="Checked weekly.")

    assert saved(response, "data.quality", level=None, comment="").version == 0
    assert stored_answers(response) == []


# save_answer: versions


def version_of(response, code="data.inventory") -> int:
    return Answer.objects.get(response=response, question__code=code).version


def test_save_answer_starts_an_answer_at_version_one(response):
    assert saved(response, level=2).version == 1
    assert version_of(response) == 1


def test_save_answer_raises_the_version_on_every_write(response):
    saved(response, level=2)
    saved(response, level=3)

    assert saved(response, comment="Now in a catalogue.").version == 3
    assert version_of(response) == 3


def test_save_answer_that_changes_nothing_writes_nothing(response, django_assert_num_queries):
    saved(response, level=2, comment="In a wiki.")
    inventory = question(response.assessment, "data.inventory")

    with django_assert_num_queries(1):  # the locked read, and no write
        result = services.save_answer(
            response=response, question=inventory, level=2, comment="In a wiki.", version=1
        )

    assert result.version == 1
    assert version_of(response) == 1


def test_save_answer_from_the_current_version_is_saved(response):
    saved(response, level=2)

    assert saved(response, level=4, version=1).version == 2
    assert stored_answers(response) == [("data.inventory", 4, False, "")]


def test_save_answer_from_a_page_older_than_the_saved_answer_is_refused(response):
    # The laptop showed the question unanswered (version 0); the phone then saved twice.
    saved(response, level=3)
    saved(response, comment="Owners named in the catalogue.")

    with pytest.raises(services.StaleAnswer) as stale:
        saved(response, level=1, comment="", version=0)

    assert stored_answers(response) == [
        ("data.inventory", 3, False, "Owners named in the catalogue.")
    ]
    assert version_of(response) == 2
    refused = stale.value
    assert (refused.saved.level, refused.saved.comment, refused.saved.version) == (
        3,
        "Owners named in the catalogue.",
        2,
    )
    assert (refused.mine.level, refused.mine.comment, refused.mine.version) == (1, "", 2)


def test_save_answer_stale_comment_only_never_clears_the_level(response):
    saved(response, level=3, comment="From the phone.")

    with pytest.raises(services.StaleAnswer) as stale:
        saved(response, comment="From the laptop.", version=0)

    assert stored_answers(response) == [("data.inventory", 3, False, "From the phone.")]
    assert (stale.value.mine.level, stale.value.mine.comment) == (3, "From the laptop.")


def test_save_answer_from_an_older_page_that_changes_nothing_is_not_refused(response):
    saved(response, level=3)
    saved(response, comment="Named owners.")

    result = saved(response, level=3, comment="Named owners.", version=1)

    assert result.version == 2


def test_save_answer_replacing_a_newer_answer_sends_its_version(response):
    saved(response, level=3, comment="From the phone.")
    with pytest.raises(services.StaleAnswer) as stale:
        saved(response, level=1, version=0)

    saved(response, level=1, version=stale.value.saved.version)

    assert stored_answers(response) == [("data.inventory", 1, False, "From the phone.")]
    assert version_of(response) == 2


def test_save_answer_from_a_page_shown_before_the_answer_was_cleared_is_refused(response):
    saved(response, level=3)
    saved(response, level=None)  # cleared: the answer is gone

    with pytest.raises(services.StaleAnswer) as stale:
        saved(response, level=2, version=1)

    assert stored_answers(response) == []
    assert stale.value.saved.version == 0


def test_save_answer_stale_on_one_question_leaves_the_others_to_save(response):
    saved(response, "data.quality", level=4)

    with pytest.raises(services.StaleAnswer):
        saved(response, "data.quality", level=0, version=0)
    saved(response, "data.inventory", level=2, version=0)

    assert stored_answers(response) == [
        ("data.inventory", 2, False, ""),
        ("data.quality", 4, False, ""),
    ]


# lock_response: the link's lookup as the save's locked read


def test_lock_response_reads_the_response_with_its_assessment(response):
    with transaction.atomic():
        locked = services.lock_response(pk=response.pk, token_hash=response.token_hash)

    assert locked == response
    assert (locked.perspective, locked.assessment, locked.importance) == (
        response.perspective,
        response.assessment,
        response.importance,
    )


def test_lock_response_with_another_token_finds_nothing(response):
    with transaction.atomic():
        assert services.lock_response(pk=response.pk, token_hash="0" * 64) is None


@pytest.mark.django_db(transaction=True)
def test_lock_response_outside_a_transaction_is_refused(response):
    with pytest.raises(transaction.TransactionManagementError):
        services.lock_response(pk=response.pk, token_hash=response.token_hash)


def test_the_compiled_locked_read_gives_what_its_queryset_gives(response):
    """Compiled once, run with other parameters: the same rows, values converted alike."""
    save(response, "data.quality", level=4, comment="Checked monthly")
    other = ResponseFactory(assessment=response.assessment, importance={"data": 5})

    with transaction.atomic():
        for each in (response, other):
            compiled = services._locked_rows(services._link_locked_read, each.pk, each.token_hash)
            direct = list(services._link_locked_read(each.pk, each.token_hash))
            assert compiled == direct


def test_save_answer_after_lock_response_only_writes(response, django_assert_num_queries):
    save(response, "data.quality", level=4)
    inventory = question(response.assessment, "data.inventory")

    with transaction.atomic():
        locked = services.lock_response(pk=response.pk, token_hash=response.token_hash)
        with django_assert_num_queries(1):  # the INSERT … ON CONFLICT
            result = services.save_answer(response=locked, question=inventory, level=2)

    assert result.progress.answered == 2
    assert stored_answers(response) == [
        ("data.inventory", 2, False, ""),
        ("data.quality", 4, False, ""),
    ]


def test_save_answer_after_the_locking_transaction_reads_again(response):
    with transaction.atomic():
        locked = services.lock_response(pk=response.pk, token_hash=response.token_hash)
    save(response, "data.inventory", level=3)  # elsewhere, after that transaction

    with pytest.raises(services.StaleAnswer):
        saved_as(locked, "data.inventory", level=1, version=0)

    assert stored_answers(response) == [("data.inventory", 3, False, "")]


def saved_as(response, code, **fields) -> services.SavedAnswer:
    return services.save_answer(
        response=response, question=question(response.assessment, code), **fields
    )


def close_by_assessment(response):
    services.close_assessment(assessment=response.assessment)


def close_by_date(response):
    Assessment.objects.filter(pk=response.assessment_id).update(
        closes_on=timezone.localdate() - timedelta(days=1)
    )
    response.assessment.refresh_from_db()


def close_by_submitting(response):
    services.submit_response(response=response)
    response.refresh_from_db()


def close_by_revoking(response):
    services.revoke_link(response=response)


@pytest.mark.parametrize(
    ("close", "reason"),
    [
        (close_by_assessment, "closed"),
        (close_by_date, "closed"),
        (close_by_submitting, "submitted"),
        (close_by_revoking, "revoked"),
    ],
    ids=["assessment closed", "past closing date", "submitted", "revoked"],
)
def test_save_answer_on_a_closed_response_raises_and_keeps_the_saved_answer(
    response, close, reason
):
    save(response, "data.inventory", level=2, comment="kept")
    close(response)

    with pytest.raises(services.ResponseClosed) as closed:
        save(response, "data.inventory", level=4, comment="changed")

    assert closed.value.reason == reason
    assert stored_answers(response) == [("data.inventory", 2, False, "kept")]


# submit_response


def test_submit_response_sets_the_submission_time(response):
    save(response)
    before = timezone.now()

    services.submit_response(response=response)

    response.refresh_from_db()
    assert before <= response.submitted_at <= timezone.now()


def test_submit_response_twice_raises_response_closed(response):
    services.submit_response(response=response)
    first = Response.objects.get(pk=response.pk).submitted_at

    with pytest.raises(services.ResponseClosed) as closed:
        services.submit_response(response=response)

    assert closed.value.reason == "submitted"
    assert Response.objects.get(pk=response.pk).submitted_at == first


def test_submit_response_after_the_assessment_closed_raises_response_closed(response):
    services.close_assessment(assessment=response.assessment)

    with pytest.raises(services.ResponseClosed) as closed:
        services.submit_response(response=response)

    assert closed.value.reason == "closed"
    assert Response.objects.get(pk=response.pk).submitted_at is None


def test_submit_response_locks_the_anonymity_threshold(response):
    services.submit_response(response=response)

    assert response.assessment.threshold_locked is True


def test_submit_response_leaves_other_responses_open(open_assessment, response):
    other = ResponseFactory(assessment=open_assessment)
    AnswerFactory(response=other, question=question(open_assessment, "data.inventory"))

    services.submit_response(response=response)

    assert Response.objects.get(pk=other.pk).submitted_at is None


def test_save_after_a_submission_elsewhere_is_refused(response):
    """A page that still holds the response as unsubmitted cannot change it any more."""
    save(response, "data.inventory", level=1)
    services.submit_response(response=Response.objects.get(pk=response.pk))

    with pytest.raises(services.ResponseClosed) as closed:
        save(response, "data.inventory", level=4)

    assert closed.value.reason == "submitted"
    assert stored_answers(response) == [("data.inventory", 1, False, "")]

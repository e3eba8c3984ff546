"""Assessments with submitted answers, for the dashboard, the documents and the comments."""

import shutil
import subprocess

import pytest
from django.utils import timezone

from accounts.models import hash_token
from assessments import services
from assessments.demo import seed_demo
from assessments.models import Answer, Assessment, Perspective, Response
from assessments.results import publication
from tests.factories import ResponseFactory

CODES = ("data.inventory", "data.quality", "data.rights", "ethics.policy", "ethics.gdpr")


def respond(
    assessment,
    levels: dict[str, int | None] | int | None = 3,
    *,
    perspective: str = Perspective.BUSINESS,
    comments: dict[str, str] | None = None,
) -> Response:
    """One submitted response. `levels`: one level for every question, or code -> level
    (None: don't know; a missing code: left unanswered)."""
    questions = {q.code: q for q in assessment.questionnaire.questions.all()}
    if not isinstance(levels, dict):
        levels = dict.fromkeys(questions, levels)
    response = ResponseFactory(assessment=assessment, perspective=perspective)
    comments = comments or {}
    for code, level in levels.items():
        services.save_answer(
            response=response,
            question=questions[code],
            level=level,
            dont_know=level is None,
            comment=comments.get(code, ""),
        )
    services.submit_response(response=response)
    return response


def respond_in_bulk(assessment, count: int, level: int = 3) -> None:
    """`count` submitted responses in a few queries, with their stored figures."""
    questions = list(assessment.questionnaire.questions.all())
    perspectives = [Perspective.BUSINESS, Perspective.DATA_IT, Perspective.LEADERSHIP]
    now = timezone.now()
    responses = Response.objects.bulk_create(
        Response(
            assessment=assessment,
            token_hash=hash_token(f"bulk-{assessment.pk}-{number}"),
            perspective=perspectives[number % len(perspectives)],
            submitted_at=now,
            started_at=now,
        )
        for number in range(count)
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, level=(level + n) % 5)
        for n, response in enumerate(responses)
        for question in questions
    )
    services.recompute_scores(assessment=assessment)


@pytest.fixture
def threshold_three(open_assessment):
    """The demo's anonymity threshold: three respondents make a figure."""
    Assessment.objects.filter(pk=open_assessment.pk).update(anonymity_threshold=3)
    open_assessment.refresh_from_db()
    return open_assessment


@pytest.fixture
def demo():
    """Acme's open assessment of the demo: 12 responses, an interim publication, and a
    baseline on version 1 of the questionnaire to compare with."""
    seed_demo()
    return (
        Assessment.objects.with_progress()
        .select_related("organisation", "questionnaire")
        .get(title="GenAI readiness before go-live")
    )


@pytest.fixture
def thin_answers(threshold_three):
    """Three respondents; only two of them gave a level to data.rights and to ethics."""
    for number in range(3):
        gave = number < 2
        respond(
            threshold_three,
            {
                "data.inventory": 3,
                "data.quality": 2,
                "data.rights": 1 if gave else None,
                "ethics.policy": 2 if gave else None,
                "ethics.gdpr": 3 if gave else None,
            },
        )
    publication.publish_results(assessment=threshold_three, published_by=None)
    return threshold_three


@pytest.fixture
def thin_perspective(threshold_three):
    """Business and Data and IT, three each; one business respondent gave no ethics level,
    so the business ethics cell rests on two people and Data and IT's would reveal it."""
    for number in range(3):
        respond(
            threshold_three,
            {"data.inventory": 3, "ethics.policy": None if number == 0 else 2},
            perspective=Perspective.BUSINESS,
        )
    for _ in range(3):
        respond(threshold_three, {"data.inventory": 1, "ethics.policy": 1}, perspective="data_it")
    publication.publish_results(assessment=threshold_three, published_by=None)
    return threshold_three


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        pytest.skip(f"{tool} is missing: apt-get install poppler-utils")
    return path


def pdf_text(content: bytes, *, layout: bool = True) -> str:
    """The text of a PDF, by poppler's pdftotext, laid out as on the page or (`layout=False`)
    in reading order; the test is skipped without pdftotext."""
    command = [_poppler("pdftotext"), "-layout" if layout else "-raw", "-", "-"]
    # Our own PDF into a fixed command line: nothing untrusted is executed.
    result = subprocess.run(command, input=content, capture_output=True, check=True)  # noqa: S603
    return result.stdout.decode()


def pdf_info(path) -> dict[str, str]:
    """`pdfinfo`'s fields: Tagged, Page size, Pages, Title…"""
    command = [_poppler("pdfinfo"), str(path)]
    output = subprocess.run(command, capture_output=True, check=True).stdout  # noqa: S603
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in output.decode().splitlines())
    }


def embedded_fonts(path) -> set[str]:
    """The fonts `pdffonts` lists as embedded, without their subset prefix ("ABCDEF+")."""
    command = [_poppler("pdffonts"), str(path)]
    lines = subprocess.run(command, capture_output=True, check=True).stdout.decode()  # noqa: S603
    fonts = set()
    for line in lines.splitlines()[2:]:
        name, *_, embedded, _subset, _unicode, _object, _generation = line.split()
        assert embedded == "yes", line
        fonts.add(name.partition("+")[2] or name)
    return fonts

"""Server time of the dashboard and the PDF report, next to a bare Django view, on PostgreSQL.

    .venv/bin/python benchmarks/report.py [--respondents 200 1000] [--repeat 9]

Uses DATABASE_URL (default: PostgreSQL database `readiness_bench` on 127.0.0.1). Builds, per
size, an organisation with a closed earlier assessment (for the trend), five peers (for the
benchmark) and an open assessment of N complete responses with a published snapshot, then
times full requests through Django's middleware with the test client (no network):

- bare: `/health/`, a view that does nothing, as the floor;
- dashboard, consultant, cold: live figures scored from every answer (their store emptied);
- dashboard, consultant, cached: the stored live figures;
- dashboard, manager: the published snapshot;
- publication: publishing the snapshot, with the PDF rendered by the task it enqueues (run at
  once here, as the task worker would; the first of the process pays for WeasyPrint's
  import and fonts);
- the manager's first PDF request after the publication (a read of what the task stored),
  the PDF rendered again (warm) and a repeat download (cached).

Prints one JSON line per size; times in milliseconds, the median of --repeat runs (the
publication and the first request: one run each), with `cpu_reference_ms`, a fixed piece of
pure Python, to compare machines and loads. Aims on a 2-core machine: dashboard ≤ 150 ms at
1,000 respondents, PDF ≤ 1.5 s warm, first and cached download ≤ 50 ms.
"""

import argparse
import json
import random
import statistics
import time

from _django import questionnaire, remove_benchmark_data, setup

SLUG_PREFIX = "benchmark-report"
PEERS = 5


def build(bank, respondents: int):
    """The organisation, its consultant and manager, and the open assessment with a snapshot."""
    from accounts.models import Membership, Organisation, Role, User
    from assessments import services
    from assessments.models import (
        Answer,
        Assessment,
        AssessmentPillarSummary,
        Perspective,
        Response,
    )
    from assessments.results import publication

    organisation = Organisation.objects.create(
        name="Benchmark Insurance", slug=f"{SLUG_PREFIX}-{respondents}"
    )
    consultant = User.objects.create_user(
        f"consultant-{respondents}@{SLUG_PREFIX}.example", is_consultant=True
    )
    manager = User.objects.create_user(f"manager-{respondents}@{SLUG_PREFIX}.example")
    Membership.objects.create(user=consultant, organisation=organisation, role=Role.CONSULTANT)
    Membership.objects.create(user=manager, organisation=organisation, role=Role.MANAGER)

    rng = random.Random(respondents)
    questions = list(bank.questions.select_related("pillar"))
    pillars = list(bank.pillars.values_list("code", flat=True))
    perspectives = [p for p in Perspective if p != Perspective.OTHER]

    def answered(title: str, count: int, *, closed: bool) -> Assessment:
        assessment = services.create_assessment(
            organisation=organisation, questionnaire=bank, title=title, created_by=consultant
        )
        services.open_assessment(assessment=assessment)
        submitted = assessment.created_at
        responses = Response.objects.bulk_create(
            Response(
                assessment=assessment,
                token_hash=f"{SLUG_PREFIX}-{assessment.pk}-{number}",
                perspective=perspectives[number % len(perspectives)],
                importance={code: rng.randint(1, 5) for code in pillars},
                started_at=submitted,
                submitted_at=submitted,
            )
            for number in range(count)
        )
        for start in range(0, len(responses), 200):
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    question=question,
                    level=None if dont_know else rng.choice([0, 1, 2, 2, 3, 3, 4]),
                    dont_know=dont_know,
                    comment="A comment." if rng.random() < 0.01 else "",
                )
                for response in responses[start : start + 200]
                for question in questions
                if response.sees_all_questions or question.asked_of(response.perspective)
                for dont_know in [rng.random() < 0.05]
            )
        services.recompute_scores(assessment=assessment)
        if closed:
            services.close_assessment(assessment=assessment)
        return assessment

    answered("Baseline", max(10, respondents // 10), closed=True)
    current = answered("Before go-live", respondents, closed=False)
    started = time.perf_counter()
    publication.publish_results(assessment=current, published_by=consultant)
    publication_ms = round((time.perf_counter() - started) * 1000, 1)

    # Peers with closed assessments, so that the benchmark is shown.
    peers = Organisation.objects.bulk_create(
        Organisation(name=f"Peer {n}", slug=f"{SLUG_PREFIX}-{respondents}-peer-{n}")
        for n in range(PEERS)
    )
    for peer in peers:
        closed = Assessment.objects.create(
            organisation=peer, questionnaire=bank, title="Run", status=Assessment.Status.CLOSED
        )
        AssessmentPillarSummary.objects.bulk_create(
            AssessmentPillarSummary(
                assessment=closed, pillar=code, maturity=rng.uniform(20, 80), respondents=12
            )
            for code in pillars
        )
    return current, consultant, manager, publication_ms


def timed(function, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return round(statistics.median(runs) * 1000, 1)


def cpu_reference() -> float:
    """A fixed piece of pure Python (summing ten million integers), to tell a slow or busy
    machine from a slow page when comparing two runs."""
    return timed(lambda: sum(range(10_000_000)), 3)


def client_for(user):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    if user is not None:
        client.force_login(user)
    return client


def get(client, url: str, *, content_type: str = "text/html"):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Type"].startswith(content_type), response["Content-Type"]
        return response

    return run


def measure(respondents: int, repeat: int, bank) -> dict:
    from django.urls import reverse

    from assessments.models import LiveFigures
    from reports.models import RenderedReport

    assessment, consultant, manager, publication_ms = build(bank, respondents)
    args = [assessment.organisation.slug, assessment.pk]
    dashboard = reverse("reports:dashboard", args=args)
    pdf = reverse("reports:pdf", args=args)
    as_consultant, as_manager = client_for(consultant), client_for(manager)

    def consultant_cold():
        LiveFigures.objects.filter(assessment=assessment).delete()
        get(as_consultant, dashboard)()

    def pdf_warm():
        RenderedReport.objects.filter(assessment=assessment).delete()
        get(as_manager, pdf, content_type="application/pdf")()

    figures = {"respondents": respondents, "cpu_reference_ms": cpu_reference()}
    figures["publication_ms"] = publication_ms
    figures["pdf_first_request_ms"] = timed(get(as_manager, pdf, content_type="application/pdf"), 1)
    figures["bare_view_ms"] = timed(get(client_for(None), "/health/", content_type="text"), 50)
    figures["dashboard_consultant_cold_ms"] = timed(consultant_cold, repeat)
    get(as_consultant, dashboard)()
    figures["dashboard_consultant_cached_ms"] = timed(get(as_consultant, dashboard), repeat)
    figures["dashboard_manager_ms"] = timed(get(as_manager, dashboard), repeat)
    figures["pdf_warm_ms"] = timed(pdf_warm, max(3, repeat // 2))
    get(as_manager, pdf, content_type="application/pdf")()
    figures["pdf_cached_ms"] = timed(get(as_manager, pdf, content_type="application/pdf"), repeat)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    setup()
    from django.conf import settings
    from django.test import override_settings

    # Tasks run at once, where the task worker would run them after the publication.
    override_settings(
        TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    ).enable()

    # No collectstatic here: serve file names as they are, as in development.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    remove_benchmark_data(SLUG_PREFIX)
    bank = questionnaire()
    try:
        for respondents in args.respondents:
            print(json.dumps(measure(respondents, args.repeat, bank)), flush=True)
    finally:
        remove_benchmark_data(SLUG_PREFIX)


if __name__ == "__main__":
    main()

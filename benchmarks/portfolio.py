"""Server time and query count of the consultant's portfolio, next to a bare Django view.

    .venv/bin/python benchmarks/portfolio.py [--organisations 500 5000] [--assessments 4]
                                             [--respondents 6] [--repeat 15] [--explain]

Uses DATABASE_URL (default: PostgreSQL database `readiness_bench` on 127.0.0.1). Builds, per
size, a consultant serving N organisations with A assessments each (the older ones closed,
the latest open), R submitted responses to each, with answers to the two latest (the ones
the portfolio shows the verdict and the change of), rebuilds the headlines and portfolio
entries as a deploy does (`rebuild_headlines`; bulk-created rows bypass the services), then
times full requests through Django's middleware with the test client (no network):

- bare: `/health/`, a view that does nothing, as the floor;
- portfolio, first view after the rebuild;
- portfolio: the default order (latest activity), page 1;
- portfolio sorted by index, filtered to "not ready", and page 3;
- one submission (which refreshes its organisation's entries and queues the scoring of
  its live headline), the task worker's part of it, and the portfolio after it.

Prints one JSON line per size: times in milliseconds (median of --repeat runs; first view
submission and refresh: one run), queries per request, and `cpu_reference_ms` to compare machines.
With --explain, the page query's EXPLAIN ANALYZE goes to stderr. Aim on a 2-core machine:
≤ 100 ms at 5,000 organisations × 4 assessments, and the same query count at every size.
"""

import argparse
import datetime
import json
import random
import time

from _django import (
    bare_view_ms,
    client_for,
    cpu_reference,
    get,
    queries,
    questionnaire,
    remove_benchmark_data,
    setup,
    static_files_unhashed,
    timed,
)

SLUG_PREFIX = "benchmark-portfolio"


def build(bank, organisations: int, assessments: int, respondents: int):
    """The consultant and their organisations, assessments, responses and answers."""
    from django.utils import timezone

    from accounts.models import Membership, Organisation, Role, User
    from assessments import loading, services
    from assessments.models import Answer, Assessment, Perspective, Response

    consultant = User.objects.create_user(
        f"consultant-{organisations}@{SLUG_PREFIX}.example", is_consultant=True
    )
    rng = random.Random(organisations)
    sectors = ["financial", "public", "health", "retail", "industry", "technology"]
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"Client {number:04d}",
            slug=f"{SLUG_PREFIX}-{organisations}-{number}",
            sector=sectors[number % len(sectors)],
        )
        for number in range(organisations)
    )
    Membership.objects.bulk_create(
        Membership(user=consultant, organisation=org, role=Role.CONSULTANT) for org in orgs
    )
    now = timezone.now()
    runs = Assessment.objects.bulk_create(
        Assessment(
            organisation=org,
            questionnaire=bank,
            title=f"Run {index + 1}",
            status=Assessment.Status.OPEN if index == assessments - 1 else Assessment.Status.CLOSED,
            anonymity_threshold=3,
            opened_at=now,
        )
        for org in orgs
        for index in range(assessments)
    )
    # Spread the runs over the past two years, the latest last.
    for position, run in enumerate(runs):
        index = position % assessments
        run.created_at = now - datetime.timedelta(days=180 * (assessments - index))
    Assessment.objects.bulk_update(runs, ["created_at"], batch_size=2000)
    perspectives = [p for p in Perspective if p != Perspective.OTHER]
    responses = Response.objects.bulk_create(
        (
            Response(
                assessment=run,
                token_hash=f"{SLUG_PREFIX}-{run.pk}-{number}",
                perspective=perspectives[number % len(perspectives)],
                importance={},
                invited_at=run.created_at,
                started_at=run.created_at,
                submitted_at=run.created_at + datetime.timedelta(days=3),
            )
            for run in runs
            for number in range(respondents)
        ),
        batch_size=5000,
    )
    questions = list(bank.questions.all())
    latest_two = {
        run.pk for position, run in enumerate(runs) if position % assessments >= assessments - 2
    }
    answered = [response for response in responses if response.assessment_id in latest_two]
    for start in range(0, len(answered), 500):
        Answer.objects.bulk_create(
            (
                Answer(
                    response=response, question=question, level=rng.choice([0, 1, 2, 2, 3, 3, 4])
                )
                for response in answered[start : start + 500]
                for question in questions
                if question.asked_of(response.perspective)
            ),
            batch_size=5000,
        )
    rules = loading.load_rules(bank)
    for start in range(0, len(answered), 5000):
        services.store_response_scores(rules=rules, responses=answered[start : start + 5000])
    _analyze()
    return consultant, runs[assessments - 1]


def _analyze() -> None:
    """Fresh planner statistics, as autovacuum keeps them in production: without them
    PostgreSQL plans for the empty tables it last saw."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def explain_page(consultant, params: dict) -> None:
    """The query plan of the page's rows, sorted and filtered, to stderr."""
    import sys

    from reports import portfolio

    listed = portfolio.filter_entries(
        portfolio.client_entries(consultant), verdict=params.get("verdict", "")
    )
    page = portfolio.sort_entries(listed, params["sort"])[:25]
    print(page.explain(analyze=True), file=sys.stderr)


def measure(
    bank, organisations: int, assessments: int, respondents: int, repeat: int, explain: bool
) -> dict:
    from django.urls import reverse

    from assessments import services
    from assessments.models import Answer, Response
    from assessments.results import entries, headlines

    consultant, first_latest = build(bank, organisations, assessments, respondents)
    started = time.perf_counter()
    headlines.rebuild()
    entries.refresh_all()
    rebuild_s = round(time.perf_counter() - started, 1)
    _analyze()
    url = reverse("reports:portfolio")
    client = client_for(consultant)
    figures = {
        "organisations": organisations,
        "assessments": organisations * assessments,
        "respondents_each": respondents,
        "cpu_reference_ms": cpu_reference(),
        "rebuild_s": rebuild_s,
    }
    figures["bare_view_ms"] = bare_view_ms()
    figures["portfolio_first_view_ms"] = timed(get(client, url), 1)
    figures["portfolio_ms"] = timed(get(client, url), repeat)
    figures["portfolio_queries"] = queries(get(client, url))
    sorted_filtered = {"sort": "-index", "verdict": "not_ready"}
    figures["portfolio_sorted_filtered_ms"] = timed(get(client, url, sorted_filtered), repeat)
    figures["portfolio_page_3_ms"] = timed(get(client, url, {"page": 3}), repeat)

    if explain:
        explain_page(consultant, sorted_filtered)

    # One more submission: its assessment's headline is scored again, the others are read.
    latest = first_latest
    response = Response.objects.create(
        assessment=latest, token_hash=f"{SLUG_PREFIX}-extra-{latest.pk}", perspective="business"
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, level=2) for question in bank.questions.all()
    )
    started = time.perf_counter()
    services.submit_response(response=response)
    figures["submission_ms"] = round((time.perf_counter() - started) * 1000, 1)
    started = time.perf_counter()
    entries.refresh_after_change.call(assessment_id=latest.pk)  # the task worker's part
    figures["headline_refresh_ms"] = round((time.perf_counter() - started) * 1000, 1)
    figures["portfolio_after_a_submission_ms"] = timed(get(client, url), 1)
    response = Response.objects.create(
        assessment=latest, token_hash=f"{SLUG_PREFIX}-extra2-{latest.pk}", perspective="business"
    )
    services.submit_response(response=response)
    figures["portfolio_after_a_submission_queries"] = queries(get(client, url))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--assessments", type=int, default=4)
    parser.add_argument("--respondents", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--explain", action="store_true", help="the page query's plan")
    args = parser.parse_args()

    setup()
    static_files_unhashed()

    remove_benchmark_data(SLUG_PREFIX)
    bank = questionnaire()
    try:
        for organisations in args.organisations:
            figures = measure(
                bank,
                organisations,
                args.assessments,
                args.respondents,
                args.repeat,
                args.explain,
            )
            print(json.dumps(figures), flush=True)
    finally:
        remove_benchmark_data(SLUG_PREFIX)


if __name__ == "__main__":
    main()

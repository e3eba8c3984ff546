"""Server time and query count of the API's snapshot endpoint, next to a bare Django view.

    .venv/bin/python benchmarks/api.py [--organisations 500] [--respondents 12] [--repeat 200]

Uses DATABASE_URL (default: PostgreSQL database `readiness_bench` on 127.0.0.1). Builds N
organisations, each with a client manager and an assessment of R submitted responses
(random answers, every perspective) published through the publication service, and one
consultant assigned to all of them; each person gets an API token. Then times full
requests through Django's middleware with the test client (no network), the token in the
Authorization header:

- bare: `/health/`, a view that does nothing, as the floor;
- snapshot, manager: the latest publication of one organisation's assessment (the
  organisations taken in turn, so that no request repeats the one before);
- snapshot, consultant: the same, for the consultant of all N;
- organisations, consultant: the first page (50) of the N organisations;
- assessments, manager: the organisation's assessments.

Prints one JSON line: per request kind the median and p95 in milliseconds over --repeat
runs and the queries of one request, with `cpu_reference_ms` to compare machines. Aim on a
2-core machine: the snapshot ≤ 50 ms at the median, in a constant number of queries.
"""

import argparse
import json
import random
import statistics
import time

from _django import (
    client_for,
    cpu_reference,
    queries,
    questionnaire,
    remove_benchmark_data,
    setup,
    static_files_unhashed,
)

SLUG_PREFIX = "benchmark-api"


def build(bank, organisations: int, respondents: int):
    """The consultant, one manager per organisation, and a publication in each."""
    from accounts.models import Membership, Organisation, Role, User
    from assessments import loading, services
    from assessments.models import Answer, Assessment, Perspective, Response
    from assessments.results import publication

    consultant = User.objects.create_user(f"consultant@{SLUG_PREFIX}.example", is_consultant=True)
    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"Client {number:04d}", slug=f"{SLUG_PREFIX}-{number}")
        for number in range(organisations)
    )
    managers = [
        User.objects.create_user(f"manager-{number}@{SLUG_PREFIX}.example")
        for number in range(organisations)
    ]
    Membership.objects.bulk_create(
        [Membership(user=consultant, organisation=org, role=Role.CONSULTANT) for org in orgs]
        + [
            Membership(user=manager, organisation=org, role=Role.MANAGER)
            for manager, org in zip(managers, orgs, strict=True)
        ]
    )
    runs = Assessment.objects.bulk_create(
        Assessment(
            organisation=org,
            questionnaire=bank,
            title="Readiness check",
            status=Assessment.Status.OPEN,
            anonymity_threshold=3,
            created_by=consultant,
        )
        for org in orgs
    )
    rng = random.Random(organisations)
    perspectives = [p for p in Perspective if p != Perspective.OTHER]
    pillars = list(bank.pillars.values_list("code", flat=True))
    responses = Response.objects.bulk_create(
        Response(
            assessment=run,
            token_hash=f"{SLUG_PREFIX}-{run.pk}-{number}",
            perspective=perspectives[number % len(perspectives)],
            importance={code: rng.randint(1, 5) for code in pillars},
            started_at=run.created_at,
            submitted_at=run.created_at,
        )
        for run in runs
        for number in range(respondents)
    )
    questions = list(bank.questions.all())
    for start in range(0, len(responses), 500):
        Answer.objects.bulk_create(
            (
                Answer(
                    response=response,
                    question=question,
                    level=(level := rng.choice([None, 0, 1, 2, 2, 3, 3, 4])),
                    dont_know=level is None,
                )
                for response in responses[start : start + 500]
                for question in questions
                if question.asked_of(response.perspective)
            ),
            batch_size=5000,
        )
    rules = loading.load_rules(bank)
    for start in range(0, len(responses), 5000):
        services.store_response_scores(rules=rules, responses=responses[start : start + 5000])
    for run in runs:
        publication.publish_results(assessment=run, published_by=consultant)
    _analyze()
    return consultant, list(zip(orgs, managers, runs, strict=True))


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def token_client(user):
    from accounts.api_tokens import create_api_token

    _, key = create_api_token(user=user, name="Benchmark")
    client = client_for(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def spread(requests, repeat: int) -> dict:
    """Median and p95 in milliseconds of `repeat` calls of the next request from `requests`."""
    runs = []
    for _ in range(repeat):
        client, url = next(requests)
        started = time.perf_counter()
        response = client.get(url)
        runs.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    runs.sort()
    return {
        "median_ms": round(statistics.median(runs) * 1000, 1),
        "p95_ms": round(runs[int(0.95 * (len(runs) - 1))] * 1000, 1),
    }


def cycle(pairs):
    while True:
        yield from pairs


def measure(bank, organisations: int, respondents: int, repeat: int) -> dict:
    from django.urls import reverse

    started = time.perf_counter()
    consultant, clients = build(bank, organisations, respondents)
    build_s = round(time.perf_counter() - started, 1)
    consultant_api = token_client(consultant)
    as_manager = [
        (token_client(manager), reverse("api:snapshot", args=[org.slug, run.pk]))
        for org, manager, run in clients
    ]
    as_consultant = [(consultant_api, url) for _, url in as_manager]
    first_manager, first_url = as_manager[0]
    kinds = {
        "bare": [(client_for(None), "/health/")],
        "snapshot_manager": as_manager,
        "snapshot_consultant": as_consultant,
        "organisations_consultant": [(consultant_api, reverse("api:organisations"))],
        "assessments_manager": [
            (first_manager, reverse("api:assessments", args=[clients[0][0].slug]))
        ],
    }
    figures = {
        "organisations": organisations,
        "respondents_each": respondents,
        "snapshot_bytes": len(first_manager.get(first_url).content),
        "build_s": build_s,
        "cpu_reference_ms": cpu_reference(),
    }
    for kind, requests in kinds.items():
        spread(cycle(requests), 20)  # warm up: connections, imports, the first token notes
        figures[kind] = spread(cycle(requests), repeat)
        client, url = requests[0]
        figures[kind]["queries"] = queries(lambda client=client, url=url: client.get(url))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=500)
    parser.add_argument("--respondents", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    setup()
    static_files_unhashed()

    remove_benchmark_data(SLUG_PREFIX)
    bank = questionnaire()
    try:
        figures = measure(bank, args.organisations, args.respondents, args.repeat)
        print(json.dumps(figures), flush=True)
    finally:
        remove_benchmark_data(SLUG_PREFIX)


if __name__ == "__main__":
    main()

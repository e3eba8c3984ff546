"""One assessment of a bank or a public body: thousands of respondents, next to a bare view.

    .venv/bin/python benchmarks/enterprise.py [--respondents 10000] [--repeat 9]
                                              [--connections 200] [--answers-each 8]

Uses DATABASE_URL (default: PostgreSQL database `readiness_bench` on 127.0.0.1). Builds an
open assessment of the bundled questionnaire with N submitted responses (bulk-created, with
their stored figures, headline and portfolio entries as the services leave them), then
measures, through Django's middleware with the test client (no network):

- scoring: loading and scoring every answer, as the dashboard does when figures changed;
- one more submission (it queues the scoring of the live headline), and the task
  worker's part of it;
- the consultant's dashboard, first view (scores and stores the live figures) and then
  from the stored figures;
- publication (an interim snapshot of every response);
- the client manager's dashboard of that publication;
- the respondent list (the assessment page, 50 a page): page 1 and page 100;
- the raw-answers XLSX through its view, streamed: time, size and peak Python memory
  (tracemalloc, while the file is written and read out);

and then, behind gunicorn, `--connections` respondents at once, each on a connection of
their own saving `--answers-each` answers: every save must answer 2xx and every answer must
be stored with the level last sent.

Prints JSON lines: times in milliseconds (median of --repeat runs; first views,
submission, publication and the export: one run), queries per request, the bare view and a
CPU reference from the same run. Aims on a 2-core machine at 10,000 respondents: scoring
≤ 1 s, dashboard from stored figures ≤ 150 ms, manager's dashboard ≤ 100 ms, publication
≤ 5 s, and no answer lost.
"""

import argparse
import json
import random
import threading
import time
import tracemalloc
import urllib.error
import urllib.request
from collections import defaultdict

from _django import (
    bare_view_ms,
    client_for,
    cpu_reference,
    get,
    queries,
    questionnaire,
    setup,
    static_files_unhashed,
    timed,
)

SLUG = "benchmark-enterprise"


def build(bank, respondents: int):
    """An open assessment with `respondents` submitted responses, its consultant and its
    client manager."""
    from django.utils import timezone

    from accounts.models import Membership, Organisation, Role, User
    from assessments import loading, services
    from assessments.models import Answer, Perspective, Response
    from assessments.results import entries

    organisation = Organisation.objects.create(name="Benchmark Bank", slug=SLUG)
    consultant = User.objects.create_user(f"consultant@{SLUG}.example", is_consultant=True)
    manager = User.objects.create_user(f"manager@{SLUG}.example")
    Membership.objects.create(user=consultant, organisation=organisation, role=Role.CONSULTANT)
    Membership.objects.create(user=manager, organisation=organisation, role=Role.MANAGER)
    assessment = services.create_assessment(
        organisation=organisation, questionnaire=bank, title="All staff", created_by=None
    )
    services.open_assessment(assessment=assessment)
    rng = random.Random(respondents)
    questions = list(bank.questions.all())
    perspectives = [p for p in Perspective if p != Perspective.OTHER]
    now = timezone.now()
    responses = Response.objects.bulk_create(
        (
            Response(
                assessment=assessment,
                token_hash=f"{SLUG}-{number}",
                perspective=perspectives[number % len(perspectives)],
                importance={},
                invited_at=now,
                started_at=now,
                submitted_at=now,
            )
            for number in range(respondents)
        ),
        batch_size=5000,
    )
    for start in range(0, len(responses), 1000):
        Answer.objects.bulk_create(
            (
                Answer(
                    response=response,
                    question=question,
                    level=None if dont_know else rng.choice([0, 1, 2, 2, 3, 3, 4]),
                    dont_know=dont_know,
                )
                for response in responses[start : start + 1000]
                for question in questions
                if question.asked_of(response.perspective)
                for dont_know in [rng.random() < 0.05]
            ),
            batch_size=5000,
        )
    rules = loading.load_rules(bank)
    for start in range(0, len(responses), 2000):
        services.store_response_scores(rules=rules, responses=responses[start : start + 2000])
    services.refresh_assessment_summary(assessment=assessment)
    entries.refresh_after_change.call(assessment_id=assessment.pk)
    _analyze()
    return assessment, consultant, manager


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def once_ms(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return round((time.perf_counter() - started) * 1000, 1), result


def streamed_export(client, url: str) -> tuple[int, float]:
    """The export's size, and the peak of Python's memory while it is written and read."""
    tracemalloc.start()
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.streaming, url
    size = sum(len(chunk) for chunk in response.streaming_content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return size, round(peak / 2**20, 1)


def measure(bank, respondents: int, repeat: int) -> dict:
    from django.urls import reverse

    from assessments import services
    from assessments.models import Answer, Response
    from assessments.results import entries, live, publication

    assessment, consultant, manager = build(bank, respondents)
    args = [SLUG, assessment.pk]
    dashboard = reverse("reports:dashboard", args=args)
    detail = reverse("assessments:detail", args=args)
    xlsx = reverse("reports:answers_xlsx", args=args)
    consultant_client, manager_client = client_for(consultant), client_for(manager)
    figures = {
        "respondents": respondents,
        "answers": Answer.objects.filter(response__assessment=assessment).count(),
        "cpu_reference_ms": cpu_reference(),
        "bare_view_ms": bare_view_ms(),
    }
    figures["scoring_ms"] = timed(lambda: live.score_live(assessment), 3)

    extra = Response.objects.create(
        assessment=assessment, token_hash=f"{SLUG}-extra", perspective="business"
    )
    Answer.objects.bulk_create(
        Answer(response=extra, question=question, level=2) for question in bank.questions.all()
    )
    figures["submission_ms"], _ = once_ms(lambda: services.submit_response(response=extra))
    figures["headline_refresh_ms"], _ = once_ms(
        lambda: entries.refresh_after_change.call(assessment_id=assessment.pk)
    )

    figures["dashboard_first_view_ms"], _ = once_ms(get(consultant_client, dashboard))
    figures["dashboard_ms"] = timed(get(consultant_client, dashboard), repeat)
    figures["dashboard_queries"] = queries(get(consultant_client, dashboard))

    publish_ms, _ = once_ms(
        lambda: publication.publish_results(assessment=assessment, published_by=consultant)
    )
    figures["publication_s"] = round(publish_ms / 1000, 2)
    get(manager_client, dashboard)()
    figures["manager_dashboard_ms"] = timed(get(manager_client, dashboard), repeat)
    figures["manager_dashboard_queries"] = queries(get(manager_client, dashboard))

    figures["respondent_list_ms"] = timed(get(consultant_client, detail), repeat)
    figures["respondent_list_page_100_ms"] = timed(
        get(consultant_client, detail, {"page": 100}), repeat
    )
    figures["respondent_list_queries"] = queries(get(consultant_client, detail))

    figures["xlsx_ms"], _ = once_ms(lambda: b"".join(consultant_client.get(xlsx).streaming_content))
    figures["xlsx_bytes"], figures["xlsx_peak_python_mb"] = streamed_export(consultant_client, xlsx)
    return figures


def concurrent_saves(connections: int, answers_each: int, port: int, threads: int) -> dict:
    """`connections` respondents saving at once, each on a connection of their own, behind
    gunicorn; then every answer is looked for in the database."""
    from answer_save import CSRF_SECRET, prepare, serve

    from assessments.models import Answer

    items = prepare(connections)  # (path, body, cookie, level) per answer, by respondent
    by_respondent: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for path, body, cookie, level in items:
        if len(by_respondent[cookie]) < answers_each:
            by_respondent[cookie].append((path, body, level))
    base = f"http://127.0.0.1:{port}"
    failures: list[str] = []
    latencies: list[float] = []
    start_together = threading.Barrier(len(by_respondent))

    def respondent(cookie: str, saves: list[tuple[str, str, int]]) -> None:
        start_together.wait()
        for path, body, level in saves:
            request = urllib.request.Request(
                base + path,
                data=f"{body}{level}".encode(),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={CSRF_SECRET}; respondent={cookie}",
                    "X-CSRFToken": CSRF_SECRET,
                    "HX-Request": "true",
                },
            )
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=120) as answer:
                    answer.read()
            except (urllib.error.URLError, OSError) as error:
                failures.append(f"{path}: {error}")
            latencies.append(time.perf_counter() - started)

    server = serve(port, threads)
    try:
        workers = [
            threading.Thread(target=respondent, args=(cookie, saves))
            for cookie, saves in by_respondent.items()
        ]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()

    sent = {
        (cookie, path): level for cookie, saves in by_respondent.items() for path, _, level in saves
    }
    stored = Answer.objects.filter(response__assessment__organisation__slug="benchmark-answer-save")
    levels = list(stored.values_list("level", flat=True))
    latencies.sort()
    return {
        "connections": len(by_respondent),
        "saves_sent": len(sent),
        "failed_requests": len(failures),
        "answers_stored": len(levels),
        "answers_lost": len(sent) - len(levels),
        "levels_as_sent": sorted(levels) == sorted(sent.values()),
        "saves_per_second": round(len(sent) / seconds, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        "first_failures": failures[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--answers-each", type=int, default=8)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args()

    setup()
    static_files_unhashed()
    from accounts.models import Organisation, User

    def clean():
        Organisation.objects.filter(slug__in=[SLUG, "benchmark-answer-save"]).delete()
        User.objects.filter(email__endswith=f"@{SLUG}.example").delete()

    clean()
    try:
        print(json.dumps(measure(questionnaire(), args.respondents, args.repeat)), flush=True)
        saves = concurrent_saves(args.connections, args.answers_each, args.port, args.threads)
        print(json.dumps({"concurrent_saves": saves, "bare_view_ms": bare_view_ms()}))
    finally:
        clean()


if __name__ == "__main__":
    main()

"""Load and score one assessment of N complete responses; optionally time the benchmark query.

    .venv/bin/python benchmarks/scoring.py --respondents 1000 [--organisations 500]

Uses DATABASE_URL (default: PostgreSQL database `readiness_bench` on 127.0.0.1). Prints one
JSON line: respondents, answers, load_ms, score_ms, queries, the bare view and a CPU reference
measured in the same run (and with --organisations, benchmark_ms and benchmark_queries:
reading a benchmark release of that many organisations). Aim: load and score ≤ 1 s at
10,000 respondents.
Each timing is the best of --repeat runs.
"""

import argparse
import json
import random
import time

from _django import bare_view_ms, cpu_reference, questionnaire, setup

SLUG_PREFIX = "benchmark-scoring"


def build_assessment(bank, respondents: int):
    from accounts.models import Organisation
    from assessments import services
    from assessments.models import Answer, Perspective, Response

    organisation = Organisation.objects.create(name="Benchmark", slug=f"{SLUG_PREFIX}-main")
    assessment = services.create_assessment(
        organisation=organisation, questionnaire=bank, title="Benchmark", created_by=None
    )
    rng = random.Random(respondents)
    questions = list(bank.questions.all())
    pillars = list(bank.pillars.values_list("code", flat=True))
    perspectives = list(Perspective)
    responses = Response.objects.bulk_create(
        Response(
            assessment=assessment,
            token_hash=f"{SLUG_PREFIX}-{number}",
            perspective=perspectives[number % len(perspectives)],
            importance={code: rng.randint(1, 5) for code in pillars},
            submitted_at=assessment.created_at,
        )
        for number in range(respondents)
    )
    for start in range(0, len(responses), 200):
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question=question,
                level=None if dont_know else rng.randint(0, 4),
                dont_know=dont_know,
            )
            for response in responses[start : start + 200]
            for question in questions
            for dont_know in [rng.random() < 0.05]
        )
    return assessment, len(responses) * len(questions)


def build_benchmark(bank, organisations: int):
    """A benchmark release of `organisations` peers, as closing publications leave it."""
    from accounts.models import Sector
    from assessments.models import BenchmarkRelease

    rng = random.Random(organisations)
    sectors = list(Sector)
    pillars = list(bank.pillars.values_list("code", flat=True))
    return BenchmarkRelease.objects.create(
        organisations=organisations,
        entries=[
            [
                -number,
                sectors[number % len(sectors)],
                {code: rng.uniform(10, 90) for code in pillars},
            ]
            for number in range(1, organisations + 1)
        ],
    )


def best_of(repeat: int, function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best, result, queries = float("inf"), None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = function()
            best = min(best, time.perf_counter() - started)
        queries = len(captured)
    return round(best * 1000, 1), result, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--organisations", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    setup()
    from accounts.models import Organisation
    from assessments import loading, scoring
    from assessments.models import Assessment, Response
    from assessments.results import benchmark

    Organisation.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    bank = questionnaire()
    assessment, answers = build_assessment(bank, args.respondents)
    assessment = Assessment.objects.select_related("questionnaire").get(pk=assessment.pk)

    def load():
        rules = loading.assessment_rules(assessment)
        inputs = loading.load_responses(Response.objects.submitted().filter(assessment=assessment))
        return rules, inputs

    load_ms, (rules, inputs), queries = best_of(args.repeat, load)
    score_ms, result, _ = best_of(args.repeat, lambda: scoring.score_assessment(rules, inputs))
    figures = {
        "respondents": result.respondents,
        "answers": answers,
        "load_ms": load_ms,
        "score_ms": score_ms,
        "total_ms": round(load_ms + score_ms, 1),
        "queries": queries,
        "bare_view_ms": bare_view_ms(),
        "cpu_reference_ms": cpu_reference(),
    }
    if args.organisations:
        release = build_benchmark(bank, args.organisations)
        benchmark_ms, compared_with, benchmark_queries = best_of(
            args.repeat, lambda: benchmark.benchmark_for(assessment)
        )
        figures.update(
            organisations=compared_with.organisations,
            benchmark_ms=benchmark_ms,
            benchmark_queries=benchmark_queries,
        )
        release.delete()
    print(json.dumps(figures))
    Organisation.objects.filter(slug__startswith=SLUG_PREFIX).delete()


if __name__ == "__main__":
    main()

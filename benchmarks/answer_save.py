"""Throughput of saving an answer, next to a bare Django view, behind gunicorn on PostgreSQL.

    .venv/bin/python benchmarks/answer_save.py [--seconds 10] [--connections 16] [--respondents 200]

Needs wrk (`apt-get install wrk`) and PostgreSQL (DATABASE_URL; default: a database
`readiness_bench` on 127.0.0.1). Starts gunicorn with 2 workers, loads each endpoint with
wrk for the same time, and prints requests/s and p95 latency of both and their ratio.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _django import ROOT, questionnaire, setup

CSRF_SECRET = "benchmarkcsrfsecret0123456789abc"  # 32 characters: Django accepts it unmasked

REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "socket_errors": %d, "non_2xx": %d, '
    .. '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f}\\n',
    summary.requests, summary.duration / 1e6, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""

ANSWER_REQUESTS = """
local requests = {%s}
-- Any answer of any respondent, like a room of people answering: one respondent never saves
-- sixteen answers at once (each save locks its response row). Each time another level, so
-- that every save writes (one that changes nothing writes nothing).
request = function()
  local item = requests[math.random(#requests)]
  item[4] = (item[4] + 1) %% 5
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=%s; respondent=" .. item[3],
    ["X-CSRFToken"] = "%s",
    ["HX-Request"] = "true",
  }
  return wrk.format("POST", item[1], headers, item[2] .. item[4])
end
"""


def prepare(respondents: int) -> list[tuple[str, str, str, int]]:
    """An open assessment with `respondents` started responses; (path, body without the
    level, the respondent's signed cookie, as their link sets it, a first level) per answer
    to save."""
    from django.http import HttpResponse

    from accounts.models import Organisation
    from assessments import services
    from assessments.models import Perspective
    from assessments.views.respond import COOKIE, COOKIE_SALT

    Organisation.objects.filter(slug="benchmark-answer-save").delete()
    organisation = Organisation.objects.create(name="Benchmark", slug="benchmark-answer-save")
    bank = questionnaire()
    assessment = services.create_assessment(
        organisation=organisation, questionnaire=bank, title="Benchmark", created_by=None
    )
    services.open_assessment(assessment=assessment)
    codes = list(bank.questions.order_by("order").values_list("code", flat=True))
    pillars = dict.fromkeys(bank.pillars.values_list("code", flat=True), 3)
    requests = []

    def signed(value: str) -> str:
        page = HttpResponse()
        page.set_signed_cookie(COOKIE, value, salt=COOKIE_SALT)
        return page.cookies[COOKIE].value

    for number in range(respondents):
        response, _token = services.create_respondent_link(assessment=assessment)
        services.start_response(
            response=response, perspective=Perspective.BUSINESS, sees_all_questions=True
        )
        services.save_importance(response=response, ratings=pillars)
        cookie = signed(f"{response.pk}:{response.token_hash}")
        for index, code in enumerate(codes):
            body = f"q-{code}="
            requests.append((f"/respond/answer/{code}/", body, cookie, (number + index) % 5))
    return requests


def wrk(url: str, script: Path, seconds: int, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["requests_per_second"] = round(result["requests"] / result["seconds"], 1)
    return result


def serve(port: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            "2",
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--respondents", type=int, default=200)
    parser.add_argument("--port", type=int, default=8765)
    # 1 = sync workers, as the Dockerfile runs them; more threads overlap waits on PostgreSQL.
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")

    database = setup()
    answers = prepare(args.respondents)
    with tempfile.TemporaryDirectory() as folder:
        bare_script = Path(folder, "bare.lua")
        bare_script.write_text(REPORT)
        answer_script = Path(folder, "answer.lua")
        items = ",".join(
            f'{{"{path}", "{body}", "{cookie}", {level}}}' for path, body, cookie, level in answers
        )
        answer_script.write_text(ANSWER_REQUESTS % (items, CSRF_SECRET, CSRF_SECRET) + REPORT)
        server = serve(args.port, args.threads)
        try:
            base = f"http://127.0.0.1:{args.port}"
            bare = wrk(f"{base}/health/", bare_script, args.seconds, args.connections)
            save = wrk(base, answer_script, args.seconds, args.connections)
        finally:
            server.terminate()
            server.wait()

    from assessments.models import Answer

    saved_rows = Answer.objects.filter(
        response__assessment__organisation__slug="benchmark-answer-save"
    ).count()
    ratio = save["requests_per_second"] / bare["requests_per_second"]
    print(json.dumps({"endpoint": "bare view /health/", **bare}))
    print(json.dumps({"endpoint": "answer save", **save, "answer_rows": saved_rows}))
    print(
        f"database {database.rsplit('@', 1)[-1]}, gunicorn 2 workers × {args.threads} threads, "
        f"wrk {args.connections} "
        f"connections, {args.seconds} s each\n"
        f"bare view   {bare['requests_per_second']:>8.1f} req/s   p95 {bare['p95_ms']:.2f} ms\n"
        f"answer save {save['requests_per_second']:>8.1f} req/s   p95 {save['p95_ms']:.2f} ms   "
        f"non-2xx {save['non_2xx']}\n"
        f"ratio       {ratio:.1%} of the bare view (aim: at least 15 %)"
    )


if __name__ == "__main__":
    main()

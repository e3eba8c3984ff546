"""A live workshop under load: N phones join, poll as the real page does and vote on several
questions while the presenter screen polls and drives, against gunicorn on PostgreSQL.

    .venv/bin/python benchmarks/workshop_load.py --participants 100 [--questions 5]
                                                 [--discussion 5]

Needs PostgreSQL (DATABASE_URL; default: a database `readiness_bench` on 127.0.0.1). Starts
gunicorn with 2 sync workers, as the Dockerfile runs it. Each simulated phone is a thread
that joins with the code, polls its fragment every 1.5 s sending the ETag it holds (as
workshop-participant.js does), and votes a moment after it sees voting open. The presenter
polls every second and, per question, opens voting, waits until everyone has voted, reveals,
lets the room discuss for --discussion seconds (minutes in a real workshop) and moves on.
Prints votes sent, votes counted (they must be equal), errors, and p50/p95 of vote and poll
latency, the polls also split into unchanged (304) and changed (200): every move of the
presenter makes all phones fetch a fragment within 1.5 s, the worst moment for the server.
Aims on a 2-core machine: p95 vote <= 150 ms, p95 poll <= 50 ms.

Every phone joins from 127.0.0.1 within a second or two, which the join rate limit exists to
refuse: the benchmark raises it (WORKSHOP_JOINS_PER_ADDRESS, WORKSHOP_JOINS_PER_SESSION)
for its own server, and starts the session with room for --participants people.
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field

from _django import questionnaire, setup
from answer_save import CSRF_SECRET, serve

SLUG = "benchmark-workshop"
PARTICIPANT_POLL = 1.5  # seconds, as in templates/workshop/_participant_state.html
PRESENTER_POLL = 1.0  # as in templates/workshop/_stage.html
QUESTION = re.compile(r'name="question" value="(\d+)"')
ROUND = re.compile(r'name="round" value="(\d+)"')


@dataclass
class Figures:
    lock: threading.Lock = field(default_factory=threading.Lock)
    vote_ms: list[float] = field(default_factory=list)
    poll_ms: list[float] = field(default_factory=list)
    changed_poll_ms: list[float] = field(default_factory=list)
    unchanged_poll_ms: list[float] = field(default_factory=list)
    presenter_poll_ms: list[float] = field(default_factory=list)
    not_modified: int = 0
    votes_sent: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, ms: float) -> None:
        with self.lock:
            getattr(self, kind).append(ms)

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def request(port, method, path, *, headers=None, body=None):
    """One request on a fresh connection (sync gunicorn workers close each one anyway)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    content = response.read().decode()
    elapsed = (time.perf_counter() - started) * 1000
    cookies = response.headers.get_all("Set-Cookie") or []
    result = (response.status, response.getheader("ETag"), content, cookies, elapsed)
    connection.close()
    return result


def form_headers(cookie: str) -> dict:
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={CSRF_SECRET}; {cookie}",
        "X-CSRFToken": CSRF_SECRET,
        "HX-Request": "true",
    }


def prepare(questions: int, participants: int):
    """An open assessment, a consultant's login and a session on the first `questions`."""
    from django.test import Client

    from accounts.models import Membership, Organisation, Role, User
    from assessments import services, workshops

    Organisation.objects.filter(slug=SLUG).delete()
    organisation = Organisation.objects.create(name="Benchmark workshop", slug=SLUG)
    consultant, _ = User.objects.get_or_create(email="bench-consultant@example.org")
    Membership.objects.create(user=consultant, organisation=organisation, role=Role.CONSULTANT)
    bank = questionnaire()
    assessment = services.create_assessment(
        organisation=organisation, questionnaire=bank, title="Benchmark", created_by=consultant
    )
    services.open_assessment(assessment=assessment)
    session = workshops.start_session(
        assessment=assessment,
        scope="all",
        created_by=consultant,
        counts_in_results=False,
        max_participants=participants,
    )
    session.questions.filter(position__gte=questions).delete()
    client = Client()
    client.force_login(consultant)
    return session, f"sessionid={client.cookies['sessionid'].value}"


def participant(port, code, number, stop, figures: Figures, rng: random.Random):
    room = f"/w/{code}/"
    status, _, _, cookies, _ = request(
        port, "POST", room, headers=form_headers(""), body="perspective=business"
    )
    if status != 302 or not cookies:
        figures.error(f"phone {number}: join answered {status}")
        return
    cookie = cookies[0].split(";", 1)[0]
    etag = None
    voted: set[tuple[str, str]] = set()
    time.sleep(rng.uniform(0, PARTICIPANT_POLL))  # phones do not poll in step
    while not stop.is_set():
        headers = {"Cookie": cookie, "HX-Request": "true"}
        if etag:
            headers["If-None-Match"] = etag
        status, new_etag, content, _, ms = request(port, "GET", f"{room}state/", headers=headers)
        figures.add("poll_ms", ms)
        figures.add("unchanged_poll_ms" if status == 304 else "changed_poll_ms", ms)
        if status == 304:
            with figures.lock:
                figures.not_modified += 1
        elif status == 200:
            etag = new_etag
            question, round_ = QUESTION.search(content), ROUND.search(content)
            open_now = "vote-option" in content and " disabled" not in content
            key = (question.group(1), round_.group(1)) if question and round_ else None
            if open_now and key and key not in voted:
                time.sleep(rng.uniform(0.2, 2.0))  # a person reads, then taps
                body = f"question={key[0]}&round={key[1]}&choice={rng.randint(0, 4)}"
                status, new_etag, _, _, ms = request(
                    port, "POST", f"{room}vote/", headers=form_headers(cookie), body=body
                )
                figures.add("vote_ms", ms)
                with figures.lock:
                    figures.votes_sent += 1
                if status == 200:
                    voted.add(key)
                    etag = new_etag
                else:
                    figures.error(f"phone {number}: vote answered {status}")
        else:
            figures.error(f"phone {number}: poll answered {status}")
        stop.wait(PARTICIPANT_POLL)


def presenter(port, session, login, participants, discussion, stop, figures: Figures):
    base = f"/o/{SLUG}/workshops/{session.pk}/"
    etag = None

    def poll():
        nonlocal etag
        headers = {"Cookie": login, "HX-Request": "true"}
        if etag:
            headers["If-None-Match"] = etag
        status, new_etag, _, _, ms = request(port, "GET", f"{base}stage/", headers=headers)
        figures.add("presenter_poll_ms", ms)
        if status == 200:
            etag = new_etag
        elif status != 304:
            figures.error(f"presenter poll answered {status}")
        return new_etag

    def drive(action, position):
        status, *_ = request(
            port,
            "POST",
            f"{base}drive/",
            headers=form_headers(login),
            body=f"action={action}&position={position}",
        )
        if status != 200:
            figures.error(f"presenter {action} answered {status}")

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and f"-{participants}-0" not in (poll() or etag or ""):
        time.sleep(PRESENTER_POLL)  # until everyone has joined
    for position in range(session.questions.count()):
        drive("open", position)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            poll()
            if (etag or "").endswith(f'-{participants}-{participants}"'):
                break
            time.sleep(PRESENTER_POLL)
        drive("reveal", position)
        poll()
        stop.wait(discussion)  # the room looks at the distribution and talks
        if position + 1 < session.questions.count():
            drive("next", position)
    time.sleep(PARTICIPANT_POLL * 2)  # the phones see the last move
    stop.set()


def p(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument(
        "--discussion", type=float, default=5.0, help="seconds between a reveal and the next"
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    args = parser.parse_args()

    # Every simulated phone joins from this one address at once: let them all in.
    for limit in ("WORKSHOP_JOINS_PER_ADDRESS", "WORKSHOP_JOINS_PER_SESSION"):
        os.environ.setdefault(limit, str(args.participants))
    database = setup()
    session, login = prepare(args.questions, args.participants)
    figures = Figures()
    stop = threading.Event()
    server = serve(args.port, args.threads)
    try:
        rng = random.Random(7)
        phones = [
            threading.Thread(
                target=participant,
                args=(args.port, session.code, n, stop, figures, random.Random(rng.random())),
                daemon=True,
            )
            for n in range(args.participants)
        ]
        for phone in phones:
            phone.start()
        started = time.monotonic()
        presenter(args.port, session, login, args.participants, args.discussion, stop, figures)
        for phone in phones:
            phone.join(timeout=10)
        seconds = time.monotonic() - started
    finally:
        server.terminate()
        server.wait()

    from assessments.models import Vote

    counted = Vote.objects.filter(participant__session=session).count()
    polls = len(figures.poll_ms)
    summary = {
        "participants": args.participants,
        "questions": args.questions,
        "seconds": round(seconds, 1),
        "votes_sent": figures.votes_sent,
        "votes_counted": counted,
        "errors": len(figures.errors),
        "vote_p50_ms": round(p(figures.vote_ms, 50), 1),
        "vote_p95_ms": round(p(figures.vote_ms, 95), 1),
        "poll_requests": polls,
        "poll_304_share": round(figures.not_modified / polls, 3) if polls else 0,
        "poll_p50_ms": round(p(figures.poll_ms, 50), 1),
        "poll_p95_ms": round(p(figures.poll_ms, 95), 1),
        "unchanged_poll_p95_ms": round(p(figures.unchanged_poll_ms, 95), 1),
        "changed_poll_p95_ms": round(p(figures.changed_poll_ms, 95), 1),
        "presenter_poll_p95_ms": round(p(figures.presenter_poll_ms, 95), 1),
    }
    print(json.dumps(summary))
    for message in figures.errors[:10]:
        print("error:", message)
    print(
        f"database {database.rsplit('@', 1)[-1]}, gunicorn 2 workers × {args.threads} threads\n"
        f"{args.participants} phones, {args.questions} questions, {seconds:.0f} s\n"
        f"votes sent {figures.votes_sent}, counted {counted}, errors {len(figures.errors)}\n"
        f"vote  p95 {summary['vote_p95_ms']:.1f} ms (aim: at most 150 ms)\n"
        f"poll  p95 {summary['poll_p95_ms']:.1f} ms (aim: at most 50 ms), "
        f"{summary['poll_304_share']:.0%} answered 304 "
        f"(p95 {summary['unchanged_poll_p95_ms']:.1f} ms; "
        f"changed fragments p95 {summary['changed_poll_p95_ms']:.1f} ms)"
    )


if __name__ == "__main__":
    main()

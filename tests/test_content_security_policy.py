"""The Content-Security-Policy is strict, and the pages people use break none of it."""

import pytest
from django.urls import reverse


def test_every_response_carries_the_policy(client, db):
    response = client.get(reverse("accounts:login"))

    assert response["Content-Security-Policy"] == (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


def record_blocked(page) -> list[str]:
    """Chromium reports every blocked script, style or image as a console error."""
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return blocked


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_inline_style_is_blocked(page, live_server):
    blocked = record_blocked(page)
    page.goto(live_server.url + reverse("accounts:login"))

    page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>p {color: red}</style>')")

    assert len(blocked) == 1
    assert "style-src" in blocked[0]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_break_no_rule_of_the_policy(page, live_server, log_in, staff, open_assessment):
    staff.is_superuser = True
    staff.save()
    log_in(staff)
    blocked = record_blocked(page)
    slug = open_assessment.organisation.slug
    urls = [
        reverse("reports:portfolio"),
        reverse("reports:organisation", args=[slug]),
        reverse("accounts:members", args=[slug]),
        reverse("assessments:detail", args=[slug, open_assessment.pk]),
        reverse("admin:index"),
        reverse("admin:assessments_question_changelist"),
        reverse("admin:accounts_organisation_add"),
    ]
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")

    assert blocked == []

"""Spreadsheets of figures and raw answers: what each person gets, and nothing more."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent
from assessments.models import Answer
from assessments.results import publication
from reports import exporters
from reports.exporters.tables import pseudonyms
from reports.figures import score
from tests.factories import AssessmentFactory
from tests.reports.conftest import respond

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://example.com","x")'
UNSHARED = "Our data owner left in spring and nobody replaced her."
SEMICOLON = "x;=cmd|' /C calc'!A0"


def url(assessment, name: str) -> str:
    return reverse(f"reports:{name}", args=[assessment.organisation.slug, assessment.pk])


def downloaded(response) -> bytes:
    """The body of a streamed download (the raw answers' workbook)."""
    assert response.streaming
    return b"".join(response.streaming_content)


def rows_of(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the byte-order mark spreadsheets need
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def answered(threshold_three):
    """Three business respondents with addresses; "ethics.gdpr" got a level from one only
    (the others did not know), so its published figure rests on too few and is withheld."""
    for number, gdpr in enumerate([1, None, None]):
        respond(
            threshold_three,
            {
                "data.inventory": 3,
                "data.quality": 2,
                "data.rights": 3,
                "ethics.policy": 2,
                "ethics.gdpr": gdpr,
            },
            comments={"data.quality": INJECTION if number == 0 else UNSHARED},
        )
    return threshold_three


@pytest.fixture
def published(answered):
    publication.publish_results(assessment=answered, published_by=None)
    return answered


# Raw answers (consultants)


def test_raw_answers_have_one_row_per_respondent_and_question_asked(consultant_client, answered):
    response = consultant_client.get(url(answered, "answers_csv"))

    rows = rows_of(response.content)
    assert rows[0] == [
        "Respondent",
        "Perspective",
        "Pillar code",
        "Pillar",
        "Question code",
        "Question",
        "Level (0–4) or don't know",
        "Comment",
        "Questionnaire version",
    ]
    assert len(rows) == 1 + 3 * 5
    assert {row[6] for row in rows[1:] if row[4] == "ethics.gdpr"} == {"1", "don't know"}
    assert {row[8] for row in rows[1:]} == {"readiness v1"}


def test_raw_answers_hold_no_address_or_name(consultant_client, answered):
    csv_content = consultant_client.get(url(answered, "answers_csv")).content.decode("utf-8-sig")
    workbook = load_workbook(
        io.BytesIO(downloaded(consultant_client.get(url(answered, "answers_xlsx"))))
    )
    cells = " ".join(
        str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
    )

    for response in answered.responses.all():
        assert response.email
        assert response.email not in csv_content
        assert response.email not in cells
        assert response.email.split("@")[0] not in csv_content


def test_raw_answers_name_each_respondent_by_a_stable_pseudonym(consultant_client, answered):
    first = rows_of(consultant_client.get(url(answered, "answers_csv")).content)
    again = rows_of(consultant_client.get(url(answered, "answers_csv")).content)

    names = {row[0] for row in first[1:]}
    assert len(names) == 3
    assert all(name.startswith("R-") and len(name) == 10 for name in names)
    assert [row[0] for row in first] == [row[0] for row in again]


def test_pseudonyms_differ_between_assessments_for_the_same_response_id():
    assert pseudonyms(1, [7]) != pseudonyms(2, [7])


def test_a_formula_in_a_comment_arrives_in_the_csv_as_text(consultant_client, answered):
    rows = rows_of(consultant_client.get(url(answered, "answers_csv")).content)

    comments = [row[7] for row in rows[1:] if row[4] == "data.quality"]
    assert "'" + INJECTION in comments
    assert INJECTION not in comments


def test_every_text_field_of_the_csv_is_quoted(consultant_client, answered):
    """Quoted, a field stays one cell in a spreadsheet that splits on semicolons as well:
    "x;=cmd…" cannot become a second cell that starts with "="."""
    Answer.objects.filter(comment=UNSHARED).update(comment=SEMICOLON)

    lines = consultant_client.get(url(answered, "answers_csv")).content.decode("utf-8-sig")

    assert f'"{SEMICOLON}"' in lines
    header = lines.splitlines()[0]
    assert (header[0], header[-1]) == ('"', '"')
    assert header.count('","') == header.count(",")
    rows = rows_of(lines.encode("utf-8-sig"))
    assert [row[7] for row in rows[1:] if row[4] == "data.quality"].count(SEMICOLON) == 2


def test_a_formula_in_a_comment_arrives_in_the_xlsx_as_a_string(consultant_client, answered):
    content = downloaded(consultant_client.get(url(answered, "answers_xlsx")))

    sheet = load_workbook(io.BytesIO(content))["Answers"]
    cells = [row[7] for row in sheet.iter_rows(min_row=2) if row[4].value == "data.quality"]
    injected = [cell for cell in cells if cell.value == "'" + INJECTION]
    assert len(injected) == 1
    assert injected[0].data_type == "s"


def test_every_formula_start_is_neutralised():
    for start in ["=", "+", "-", "@", "\t", "\r"]:
        assert exporters.neutralise(start + "1+1") == "'" + start + "1+1"
    assert exporters.neutralise("A plain comment") == "A plain comment"


def test_raw_answers_workbook_has_answers_pillar_figures_and_method(consultant_client, answered):
    content = downloaded(consultant_client.get(url(answered, "answers_xlsx")))

    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Answers", "Pillars", "Method"]
    pillars = {row[0]: row[1] for row in workbook["Pillars"].iter_rows(min_row=2, values_only=True)}
    # Live figures: every respondent answered data 3, 2 and 3 of 4.
    assert pillars["Data foundation"] == 67  # as every format prints it


def test_raw_answers_before_any_submission_say_so(consultant_client, threshold_three):
    response = consultant_client.get(url(threshold_three, "answers_csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"No response has been submitted yet" in response.content


def test_a_manager_may_not_download_raw_answers(manager_client, answered):
    assert manager_client.get(url(answered, "answers_csv")).status_code == 403
    assert manager_client.get(url(answered, "answers_xlsx")).status_code == 403


@pytest.mark.parametrize(
    "name", ["answers_csv", "answers_xlsx", "figures_csv", "figures_xlsx", "docx", "pptx"]
)
def test_an_export_of_another_organisations_assessment_is_not_found(
    consultant_client, other_organisation, name
):
    foreign = AssessmentFactory(organisation=other_organisation)

    response = consultant_client.get(reverse(f"reports:{name}", args=["acme", foreign.pk]))

    assert response.status_code == 404


# Published figures (everyone who reads results)


def test_published_figures_mark_a_withheld_question_and_show_none_of_its_figures(
    manager_client, published
):
    rows = rows_of(manager_client.get(url(published, "figures_csv")).content)

    gdpr = [row for row in rows[1:] if row[3] == "ethics.gdpr"]
    assert gdpr == [
        [
            "question",
            "ethics",
            "Ethics and governance",
            "ethics.gdpr",
            "How is ethics.gdpr handled?",
            "",
            "Score (0–100)",
            "withheld",
            "not enough answers",
        ]
    ]


def test_published_figures_hold_no_individual_answer(manager_client, published):
    content = manager_client.get(url(published, "figures_csv")).content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(manager_client.get(url(published, "figures_xlsx")).content))
    cells = " ".join(
        str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
    )

    for text in (content, cells):
        assert "R-" not in text
        assert UNSHARED not in text
        assert "HYPERLINK" not in text
        for response in published.responses.all():
            assert response.email not in text


def test_published_figures_match_the_snapshot(manager_client, published):
    report = published.snapshots.get().report["result"]
    rows = rows_of(manager_client.get(url(published, "figures_csv")).content)

    index = next(row for row in rows if row[6] == "Readiness index (0–100)")
    data = next(row for row in rows if row[1] == "data" and row[6] == "Maturity (0–100)")
    assert float(index[7]) == score(report["overall_index"])
    assert float(data[7]) == score(report["pillars"][0]["maturity"])


def test_published_figures_workbook_marks_withheld_cells(manager_client, published):
    content = manager_client.get(url(published, "figures_xlsx")).content

    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "Summary",
        "Pillars",
        "Questions",
        "Perspectives",
        "Action plan",
        "Method",
    ]
    gdpr = next(
        row for row in workbook["Questions"].iter_rows(min_row=2) if row[1].value == "ethics.gdpr"
    )
    assert [cell.value for cell in gdpr[3:]] == ["withheld: not enough answers"] + [None] * 9
    assert gdpr[3].font.italic is True


def test_published_figures_workbook_has_the_action_plan_to_track(manager_client, published):
    findings = published.snapshots.get().read_report().result.findings

    content = manager_client.get(url(published, "figures_xlsx")).content

    sheet = load_workbook(io.BytesIO(content))["Action plan"]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Priority", "Reference"]
    assert header[-4:] == ["Owner", "Due date", "Status", "Overdue"]
    # Below the findings, empty rows are formatted for actions the manager adds.
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    assert {row[1] for row in rows} == {finding.question for finding in findings}
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    # No finding has an action yet: owner, due date and status are to fill in.
    assert {(row[8], row[9], row[10], row[11]) for row in rows} == {(None, None, None, None)}
    (status,) = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert status.formula1 == '"open,in progress,done,dropped"'
    assert str(status.sqref).startswith("K2:K")
    (due,) = [v for v in sheet.data_validations.dataValidation if v.type == "date"]
    assert str(due.sqref).startswith("J2:J")


def test_a_formula_in_a_recommendation_arrives_in_the_action_plan_as_a_string(
    manager_client, answered
):
    answered.questionnaire.questions.filter(code="data.quality").update(recommendation=INJECTION)
    publication.publish_results(assessment=answered, published_by=None)

    content = manager_client.get(url(answered, "figures_xlsx")).content

    sheet = load_workbook(io.BytesIO(content))["Action plan"]
    (row,) = [row for row in sheet.iter_rows(min_row=2) if row[1].value == "data.quality"]
    assert (row[5].value, row[5].data_type) == ("'" + INJECTION, "s")


def test_published_figures_before_publication_say_so(manager_client, answered):
    response = manager_client.get(url(answered, "figures_csv"))

    assert response.status_code == 200
    assert b"Not published yet" in response.content


def test_a_download_is_written_to_the_audit_log_without_personal_data(
    consultant, consultant_client, answered
):
    consultant_client.get(url(answered, "answers_xlsx"))

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert event.actor == consultant
    assert event.organisation == answered.organisation
    assert event.subject_id == answered.pk
    assert event.detail == {"format": "xlsx", "kind": "raw answers"}


def test_a_pdf_download_is_written_to_the_audit_log(manager, manager_client, published):
    manager_client.get(url(published, "pdf"))

    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert (event.actor, event.detail) == (manager, {"format": "pdf", "kind": "published report"})


def test_a_download_is_an_attachment_named_after_the_assessment(consultant_client, answered):
    response = consultant_client.get(url(answered, "answers_csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="acme-insurance_spring-check_{day}_raw-answers.csv"'
    )

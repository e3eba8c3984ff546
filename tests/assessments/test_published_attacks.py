"""The attacks on published results, replayed through the services: each must fail.

After each, the manager's snapshots show no figure whose responses differ from an earlier
publication's by fewer than the threshold, and the published verdict is the live one.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Assessment, BenchmarkRelease, Response
from assessments.results import benchmark, live, publication
from assessments.results.access import published_results
from assessments.scoring import Verdict, Withheld
from tests.factories import (
    AssessmentFactory,
    PillarFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)

pytestmark = pytest.mark.django_db
CONDITIONS = Verdict.READY_WITH_CONDITIONS


def answer(assessment, perspective: str, levels: dict[str, int | None] | int | None) -> Response:
    """A submitted response of `perspective`; `levels` per code, or one level for all."""
    response = ResponseFactory(assessment=assessment, perspective=perspective)
    for question in assessment.questionnaire.questions.all():
        level = levels.get(question.code, 3) if isinstance(levels, dict) else levels
        services.save_answer(
            response=response, question=question, level=level, dont_know=level is None
        )
    services.submit_response(response=response)
    return response


def threshold(assessment, value: int) -> Assessment:
    Assessment.objects.filter(pk=assessment.pk).update(anonymity_threshold=value)
    assessment.refresh_from_db()
    return assessment


def assert_no_close_pair(assessment) -> None:
    """Every pair of the assessment's snapshots: each figure both show rests on the same
    responses, or on responses that differ by at least the threshold each way."""
    needed = assessment.anonymity_threshold
    snapshots = list(assessment.snapshots.order_by("published_at", "pk"))
    for before, after in itertools.combinations(snapshots, 2):
        earlier, later = before.contributor_sets(), after.contributor_sets()
        for cell in earlier.keys() & later.keys():
            added, removed = later[cell] - earlier[cell], earlier[cell] - later[cell]
            assert len(added) == 0 or len(added) >= needed, cell
            assert len(removed) == 0 or len(removed) >= needed, cell


def test_one_person_padded_with_dont_knows_is_not_revealed(open_assessment, consultant):
    assessment = threshold(open_assessment, 5)
    for _ in range(5):
        answer(assessment, "leadership", 2)
        answer(assessment, "business", 2)
    first = publication.publish_results(assessment=assessment, published_by=consultant)
    assert first.read_report().result.pillar("data").maturity == 50.0

    answer(assessment, "leadership", 4)  # the person the attack is after
    for _ in range(4):
        answer(assessment, "business", None)  # padding that changes no figure's people
    second = publication.publish_results(assessment=assessment, published_by=consultant)

    result = published_results(assessment).result
    assert result.pillar("data").maturity is None
    assert result.pillar("data").withheld is Withheld.FEW_CHANGES
    assert all(q.withheld is Withheld.FEW_CHANGES for q in result.questions.values())
    assert "leadership" not in {group.perspective for group in result.perspectives}
    assert result.overall_index is None
    assert result.index_withheld is Withheld.FEW_CHANGES
    assert second.respondents == 15
    assert_no_close_pair(assessment)


def test_an_erased_person_is_not_revealed_by_padding(open_assessment, consultant):
    assessment = threshold(open_assessment, 5)
    responses = [answer(assessment, "business", level) for level in (1, 2, 3, 2, 2, 3, 4)]
    publication.publish_results(assessment=assessment, published_by=consultant)

    services.erase_respondent(response=responses[0], erased_by=consultant)
    for _ in range(5):
        answer(assessment, "business", None)
    publication.publish_results(assessment=assessment, published_by=consultant)

    result = published_results(assessment).result
    assert {p.withheld for p in result.pillars} == {Withheld.FEW_CHANGES}
    assert {q.withheld for q in result.questions.values()} == {Withheld.FEW_CHANGES}
    assert_no_close_pair(assessment)


def test_enough_new_people_show_the_figures_again(open_assessment, consultant):
    assessment = threshold(open_assessment, 3)
    for _ in range(3):
        answer(assessment, "business", 2)
    publication.publish_results(assessment=assessment, published_by=consultant)
    for _ in range(3):
        answer(assessment, "business", 4)
    publication.publish_results(assessment=assessment, published_by=consultant)

    result = published_results(assessment).result
    assert result.pillar("data").maturity == 75.0
    assert result.overall_index == 75.0
    assert_no_close_pair(assessment)


@pytest.fixture
def legal_question_bank(db):
    """One pillar whose critical question the legal/risk perspective decides on."""
    questionnaire = QuestionnaireFactory(slug="legal", version=1)
    ethics = PillarFactory(questionnaire=questionnaire, code="ethics", order=1, name="Ethics")
    QuestionFactory(pillar=ethics, code="ethics.policy", order=1, critical=False)
    QuestionFactory(
        pillar=ethics,
        code="ethics.lawful-basis",
        order=2,
        text="Is there a lawful basis for the data the system uses?",
        critical=True,
        deciding_perspectives=["legal_risk"],
    )
    return questionnaire


@pytest.fixture
def flagged_by_the_lawyer(legal_question_bank, organisation):
    """Five business people at 3, and the only lawyer blocks the lawful basis."""
    assessment = threshold(
        AssessmentFactory(organisation=organisation, questionnaire=legal_question_bank), 3
    )
    for _ in range(5):
        answer(assessment, "business", 3)
    answer(assessment, "legal_risk", {"ethics.policy": 3, "ethics.lawful-basis": 0})
    return assessment


def test_a_red_flag_from_the_only_lawyer_is_named_without_counts(flagged_by_the_lawyer, consultant):
    assessment = flagged_by_the_lawyer
    live_result = live.live_report(assessment).result

    publication.publish_results(assessment=assessment, published_by=consultant)

    result = published_results(assessment).result
    flagged = result.questions["ethics.lawful-basis"]
    assert live_result.verdict is Verdict.NOT_READY
    assert (result.verdict, result.red_flags) == (live_result.verdict, ("ethics.lawful-basis",))
    assert flagged.withheld is Withheld.FLAG_FROM_FEW
    assert (flagged.answered, flagged.blockers, flagged.distribution) == (0, 0, (0,) * 5)
    assert [f.question for f in result.findings] == ["ethics.policy"]


def test_a_dismissed_red_flag_is_the_only_way_the_verdicts_differ(
    flagged_by_the_lawyer, consultant
):
    assessment = flagged_by_the_lawyer
    reason = "The lawyer answered for a data source the pilot no longer uses."

    snapshot = publication.publish_results(
        assessment=assessment,
        published_by=consultant,
        dismissals={"ethics.lawful-basis": reason},
    )

    report = snapshot.read_report()
    assert live.live_report(assessment).result.verdict is Verdict.NOT_READY
    assert report.result.verdict is Verdict.READY_WITH_CONDITIONS
    assert report.result.dismissed == ("ethics.lawful-basis",)
    assert report.method[-1].paragraphs == (
        f"Is there a lawful basis for the data the system uses? (ethics.lawful-basis): {reason}",
    )
    assert snapshot.dismissals == [["ethics.lawful-basis", reason]]


def test_a_dismissal_needs_a_flag_and_a_reason(legal_question_bank, organisation, consultant):
    assessment = threshold(
        AssessmentFactory(organisation=organisation, questionnaire=legal_question_bank), 3
    )
    for _ in range(3):
        answer(assessment, "business", 3)

    with pytest.raises(publication.InvalidDismissal):
        publication.publish_results(
            assessment=assessment, published_by=consultant, dismissals={"ethics.policy": "x"}
        )
    assert assessment.snapshots.exists() is False


@pytest.fixture
def calibrated(open_assessment):
    """The small bank with the calibration of the bundled one: bands 30 · 45 · 62.5, a
    critical question blocking below level 2, red flags from a fifth of the answers."""
    from assessments.models import Question, Questionnaire

    Questionnaire.objects.filter(pk=open_assessment.questionnaire_id).update(
        settings={
            "bands": {"moderate": 30, "high": 45, "critical": 62.5},
            "red_flag_share": 0.2,
            "not_established_share": 0.5,
        }
    )
    Question.objects.filter(
        questionnaire=open_assessment.questionnaire_id, code="ethics.gdpr"
    ).update(critical=True, blocker_below=2)
    return threshold(open_assessment, 3)


@pytest.mark.parametrize(
    ("data_it", "others", "verdict"),
    [
        ({}, 3, Verdict.READY),  # every answer at 3
        ({"ethics.gdpr": 0}, 3, Verdict.NOT_READY),  # one data/IT blocker among four
        ({"ethics.gdpr": 1}, 4, Verdict.NOT_READY),  # everything at 4, the critical one at 1
        # everything at 2, and the data/IT person knows nothing of data
        ({"data.inventory": None, "data.quality": None, "data.rights": None}, 2, CONDITIONS),
    ],
)
def test_the_published_verdict_is_the_live_one(calibrated, consultant, data_it, others, verdict):
    """Four people, threshold 3: the data/IT person's own figures are withheld."""
    answer(calibrated, "data_it", {"data.inventory": 3, "data.quality": 3, **data_it})
    for _ in range(3):
        answer(calibrated, "business", others)
    live_result = live.live_report(calibrated).result

    publication.publish_results(assessment=calibrated, published_by=consultant)

    published = published_results(calibrated).result
    assert live_result.verdict is verdict
    assert (published.verdict, published.reasons, published.red_flags) == (
        live_result.verdict,
        live_result.reasons,
        live_result.red_flags,
    )
    assert [(s.kind, s.pillar, s.target) for s in published.path] == [
        (s.kind, s.pillar, s.target) for s in live_result.path
    ]


def test_all_dont_know_is_not_ready_because_critical_questions_are_not_established(calibrated):
    for _ in range(3):
        answer(calibrated, "business", None)

    result = live.live_report(calibrated).result

    assert result.verdict is Verdict.NOT_READY
    assert result.reasons == (
        scoring.VerdictReason(scoring.ReasonKind.NOT_ESTABLISHED, questions=("ethics.gdpr",)),
    )


# The benchmark, from releases of closing publications


def closed_organisation(questionnaire, level: int, people: int = 3):
    assessment = threshold(AssessmentFactory(questionnaire=questionnaire), 3)
    for _ in range(people):
        answer(assessment, "business", level)
    services.close_assessment(assessment=assessment)
    return assessment


def test_closing_one_more_assessment_moves_no_benchmark_until_the_next_release(
    open_assessment, consultant
):
    questionnaire = open_assessment.questionnaire
    for level in (4, 4, 4, 4, 2):
        closed_organisation(questionnaire, level)
    release = BenchmarkRelease.objects.get()
    before = benchmark.benchmark_for(open_assessment)
    assert (before.organisations, before.pillars["data"]) == (5, 90.0)
    assert before.released_on == timezone.localdate(release.released_at).isoformat()

    closed_organisation(questionnaire, 0)

    assert benchmark.benchmark_for(open_assessment) == before
    assert live.live_report(open_assessment).benchmark == before


def test_a_new_release_needs_a_day_and_three_new_organisations(open_assessment):
    questionnaire = open_assessment.questionnaire
    for _ in range(5):
        closed_organisation(questionnaire, 4)
    release = BenchmarkRelease.objects.get()
    later = release.released_at + timedelta(days=1)
    for _ in range(2):
        closed_organisation(questionnaire, 0)
    assert benchmark.release_benchmark(now=later) is None

    closed_organisation(questionnaire, 0)
    assert benchmark.release_benchmark(now=release.released_at + timedelta(hours=23)) is None
    newer = benchmark.release_benchmark(now=later)

    assert newer.organisations == 8
    assert benchmark.benchmark_for(open_assessment).pillars["data"] == pytest.approx(500 / 8)


def test_an_assessment_with_fewer_respondents_than_the_threshold_never_enters(open_assessment):
    questionnaire = open_assessment.questionnaire
    small = closed_organisation(questionnaire, 0, people=2)
    for _ in range(5):
        closed_organisation(questionnaire, 4)

    release = BenchmarkRelease.objects.get()

    assert small.organisation_id not in {entry[0] for entry in release.entries}
    assert benchmark.benchmark_for(open_assessment).pillars["data"] == 100.0

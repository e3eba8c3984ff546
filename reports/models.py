"""What the reports keep between requests: rendered PDFs and the consultant's live figures.

Both are caches keyed by a fingerprint of every input (`reports.fingerprints`): new data
gives a new fingerprint, so a stale entry is never read, only left behind until the next
entry of the same assessment replaces it. They live in the database, which every app
container shares, never in process memory.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment


class RenderedReport(models.Model):
    """A PDF report as it was rendered, served again while its inputs stay the same."""

    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    draft = models.BooleanField(_("live draft"), default=False)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("PDF"))
    created_at = models.DateTimeField(_("rendered"), auto_now_add=True)

    class Meta:
        verbose_name = _("rendered report")
        verbose_name_plural = _("rendered reports")

    def __str__(self):
        return self.filename


class LiveFigures(models.Model):
    """A consultant's live results of an assessment (`scoring.to_data` of the Report), so
    that looking again does not score every answer again."""

    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    report = models.JSONField(_("report"))
    created_at = models.DateTimeField(_("computed"), auto_now_add=True)

    class Meta:
        verbose_name = _("live figures")
        verbose_name_plural = _("live figures")

    def __str__(self):
        return f"{self.assessment_id} · {self.created_at:%Y-%m-%d %H:%M}"


class ResultHeadline(models.Model):
    """The few figures a list shows of one assessment's results: verdict, readiness index,
    riskiest pillar and the maturity of each pillar.

    Read by the portfolio and the organisation page for hundreds of assessments at once,
    from small columns, without parsing a stored report or scoring anything. `source` says
    which results: "live" (the consultant's, every submitted response) or "snapshot:<id>"
    (a publication, which never changes). A live headline carries `basis`, what its figures
    rest on (`reports.headlines.live_basis`): the lists compare it with the responses as
    they are now and score again only the assessments that changed.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("results"), max_length=40)
    basis = models.CharField(_("basis"), max_length=100, blank=True)
    respondents = models.PositiveIntegerField(_("respondents"))
    verdict = models.CharField(_("verdict"), max_length=30, blank=True)
    overall_index = models.FloatField(_("readiness index"), null=True, blank=True)
    riskiest_pillar = models.SlugField(_("riskiest pillar"), max_length=40, blank=True)
    riskiest_name = models.CharField(_("riskiest pillar's name"), max_length=120, blank=True)
    riskiest_band = models.CharField(_("riskiest pillar's band"), max_length=20, blank=True)
    riskiest_maturity = models.FloatField(_("riskiest pillar's maturity"), null=True, blank=True)
    pillars = models.JSONField(
        _("pillars"), default=list, blank=True, help_text=_("[code, name, maturity or null]")
    )
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "source"], name="one_headline_per_source")
        ]
        verbose_name = _("result headline")
        verbose_name_plural = _("result headlines")

    def __str__(self):
        return f"{self.assessment_id} · {self.source}: {self.verdict or '—'}"

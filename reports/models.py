"""What the reports keep between requests: rendered PDFs.

A rendered PDF is cached under a fingerprint of every input (`reports.fingerprints`): new
data gives a new fingerprint, so a stale copy is never read, only left behind until the
next one of the same assessment replaces it. It lives in the database, which every app
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

"""The audit log: one function writes it, so every event has the same shape."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent, Organisation, User


def record(
    action: AuditEvent.Action,
    *,
    actor: User | None,
    organisation: Organisation | None = None,
    subject: models.Model | None = None,
    **detail,
) -> AuditEvent:
    """Write one audit event. `detail` holds what a reader needs, never personal data."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=organisation,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        detail=detail,
    )


def events_about(subject: models.Model, action: AuditEvent.Action):
    return AuditEvent.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        action=action,
    )

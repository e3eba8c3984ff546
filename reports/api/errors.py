"""Every error of the API as `{"detail": "…", "code": "…"}`, with the fields at fault when
the request was invalid."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


def handle(exc, context):
    if isinstance(exc, PermissionDenied):
        # The gate raises it bare: a member whose role does not reach this endpoint.
        exc = exceptions.PermissionDenied(
            _("Your role in this organisation does not give access to this.")
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        detail = data["detail"]
        response.data = {"detail": str(detail), "code": getattr(detail, "code", "error")}
    else:
        response.data = {
            "detail": _("The request is not valid."),
            "code": "invalid",
            "errors": data,
        }
    return response

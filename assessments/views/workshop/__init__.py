"""Live workshops: the consultant's presenter screen (`presenter`), and the participants'
phones (`room`).

The presenter pages go through the one access gate (consultants only). Participants have
no account: a signed cookie, scoped to the session's join URL, remembers them on their
device. Both screens poll small fragments with htmx; each fragment carries an ETag of what
it shows, and the poll answers 304 while nothing changed (one or two queries).
"""

from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control


def not_modified_or(request, etag: str, render_response):
    """304 when the page already shows this ETag; otherwise the fragment, carrying it."""
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = render_response()
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response

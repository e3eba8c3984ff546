from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    """Liveness for load balancers: the process answers. No database, no template."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def ready(request):
    """Readiness for container checks: the database answers too (503 while it does not)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")

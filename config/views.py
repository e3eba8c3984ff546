from django.http import HttpResponse


def health(request):
    """Liveness for load balancers and container checks: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")

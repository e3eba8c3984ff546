"""Pages seen while signed in are never kept by a browser or a proxy."""

from django.utils.cache import patch_cache_control


def private_signed_in_pages(get_response):
    """`Cache-Control: private, no-store` on every response to a signed-in user.

    Dashboards, assessment pages, the portfolio and exports show an organisation's results:
    a shared computer's back button or disk cache, or a proxy, must not keep them after the
    user signed out. A view that sets its own Cache-Control (the workshop's polled fragments,
    which revalidate by ETag) keeps it.
    """

    def middleware(request):
        response = get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware

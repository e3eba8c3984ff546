"""Pages seen while signed in: never kept by a browser or a proxy, and in the language the
person chose."""

from django.utils import translation
from django.utils.cache import patch_cache_control


def signed_in_language(get_response):
    """A signed-in person's chosen language before the browser's: it follows them from one
    device to another. Without a choice, Django's LocaleMiddleware has decided (the switch's
    cookie, then the browser's Accept-Language)."""

    def middleware(request):
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return get_response(request)

    return middleware


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

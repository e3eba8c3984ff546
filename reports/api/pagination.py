"""Every list of the API in pages: `?page=2&page_size=100`."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = _("There is no page {page_number}: {message}")

    def paginate_queryset(self, queryset, request, view=None):
        # A page number that is not one is the caller's mistake (400); a page past the last
        # is a page that does not exist (404, from PageNumberPagination). Both say which.
        number = request.query_params.get(self.page_query_param, "1")
        if not PAGE_NUMBER.fullmatch(number):
            raise ValidationError(
                {self.page_query_param: [_("A page is a whole number from 1 on.")]}
            )
        return super().paginate_queryset(queryset, request, view)

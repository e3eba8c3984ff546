from django import forms
from django.utils.translation import gettext_lazy as _


class ShareCommentForm(forms.Form):
    """Share one comment with the client's management, or take it back."""

    answer = forms.IntegerField(min_value=1, error_messages={"required": _("Choose a comment.")})
    shared = forms.TypedChoiceField(
        choices=[("1", _("Share")), ("0", _("Stop sharing"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Choose whether to share the comment.")},
    )

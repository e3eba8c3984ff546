"""The portfolio's sortable column headings."""

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("reports/_sort_heading.html", takes_context=True)
def sort_heading(context, key: str, title: str, css_class: str = "", first: str = "asc"):
    """A column heading that sorts by `key`, and the other way on a second click. `first`:
    "desc" where the largest or latest should come first."""
    current = context["sort"]
    asc, desc = key, f"-{key}"
    if current == asc:
        following = desc
    elif current == desc:
        following = asc
    else:
        following = desc if first == "desc" else asc
    return {
        "request": context["request"],
        "asc": asc,
        "desc": desc,
        "next": following,
        "current": current,
        "title": title,
        "class": css_class,
    }


@register.filter
def get_item(mapping, key):
    """{{ counts|get_item:"ready" }}: a mapping's value for a key, None when absent."""
    return mapping.get(key)


@register.filter
def ago(moment) -> str:
    """How long ago, in words: "3 days ago", or "just now" within the minute."""
    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment)}

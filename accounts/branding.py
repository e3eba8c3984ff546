"""The consultancy's brand: its name, logo, colours and contact line, as the PDF report, the
e-mails, and the Word and PowerPoint files show them.

`brand()` reads the one `ConsultancyProfile` row at most once per request (or task): the
first call of a request reads it, later calls read memory. The memory is dropped when a
request or task starts and when the profile is saved, so app containers never show each
other a stale brand beyond the request in flight (nothing outlives a request in memory).
"""

import contextlib
import hashlib
from dataclasses import dataclass
from io import BytesIO

from asgiref.local import Local
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .colours import HEX_COLOUR, text_colour_on
from .models import DEFAULT_ACCENT, DEFAULT_PRIMARY, ConsultancyProfile

PRODUCT_NAME = "GenAI Readiness"
BRAND_PERMISSION = "accounts.change_consultancyprofile"

# A logo is a small picture: a cover shows it at most 60 mm wide (about 700 pixels at 300 dpi).
MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_SIDE = 1200
# Read by content, never by the file's name. SVG is refused: it may carry scripts and links.
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


@dataclass(frozen=True)
class Logo:
    content: bytes
    content_type: str  # image/png or image/jpeg

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()[:16]


@dataclass(frozen=True)
class Brand:
    """Colours are six hex digits without '#' ("1B3A6B"), as python-docx's and python-pptx's
    `RGBColor.from_string` take them. `name` is the consultancy's, "" when none is known."""

    name: str
    logo: Logo | None
    primary: str
    accent: str
    contact_line: str
    text_on_primary: str  # "FFFFFF" or "000000", whichever reads better on the colour
    text_on_accent: str

    @property
    def shown_name(self) -> str:
        """What a cover or an e-mail header names: the consultancy, or the product."""
        return self.name or PRODUCT_NAME

    @property
    def fingerprint(self) -> list:
        """Everything of the brand that a rendered file shows, for its cache key."""
        return [
            self.name,
            self.logo.digest if self.logo else "",
            self.primary,
            self.accent,
            self.contact_line,
        ]

    @property
    def logo_url(self) -> str:
        """The logo's public address, for e-mails; "" without a logo. The query changes with
        the logo, so a mail program's cache never shows the previous one."""
        if self.logo is None:
            return ""
        return f"{settings.SITE_URL}{reverse('accounts:brand_logo')}?v={self.logo.digest}"


def brand_of(profile: ConsultancyProfile | None) -> Brand:
    """The brand a profile sets; without one, the product's own look and CONSULTANCY_NAME."""
    if profile is None:
        primary, accent = DEFAULT_PRIMARY, DEFAULT_ACCENT
        name, contact_line, logo = settings.CONSULTANCY_NAME.strip(), "", None
    else:
        # Checked on every save through a form; a row written otherwise cannot put anything
        # but six hex digits into a style sheet.
        primary = (
            profile.primary_colour if HEX_COLOUR.match(profile.primary_colour) else DEFAULT_PRIMARY
        )
        accent = (
            profile.accent_colour if HEX_COLOUR.match(profile.accent_colour) else DEFAULT_ACCENT
        )
        name, contact_line = profile.name, profile.contact_line
        logo = Logo(bytes(profile.logo), profile.logo_type) if profile.logo else None
    return Brand(
        name=name,
        logo=logo,
        primary=primary,
        accent=accent,
        contact_line=contact_line,
        text_on_primary=text_colour_on(primary),
        text_on_accent=text_colour_on(accent),
    )


_per_request = Local()


def brand() -> Brand:
    """The consultancy's brand, read once per request or task."""
    try:
        return _per_request.brand
    except AttributeError:
        _per_request.brand = brand_of(ConsultancyProfile.objects.filter(pk=1).first())
        return _per_request.brand


def forget_brand(**signal_arguments) -> None:
    """Drop the brand read so far: the next `brand()` reads it again (also a signal receiver)."""
    with contextlib.suppress(AttributeError):
        del _per_request.brand


def save_consultancy_profile(*, profile: ConsultancyProfile) -> ConsultancyProfile:
    """Store the one profile (pk 1, whatever `profile` held) and show it from now on."""
    profile.pk = 1
    profile.save()
    forget_brand()
    return profile


def delete_consultancy_profile() -> None:
    """Back to the product's own look."""
    ConsultancyProfile.objects.filter(pk=1).delete()
    forget_brand()


def may_edit_brand(user) -> bool:
    """Platform staff and consultants holding the permission "Can change consultancy profile"
    (superusers hold every permission; others get it in the admin, under the user's
    permissions). Client managers never: the brand is the consultancy's, not a client's."""
    return (
        user.is_authenticated
        and (user.is_staff or user.is_consultant)
        and user.has_perm(BRAND_PERMISSION)
    )


def validated_logo(upload: UploadedFile) -> Logo:
    """The uploaded picture as a PNG or JPEG fit for a report's cover, or ValidationError.

    The type is read from the content by Pillow, not from the name or the browser's word.
    The image is drawn again into a new file of its format, so no metadata (a camera's
    location) and nothing hidden after the picture (a file that is also a script) is kept.
    """
    from PIL import Image, UnidentifiedImageError

    if upload.size > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is %(size)d KB; at most %(limit)d KB are taken."),
            code="too_large",
            params={"size": -(-upload.size // 1024), "limit": MAX_LOGO_BYTES // 1024},
        )
    not_an_image = ValidationError(
        _("The logo must be a PNG or JPEG image (SVG and other formats are refused)."),
        code="not_an_image",
    )
    content = upload.read()
    try:
        image = Image.open(BytesIO(content))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as error:
        raise not_an_image from error
    if image.format not in LOGO_FORMATS:
        raise not_an_image
    width, height = image.size
    if max(width, height) > MAX_LOGO_SIDE:
        raise ValidationError(
            _("The logo is %(width)d × %(height)d pixels; at most %(limit)d on each side."),
            code="too_many_pixels",
            params={"width": width, "height": height, "limit": MAX_LOGO_SIDE},
        )
    redrawn = BytesIO()
    try:
        # verify() refuses a file cut short even where WeasyPrint (imported for a PDF) told
        # Pillow to load truncated images; it spends the image, so it is opened again.
        image.verify()
        image = Image.open(BytesIO(content))
        image.load()
        # "keep": a JPEG keeps its own quality, rather than Pillow's default of 75.
        options = {"optimize": True} if image.format == "PNG" else {"quality": "keep"}
        image.save(redrawn, format=image.format, **options)
    except (OSError, ValueError, SyntaxError) as error:  # a truncated or corrupt file
        raise not_an_image from error
    return Logo(redrawn.getvalue(), LOGO_FORMATS[image.format])

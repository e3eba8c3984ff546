"""The consultancy's brand: its checks, who may set it, what it reads, and the e-mails."""

from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts import services
from accounts.branding import (
    MAX_LOGO_BYTES,
    PRODUCT_NAME,
    Brand,
    brand,
    may_edit_brand,
    save_consultancy_profile,
)
from accounts.colours import contrast_ratio, text_colour_on
from accounts.forms import ConsultancyProfileForm
from accounts.models import ConsultancyProfile, Role
from tests.conftest import logged_in
from tests.factories import UserFactory
from tests.mails import html_of

pytestmark = pytest.mark.django_db

BRAND_URL = "/settings/branding/"
LOGO_URL = "/brand/logo/"
VALID = {
    "name": "Initrode Consulting",
    "contact_line": "readiness@initrode.example · +41 44 123 45 67",
    "primary_colour": "#0f5e4e",
    "accent_colour": "#c8691c",
}


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (300, 80), **options) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (15, 94, 78)).save(buffer, format=image_format, **options)
    return buffer.getvalue()


def upload(content: bytes, name: str = "logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def form_with(logo: bytes | None = None, **changes) -> ConsultancyProfileForm:
    files = {"logo_file": upload(logo)} if logo is not None else {}
    return ConsultancyProfileForm({**VALID, **changes}, files, instance=ConsultancyProfile(name=""))


def errors_of(form: ConsultancyProfileForm) -> dict[str, list[str]]:
    assert not form.is_valid()
    return dict(form.errors)


@pytest.fixture
def initrode():
    """A profile with a PNG logo, saved as the settings page saves it."""
    form = form_with(image_bytes())
    assert form.is_valid(), form.errors
    return form.save()


# Colours


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [("000000", "FFFFFF", 21.0), ("FFFFFF", "FFFFFF", 1.0), ("1B3A6B", "FFFFFF", 11.27)],
)
def test_contrast_ratio_follows_wcag(first, second, ratio):
    assert round(contrast_ratio(first, second), 2) == ratio


def test_text_on_a_colour_is_white_or_black_whichever_reads_better():
    assert [text_colour_on(colour) for colour in ["1B3A6B", "3D7BE0", "FFD700"]] == [
        "FFFFFF",
        "000000",
        "000000",
    ]


# The form: colours


def test_colours_are_kept_as_six_upper_case_digits():
    form = form_with()

    assert form.is_valid(), form.errors
    profile = form.save()
    assert (profile.primary_colour, profile.accent_colour) == ("0F5E4E", "C8691C")


@pytest.mark.parametrize("colour", ["red", "#12345", "#12345G", ""])
def test_a_colour_that_is_not_six_hex_digits_is_refused(colour):
    assert errors_of(form_with(primary_colour=colour))["primary_colour"] in (
        ["Enter a colour as six hexadecimal digits, e.g. #1B3A6B."],
        ["This field is required."],
    )


def test_a_primary_colour_too_light_for_text_is_refused_with_its_contrast():
    assert errors_of(form_with(primary_colour="#777777"))["primary_colour"] == [
        "This colour is too light: white text on it and it as text on white would contrast "
        "only 4.4:1, and at least 4.5:1 is needed to be read. Choose a darker one."
    ]


def test_an_accent_too_light_for_a_rule_on_white_is_refused():
    assert errors_of(form_with(accent_colour="#FFD700"))["accent_colour"] == [
        "This colour is too light: its rules and borders on white would contrast only 1.4:1, "
        "and at least 3:1 is needed to be read. Choose a darker one."
    ]


def test_the_products_own_colours_pass_their_checks():
    form = form_with(primary_colour="#1B3A6B", accent_colour="#3D7BE0")

    assert form.is_valid(), form.errors


# The form: the logo


@pytest.mark.parametrize(
    ("image_format", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")]
)
def test_a_png_or_jpeg_logo_is_stored_with_its_type(image_format, content_type):
    form = form_with(image_bytes(image_format))

    assert form.is_valid(), form.errors
    profile = form.save()
    assert profile.logo_type == content_type
    assert Image.open(BytesIO(bytes(profile.logo))).format == image_format


def test_the_logo_type_is_read_from_the_content_not_the_name():
    form = ConsultancyProfileForm(
        VALID,
        {"logo_file": SimpleUploadedFile("logo.svg", image_bytes("JPEG"), "image/svg+xml")},
        instance=ConsultancyProfile(),
    )

    assert form.is_valid(), form.errors
    assert form.save().logo_type == "image/jpeg"


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        image_bytes("GIF"),
        b"\x89PNG\r\n\x1a\n but not a picture",
        image_bytes()[:200],  # cut short
        image_bytes("JPEG")[:300],
        b"",
    ],
    ids=["svg", "gif", "png-signature-only", "truncated-png", "truncated-jpeg", "empty"],
)
def test_anything_but_a_whole_png_or_jpeg_is_refused(content):
    assert errors_of(form_with(content))["logo_file"] in (
        ["The logo must be a PNG or JPEG image (SVG and other formats are refused)."],
        ["The submitted file is empty."],
    )


def test_a_logo_above_the_size_limit_is_refused():
    content = image_bytes() + b"\0" * MAX_LOGO_BYTES

    assert errors_of(form_with(content))["logo_file"] == [
        f"The logo is {-(-len(content) // 1024)} KB; at most 512 KB are taken."
    ]


def test_a_logo_above_the_pixel_limit_is_refused():
    assert errors_of(form_with(image_bytes(size=(1201, 40))))["logo_file"] == [
        "The logo is 1201 × 40 pixels; at most 1200 on each side."
    ]


def test_the_stored_logo_keeps_neither_metadata_nor_what_follows_the_picture():
    exif = Image.Exif()
    exif[0x010E] = "GPS of the office"  # ImageDescription
    content = image_bytes("JPEG", exif=exif.tobytes()) + b"<script>alert(1)</script>"

    form = form_with(content)

    assert form.is_valid(), form.errors
    stored = bytes(form.save().logo)
    assert b"GPS of the office" not in stored
    assert b"<script>" not in stored


def test_removing_the_logo_clears_it(initrode):
    form = ConsultancyProfileForm({**VALID, "remove_logo": "on"}, instance=initrode)

    assert form.is_valid(), form.errors
    form.save()
    assert ConsultancyProfile.objects.get().logo is None
    assert brand().logo is None


# brand()


def test_without_a_profile_the_brand_is_the_products_own(settings):
    settings.CONSULTANCY_NAME = ""

    assert brand() == Brand(
        name="",
        logo=None,
        primary="1B3A6B",
        accent="3D7BE0",
        contact_line="",
        text_on_primary="FFFFFF",
        text_on_accent="000000",
    )
    assert brand().shown_name == PRODUCT_NAME


def test_without_a_profile_the_brand_is_named_by_consultancy_name(settings):
    settings.CONSULTANCY_NAME = "Initrode Consulting"

    assert (brand().name, brand().primary) == ("Initrode Consulting", "1B3A6B")


def test_a_profile_sets_the_brand(initrode):
    current = brand()

    assert (current.name, current.primary, current.accent, current.contact_line) == (
        "Initrode Consulting",
        "0F5E4E",
        "C8691C",
        "readiness@initrode.example · +41 44 123 45 67",
    )
    assert (current.logo.content_type, current.logo.content) == ("image/png", bytes(initrode.logo))
    assert (current.text_on_primary, current.text_on_accent) == ("FFFFFF", "000000")


def test_a_colour_written_around_the_checks_never_reaches_a_style_sheet():
    # Six characters, as the column holds: not hex, so never written into CSS.
    ConsultancyProfile.objects.create(pk=1, name="Initrode", primary_colour="r;}</>")

    assert brand().primary == "1B3A6B"


def test_the_brand_is_read_once_and_read_again_after_a_save(initrode, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert brand().name == "Initrode Consulting"
        assert brand().name == "Initrode Consulting"

    initrode.name = "Initrode Partners"
    save_consultancy_profile(profile=initrode)

    assert brand().name == "Initrode Partners"


def test_a_request_reads_the_brand_once_however_often_it_is_used(
    client, initrode, django_assert_num_queries
):
    brand()  # read before the request: each request reads it afresh

    with django_assert_num_queries(1):
        response = client.get(LOGO_URL)

    assert response.status_code == 200


def test_there_is_one_profile_at_most(initrode):
    second = ConsultancyProfile(name="Another firm")

    save_consultancy_profile(profile=second)

    assert list(ConsultancyProfile.objects.values_list("pk", "name")) == [(1, "Another firm")]


# Who may set it


@pytest.fixture
def brand_keeper(consultant):
    """A consultant given the right in the admin."""
    consultant.user_permissions.add(Permission.objects.get(codename="change_consultancyprofile"))
    return consultant


def test_a_superuser_and_a_consultant_with_the_right_may_set_the_brand(brand_keeper):
    superuser = UserFactory(is_staff=True, is_superuser=True)

    assert [may_edit_brand(user) for user in (superuser, brand_keeper)] == [True, True]


def test_a_client_manager_may_not_even_with_the_permission(manager):
    manager.user_permissions.add(Permission.objects.get(codename="change_consultancyprofile"))

    assert may_edit_brand(manager) is False


def test_a_consultant_with_the_right_sets_the_brand_on_its_page(brand_keeper):
    client = logged_in(brand_keeper)

    page = client.get(BRAND_URL)
    saved = client.post(BRAND_URL, {**VALID, "logo_file": upload(image_bytes())})

    assert page.status_code == 200
    assert saved.status_code == 302
    assert ConsultancyProfile.objects.get().name == "Initrode Consulting"
    assert brand().logo.content_type == "image/png"


def test_the_page_says_what_is_wrong_with_a_400(brand_keeper):
    response = logged_in(brand_keeper).post(BRAND_URL, {**VALID, "primary_colour": "#eeeeee"})

    assert response.status_code == 400
    assert "This colour is too light" in response.content.decode()
    assert not ConsultancyProfile.objects.exists()


@pytest.mark.parametrize("who", ["consultant", "manager", "outsider", "staff"])
def test_anyone_without_the_right_gets_403(request, who):
    response = logged_in(request.getfixturevalue(who)).get(BRAND_URL)

    assert response.status_code == 403


def test_a_visitor_without_an_account_is_asked_to_log_in(client):
    """Respondents answer through links and have no account: they meet the login page."""
    response = client.post(BRAND_URL, VALID)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not ConsultancyProfile.objects.exists()


def test_staff_set_the_brand_in_the_admin_with_the_same_checks(admin_client):
    add = reverse("admin:accounts_consultancyprofile_add")

    refused = admin_client.post(add, {**VALID, "accent_colour": "#ffffff"})
    saved = admin_client.post(add, VALID)

    assert "This colour is too light" in refused.content.decode()
    assert saved.status_code == 302
    assert ConsultancyProfile.objects.get().pk == 1
    assert admin_client.get(add).status_code == 403  # one profile at most


# The logo's address


def test_the_logo_is_served_publicly_with_its_type_and_a_day_of_caching(client, initrode):
    response = client.get(LOGO_URL)

    assert response.content == bytes(initrode.logo)
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert client.get(LOGO_URL, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_without_a_logo_its_address_is_404(client):
    assert client.get(LOGO_URL).status_code == 404


# E-mails


@pytest.fixture
def invitation_mail(mailoutbox, organisation, consultant, initrode, settings):
    settings.SITE_URL = "https://readiness.example.com"
    consultant.name = "Alice Smith"
    consultant.save()
    services.invite_member(
        organisation=organisation,
        email="dana@example.org",
        role=Role.MANAGER,
        invited_by=consultant,
    )
    return mailoutbox[0]


def test_an_email_shows_the_logo_named_by_the_consultancy(invitation_mail):
    html = invitation_mail.alternatives[0][0]

    logo_src = f"https://readiness.example.com/brand/logo/?v={brand().logo.digest}"
    assert f'<img src="{logo_src}" alt="Initrode Consulting"' in html
    assert "background-color:#0F5E4E" in html  # the button


def test_an_email_is_sent_in_the_consultancys_name_with_its_contact_line(invitation_mail):
    contact = "Initrode Consulting · readiness@initrode.example · +41 44 123 45 67"

    assert invitation_mail.from_email.startswith('"Alice Smith, Initrode Consulting via')
    assert invitation_mail.body.endswith(f"you can ignore it.\n{contact}\n")
    assert html_of(invitation_mail).blocks[-1] == contact


def test_without_a_profile_an_email_has_the_products_header(
    mailoutbox, organisation, consultant, settings
):
    settings.CONSULTANCY_NAME = ""
    services.invite_member(
        organisation=organisation,
        email="dana@example.org",
        role=Role.MANAGER,
        invited_by=consultant,
    )

    html = mailoutbox[0].alternatives[0][0]
    assert html_of(mailoutbox[0]).blocks[1] == "GenAI Readiness"
    assert "background-color:#1B3A6B" in html
    assert "<img" not in html

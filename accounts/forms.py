from email.utils import getaddresses

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .branding import MAX_LOGO_BYTES, MAX_LOGO_SIDE, save_consultancy_profile, validated_logo
from .colours import HEX_COLOUR, normalised_hex
from .models import ApiToken, ConsultancyProfile, Organisation, Role, User
from .validators import hex_colour, no_control_characters


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector", "size_band", "country"]


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]


ROLE_EXPLAINED = {
    Role.MANAGER: _(
        "Client manager: sees the published results of this organisation (group figures, never "
        "a person's answers) and may invite other client managers."
    ),
    Role.CONSULTANT: _(
        "Consultant: full access. Sets up assessments, invites respondents, sees who has "
        "answered and the live figures."
    ),
}


def address_of(entry: str) -> str:
    """The one e-mail address in `entry`, as a mail program copies it: a plain address,
    `Maria Keller <maria@client.example>` or `"Keller, Maria" <maria@client.example>`.

    Raises ValidationError for anything else (no address, two addresses, stray text).
    """
    entry = entry.strip()
    found = getaddresses([entry])
    if len(found) != 1 or not found[0][1] or ("<" in entry) != entry.endswith(">"):
        raise ValidationError(_("Enter one e-mail address, e.g. maria@client.example."))
    address = found[0][1].strip()
    validate_email(address)
    return address.lower()


class InvitationForm(forms.Form):
    """Invite a member. The role has no default: giving someone full access is a choice."""

    # Text, not type="email": a browser would refuse "Maria Keller <maria@client.example>",
    # which the respondent invitation form takes as well.
    email = forms.CharField(
        label=_("E-mail address"),
        max_length=320,
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "off"}),
        help_text=_("An address, or a name and address as your mail program copies them."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the role this person gets.")},
    )

    def __init__(self, *args, roles: list[Role], organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["role"].choices = [(role.value, ROLE_EXPLAINED[role]) for role in roles]
        if len(roles) == 1:
            # The only role on offer needs no choosing.
            self.fields["role"].initial = roles[0].value
            self.fields["role"].widget = forms.HiddenInput()

    def clean_email(self):
        email = address_of(self.cleaned_data["email"])
        if self.organisation.memberships.filter(user__email=email).exists():
            raise forms.ValidationError(_("This person is already a member."))
        return email


class AcceptInvitationForm(forms.Form):
    """Set a name and password for a new account created from an invitation."""

    name = forms.CharField(label=_("Your name"), max_length=150, validators=[no_control_characters])
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", _("The two passwords differ."))
            else:
                try:
                    password_validation.validate_password(
                        password1, User(email=self.email, name=cleaned.get("name", ""))
                    )
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class HexColourField(forms.CharField):
    """A colour picker; '#1b3a6b' comes in and is kept as '1B3A6B'."""

    widget = forms.TextInput(attrs={"type": "color"})

    def __init__(self, *, max_length=None, **kwargs):
        # "#1b3a6b" is seven characters: the length is checked as six digits, below.
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalised_hex(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        hex_colour(value)

    def prepare_value(self, value):
        return f"#{value.lower()}" if value and HEX_COLOUR.match(value) else value


class ConsultancyProfileForm(forms.ModelForm):
    """The consultancy's brand: the colours are checked for contrast by the model's
    validators, the logo by its content (`branding.validated_logo`)."""

    logo_file = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("PNG or JPEG, at most %(size)d KB and %(side)d pixels on each side.")
        % {"size": MAX_LOGO_BYTES // 1024, "side": MAX_LOGO_SIDE},
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = ConsultancyProfile
        fields = ["name", "contact_line", "primary_colour", "accent_colour"]
        field_classes = {"primary_colour": HexColourField, "accent_colour": HexColourField}

    def clean_logo_file(self):
        upload = self.cleaned_data["logo_file"]
        return validated_logo(upload) if upload else None

    def save(self, commit=True):
        """The profile with its logo replaced or removed, stored as the one profile."""
        profile = super().save(commit=False)
        if logo := self.cleaned_data.get("logo_file"):
            profile.logo, profile.logo_type = logo.content, logo.content_type
        elif self.cleaned_data.get("remove_logo"):
            profile.logo, profile.logo_type = None, ""
        return save_consultancy_profile(profile=profile) if commit else profile


class ProfileForm(forms.ModelForm):
    """What a signed-in person says of themselves: their name and the language they read."""

    class Meta:
        model = User
        fields = ["name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language in its own name, as the switch at the top of the page shows it.
        self.fields["language"].choices = [("", _("My browser's language"))] + [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]

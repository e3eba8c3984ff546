from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import activate, get_language_from_request, gettext_lazy
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_http_methods, require_POST

from . import api_tokens as tokens
from . import opt_out as opting_out
from . import services
from .access import CONSULTANTS, MANAGERS_OF_PEOPLE, organisation_view
from .branding import brand, may_edit_brand
from .forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    ConsultancyProfileForm,
    InvitationForm,
    OrganisationForm,
    ProfileForm,
)
from .models import ConsultancyProfile, Role, User

INVITATION_PROBLEMS = {
    "invalid": gettext_lazy(
        "This invitation link is not valid. Check that you copied the whole link."
    ),
    "used": gettext_lazy("This invitation has already been used. Log in to continue."),
    "revoked": gettext_lazy(
        "This invitation was withdrawn. Ask the person who invited you for a new one."
    ),
    "expired": gettext_lazy(
        "This invitation has expired. Ask the person who invited you for a new one."
    ),
}


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Sends reset e-mails within the limits of `services.password_reset_allowed`.

    The page that follows is the same whether an e-mail went out or not, so that nobody
    learns whether an address has an account or was throttled.
    """

    def form_valid(self, form):
        allowed = services.password_reset_allowed(
            email=form.cleaned_data["email"], ip_address=get_client_ip_address(self.request)
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


@login_required
def organisation_create(request):
    if not (request.user.is_staff or request.user.is_consultant):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if form.is_valid():
        organisation = services.create_organisation(created_by=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s was created.") % {"name": organisation.name})
        return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form})


@organisation_view(roles=CONSULTANTS)
def organisation_edit(request, access):
    form = OrganisationForm(request.POST or None, instance=access.organisation)
    if form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(access.organisation)
    return render(request, "accounts/organisation_form.html", {"form": form, "access": access})


@organisation_view(roles=MANAGERS_OF_PEOPLE)
def members(request, access):
    organisation = access.organisation
    return render(
        request,
        "accounts/members.html",
        {
            "access": access,
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user"),
            "invitations": organisation.invitations.pending().select_related("invited_by"),
        },
    )


@organisation_view(roles=MANAGERS_OF_PEOPLE)
def invite(request, access):
    form = InvitationForm(
        request.POST or None, roles=access.invitable_roles, organisation=access.organisation
    )
    if form.is_valid():
        invitation = services.invite_member(
            organisation=access.organisation,
            email=form.cleaned_data["email"],
            role=Role(form.cleaned_data["role"]),
            invited_by=request.user,
        )
        messages.success(
            request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
        )
        return redirect("accounts:members", slug=access.organisation.slug)
    return render(request, "accounts/invite.html", {"form": form, "access": access})


@organisation_view(roles=MANAGERS_OF_PEOPLE)
def revoke_invitation(request, access, pk):
    invitation = get_object_or_404(access.organisation.invitations, pk=pk)
    # A client manager withdraws manager invitations only, never a consultant's.
    if invitation.role not in access.invitable_roles:
        raise PermissionDenied
    if request.method != "POST":
        return render(
            request,
            "accounts/revoke_invitation.html",
            {"access": access, "invitation": invitation},
        )
    services.revoke_invitation(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("accounts:members", slug=access.organisation.slug)


def accept_invitation(request, token):
    """Open an invitation link: set a password (new account), or join with the current account."""
    try:
        invitation = services.find_invitation(token)
    except services.InvitationError as problem:
        status = 404 if problem.reason == "invalid" else 410
        return render(
            request,
            "accounts/invitation_problem.html",
            {"message": INVITATION_PROBLEMS[problem.reason], "reason": problem.reason},
            status=status,
        )

    if request.user.is_authenticated:
        return _accept_as_current_user(request, invitation)
    if User.objects.filter(email=invitation.email).exists():
        messages.info(request, _("You already have an account: log in to accept the invitation."))
        return redirect_to_login(request.get_full_path())

    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if form.is_valid():
        user = services.register_and_accept(
            invitation=invitation,
            name=form.cleaned_data["name"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation})
        return redirect(invitation.organisation)
    return render(
        request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form}
    )


def _accept_as_current_user(request, invitation):
    if request.user.email != invitation.email:
        return render(
            request,
            "accounts/invitation_problem.html",
            {
                "message": _(
                    "This invitation is for %(invitee)s, but you are logged in as %(user)s. "
                    "Log out, then open the link again."
                )
                % {"invitee": invitation.email, "user": request.user.email},
                "reason": "other_account",
            },
            status=403,
        )
    if request.method == "POST":
        membership = services.accept_invitation(invitation=invitation, user=request.user)
        messages.success(request, _("You joined %(name)s.") % {"name": invitation.organisation})
        return redirect(membership.organisation)
    return render(request, "accounts/accept_invitation.html", {"invitation": invitation})


@require_POST
def choose_language(request):
    """The language switch on every page: remembered in a cookie, and on the profile of a
    signed-in person so that it follows them to another browser."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """The switch's cookie, as Django's `set_language` sets it, so that pages after signing
    out stay in the chosen language; none when the browser's language is the choice."""
    if not language:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if form.is_valid():
        user = form.save()
        activate(user.language or get_language_from_request(request))
        messages.success(request, _("Your profile is saved."))
        return _remember_language(redirect("accounts:profile"), user.language)
    return render(
        request, "accounts/profile.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def branding(request):
    """The consultancy's name, logo, colours and contact line (see branding.may_edit_brand)."""
    if not may_edit_brand(request.user):
        raise PermissionDenied
    profile = ConsultancyProfile.objects.filter(pk=1).first() or ConsultancyProfile(
        name=brand().name
    )
    form = ConsultancyProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved: new reports and e-mails show the brand."))
        return redirect("accounts:branding")
    return render(
        request,
        "accounts/branding.html",
        {"form": form, "brand": brand(), "profile": profile},
        status=400 if form.is_bound else 200,
    )


@login_required
def api_tokens(request):
    """The signed-in person's API tokens: make a named one (its key shown once), list them."""
    form = ApiTokenForm(request.POST or None)
    key = None
    if form.is_valid():
        _, key = tokens.create_api_token(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "key": key, "tokens": request.user.api_tokens.all()},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def revoke_api_token(request, pk):
    """Revoke one of one's own tokens (another person's is a 404), after asking."""
    token = get_object_or_404(request.user.api_tokens.active(), pk=pk)
    if request.method != "POST":
        return render(request, "accounts/revoke_api_token.html", {"token": token})
    tokens.revoke_api_token(token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")


def _logo_etag(request):
    logo = brand().logo
    return logo.digest if logo else None


@condition(etag_func=_logo_etag)
def brand_logo(request):
    """The consultancy's logo for e-mails and pages; public, as any letterhead is."""
    logo = brand().logo
    if logo is None:
        raise Http404
    response = HttpResponse(logo.content, content_type=logo.content_type)
    # A day: an e-mail opened tomorrow shows a logo changed today.
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


# No CSRF token: a mail program's one-click unsubscribe (RFC 8058) POSTs to the link without
# a form or cookies. The signed link is the proof, and it changes nothing but this opt-out.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def opt_out(request, token):
    """Turn an optional e-mail off for its receiver: GET asks (mail scanners open links),
    POST does it. No login: the link in the e-mail is signed for its kind and receiver."""
    try:
        kind, hashed_address = opting_out.read_opt_out_link(token)
    except opting_out.InvalidOptOutLink:
        return render(request, "accounts/opt_out_invalid.html", status=400)
    done = request.method == "POST"
    if done:
        opting_out.opt_out(kind=kind, hashed_address=hashed_address)
    return render(request, "accounts/opt_out.html", {"kind": kind, "done": done})

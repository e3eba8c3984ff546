from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from . import views
from .forms import EmailAuthenticationForm

app_name = "accounts"

auth_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        views.ThrottledPasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]

urlpatterns = [
    path("accounts/", include(auth_patterns)),
    path("settings/branding/", views.branding, name="branding"),
    path("settings/profile/", views.profile, name="profile"),
    path("language/", views.choose_language, name="language"),
    path("brand/logo/", views.brand_logo, name="brand_logo"),
    path("settings/api-tokens/", views.api_tokens, name="api_tokens"),
    path("settings/api-tokens/<int:pk>/revoke/", views.revoke_api_token, name="revoke_api_token"),
    # The one-click opt-out of an optional e-mail: no login, the link is signed.
    path("mail/stop/<str:token>/", views.opt_out, name="opt_out"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("o/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("o/<slug:slug>/members/", views.members, name="members"),
    path("o/<slug:slug>/members/invite/", views.invite, name="invite"),
    path(
        "o/<slug:slug>/invitations/<int:pk>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
]

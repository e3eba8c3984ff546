from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import api_tokens, services
from .branding import delete_consultancy_profile, save_consultancy_profile
from .forms import ConsultancyProfileForm
from .models import (
    ApiToken,
    AuditEvent,
    ConsultancyProfile,
    Invitation,
    MailOptOut,
    Membership,
    Organisation,
    PasswordResetRequest,
    User,
)


class MembershipInline(admin.TabularInline):
    """Read only here: roles change in the membership admin, which logs every change."""

    model = Membership
    extra = 0
    fields = ["user", "organisation", "role"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_consultant", "is_staff", "is_active", "last_login"]
    list_filter = ["is_consultant", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_consultant",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sector", "size_band", "country", "created_at"]
    list_filter = ["sector", "size_band"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    # Through the services, so that every role change lands in the audit log.
    def save_model(self, request, obj, form, change):
        services.save_membership(membership=obj, by=request.user)

    def delete_model(self, request, obj):
        services.remove_membership(membership=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("organisation"):
            services.remove_membership(membership=membership, by=request.user)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["token_hash", "created_at", "accepted_at"]


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(admin.ModelAdmin):
    """Kept an hour to throttle reset e-mails; staff may look, nobody edits."""

    list_display = ["created_at", "ip_address"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MailOptOut)
class MailOptOutAdmin(admin.ModelAdmin):
    """Receivers who turned an optional e-mail off, by a hash of their address: the link in
    the e-mail is the only way in; deleting a row turns the e-mail on again."""

    list_display = ["kind", "created_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """People's API tokens: made by each person on their settings page (the key is shown to
    them alone); staff may revoke a leaked one here."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__email", "prefix"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.active():
            api_tokens.revoke_api_token(token=token)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, for staff: read only, never changed or deleted from here."""

    list_display = ["at", "action", "actor", "organisation", "subject_type", "subject_id"]
    list_filter = ["action"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsultancyProfile)
class ConsultancyProfileAdmin(admin.ModelAdmin):
    """The consultancy's brand; the same form and checks as its page in the app."""

    form = ConsultancyProfileForm
    list_display = ["name", "primary_colour", "accent_colour", "updated_at"]
    readonly_fields = ["current_logo"]

    @admin.display(description=_("current logo"))
    def current_logo(self, obj):
        if not obj.logo:
            return _("none")
        return format_html('<img src="{}" alt="" height="48">', reverse("accounts:brand_logo"))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ConsultancyProfile.objects.exists()

    def save_model(self, request, obj, form, change):
        save_consultancy_profile(profile=obj)

    def delete_model(self, request, obj):
        delete_consultancy_profile()

    def delete_queryset(self, request, queryset):
        delete_consultancy_profile()

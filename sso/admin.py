from django.contrib import admin

from .models import OidcIdentity


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    """Installation administrators see which provider account logs in as whom, and can unlink one (delete)."""

    list_display = ("user", "issuer", "subject", "created_at", "last_login_at")
    search_fields = ("user__username", "user__email", "subject")
    list_select_related = ("user",)
    readonly_fields = ("user", "issuer", "subject", "created_at", "last_login_at")

    def has_add_permission(self, request) -> bool:
        return False  # made by a login, never by hand

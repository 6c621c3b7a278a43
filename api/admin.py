from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import PersonalAccessToken


@admin.register(PersonalAccessToken)
class PersonalAccessTokenAdmin(admin.ModelAdmin):
    """Installation administrators see every token (never the token itself, which is not stored) and may revoke
    one, for example of someone who has left; nobody makes a token here for another user."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Trekk tilbake valgte nøkler"))
    def revoke(self, request, queryset):
        done = sum(token.revoke() for token in queryset)
        messages.success(
            request, ngettext("%(n)d nøkkel trukket tilbake.", "%(n)d nøkler trukket tilbake.", done) % {"n": done}
        )

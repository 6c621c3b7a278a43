from django.contrib import admin

from common.admin import VersionedHistoryAdmin

from .models import BarrierReport


@admin.register(BarrierReport)
class BarrierReportAdmin(VersionedHistoryAdmin):
    list_display = ["created_at", "location", "programme", "handled", "notified_at"]
    list_filter = ["handled", "programme"]
    search_fields = ["location", "description", "name", "email"]
    list_select_related = ["programme"]
    # What the reporter sent stays as sent; the administrator records what was done.
    readonly_fields = ["created_at", "programme", "location", "description", "name", "email", "notified_at"]
    fields = readonly_fields + ["handled", "note"]

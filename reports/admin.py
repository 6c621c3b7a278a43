from django.contrib import admin

from common.admin import VersionedHistoryAdmin

from .models import PlanSnapshot, RevisionReport


@admin.register(RevisionReport)
class RevisionReportAdmin(VersionedHistoryAdmin):
    list_display = ["programme", "year", "state", "requested_by", "requested_at", "size"]
    list_filter = ["programme", "year", "state"]
    list_select_related = ["programme", "requested_by"]
    # The state, file and size are the task's to set; the admin only looks (and may delete).
    readonly_fields = ["state", "error", "pdf", "size", "html", "requested_at", "finished_at"]


@admin.register(PlanSnapshot)
class PlanSnapshotAdmin(VersionedHistoryAdmin):
    list_display = ["programme", "year", "created_at", "report"]
    list_filter = ["programme"]
    list_select_related = ["programme", "report"]
    readonly_fields = ["programme", "year", "created_at", "report", "data"]

    # Snapshots are made by report building only, and are a record of the past: the admin only looks.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

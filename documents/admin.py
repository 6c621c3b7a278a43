from django.contrib import admin

from common.admin import VersionedHistoryAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(VersionedHistoryAdmin):
    """Documents are added and removed on the objects' pages, where the access rules and the file checks apply;
    the admin shows them and lets an administrator correct a title or kind."""

    list_display = ["title", "kind", "original_name", "size", "programme", "uploaded_by", "uploaded_at"]
    list_filter = ["programme", "kind", "content_type"]
    search_fields = ["title", "original_name"]
    list_select_related = ["programme", "uploaded_by"]
    readonly_fields = [
        "programme",
        "content_type",
        "object_id",
        "file",
        "original_name",
        "size",
        "mime_type",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request):
        return False

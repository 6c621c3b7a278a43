from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportActionMixin, ExportMixin
from import_export.forms import SelectableFieldsExportForm

from common.admin import VersionedHistoryAdmin
from portfolio.models import Programme

from .models import Proposal, ProposalTransition, RevisionRound
from .resources import ProposalResource


@admin.register(RevisionRound)
class RevisionRoundAdmin(VersionedHistoryAdmin):
    list_display = ["__str__", "programme", "status", "opened_on", "closed_on"]
    list_filter = ["programme", "status"]
    search_fields = ["year", "note"]


class TransitionInline(admin.TabularInline):
    model = ProposalTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Transitions are recorded by Proposal.transition_to, never typed.
        return False


class NorwegianExportForm(SelectableFieldsExportForm):
    """The export page's column checkboxes named by the spreadsheet's Norwegian headers («Tittel»), not by the
    attribute names import-export would title-case («Title (Tittel)»)."""

    def _get_field_label(self, resource, field_name: str) -> str:
        # The headers are set on an instance (ProposalResource.__init__), so ask one, made once per resource.
        instances = self.__dict__.setdefault("_resource_instances", {})
        if resource not in instances:
            instances[resource] = resource()
        field = instances[resource].fields.get(field_name)
        return field.column_name if field and field.column_name else field_name


@admin.register(Proposal)
class ProposalAdmin(ExportActionMixin, ExportMixin, VersionedHistoryAdmin):
    # Export with the spreadsheet headers of docs/spreadsheets.md. Imports go through the project leader's import
    # page (/program/<slug>/forslag/import/), the one path with the preview and all-or-nothing rules.
    resource_classes = [ProposalResource]
    export_form_class = NorwegianExportForm
    list_display = ["title", "area", "activity", "status", "submitter_type", "revision_round", "published", "is_demo"]
    list_filter = ["programme", "revision_round", "status", "area", "submitter_type", "published", "is_demo"]
    search_fields = ["title", "description", "unit", "submitter_name"]
    list_select_related = ["area", "activity", "revision_round"]
    autocomplete_fields = ["activity", "area"]
    inlines = [TransitionInline]
    readonly_fields = ["priority_score"]

    change_list_template = "admin/measures/proposal/change_list.html"

    def changelist_view(self, request, extra_context=None):
        # One import path for everyone: the admin links to each programme's import page.
        extra_context = {**(extra_context or {}), "import_programmes": Programme.objects.order_by("name")}
        return super().changelist_view(request, extra_context)

    # django-import-export has no bokmål catalogue: its action is named here, in Norwegian.
    @admin.action(description=_("Eksporter valgte %(verbose_name_plural)s"))
    def export_admin_action(self, request, queryset):
        return super().export_admin_action(request, queryset)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"programme": None}

    def get_readonly_fields(self, request, obj=None):
        # The status changes through the life cycle (with a record), not by editing the field.
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["status"] if obj else fields


@admin.register(ProposalTransition)
class ProposalTransitionAdmin(VersionedHistoryAdmin):
    list_display = ["proposal", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status"]
    search_fields = ["proposal__title", "comment"]
    list_select_related = ["proposal", "by"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

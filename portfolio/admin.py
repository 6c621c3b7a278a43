from django import forms
from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    Area,
    BudgetLine,
    Membership,
    Person,
    Phase,
    PlanSnapshot,
    Programme,
    RevisionReport,
    ScheduledMonth,
    StatusReport,
)
from .versioning import STALE_MESSAGE, AdminVersionedModelForm, StaleVersionError, Versioned, VersionedModelForm


class PortfolioAdmin(SimpleHistoryAdmin):
    """The admin of every domain model: audit history, and no lost updates on the models that carry a version.

    The change form of a Versioned model is a VersionedModelForm, so saving over someone else's newer change
    (in the admin or in the app) is refused with the same Norwegian message as in the app.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        if issubclass(self.model, Versioned) and self.form is forms.ModelForm:
            kwargs.setdefault("form", AdminVersionedModelForm)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if not (change and isinstance(form, VersionedModelForm)):
            return super().save_model(request, obj, form, change)
        try:
            form.save_claimed(obj)
        except StaleVersionError:
            # Only when another save landed between validation and here, within this request.
            messages.error(request, STALE_MESSAGE)


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Programme)
class ProgrammeAdmin(PortfolioAdmin):
    list_display = ["name", "municipality", "start_date", "end_date"]
    search_fields = ["name", "municipality"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseInline, AreaInline, MembershipInline]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Phase)
class PhaseAdmin(PortfolioAdmin):
    list_display = ["__str__", "programme", "name"]
    list_filter = ["programme"]
    search_fields = ["name"]
    inlines = [BudgetLineInline]


@admin.register(Area)
class AreaAdmin(PortfolioAdmin):
    list_display = ["number", "name", "programme"]
    list_filter = ["programme"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(PortfolioAdmin):
    list_display = ["name", "title", "unit", "email", "user"]
    list_filter = ["memberships__role"]
    search_fields = ["name", "title", "unit", "email"]
    autocomplete_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(PortfolioAdmin):
    list_display = ["person", "role", "programme", "description"]
    list_filter = ["programme", "role"]
    search_fields = ["person__name", "description"]
    autocomplete_fields = ["person"]


class ScheduledMonthInline(admin.TabularInline):
    model = ScheduledMonth
    extra = 0


@admin.register(Activity)
class ActivityAdmin(PortfolioAdmin):
    list_display = ["code", "name", "area", "responsible", "programme"]
    list_filter = ["programme", "area"]
    search_fields = ["code", "name", "purpose", "tasks", "expected_result"]
    list_select_related = ["area", "responsible", "programme"]
    autocomplete_fields = ["responsible", "working_group"]
    inlines = [ScheduledMonthInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(PortfolioAdmin):
    list_display = ["description", "phase", "kind", "category", "planned_amount", "actual_amount"]
    list_filter = ["phase__programme", "phase", "kind", "category"]
    search_fields = ["description", "note"]
    list_select_related = ["phase"]


@admin.register(StatusReport)
class StatusReportAdmin(PortfolioAdmin):
    list_display = ["activity", "period_end", "overall", "scope", "time", "cost", "risk", "author"]
    list_filter = ["overall", "activity__programme", "activity"]
    search_fields = ["activity__code", "activity__name", "comment"]
    list_select_related = ["activity", "author"]
    date_hierarchy = "period_end"


@admin.register(ScheduledMonth)
class ScheduledMonthAdmin(PortfolioAdmin):
    list_display = ["activity", "phase", "month"]
    list_filter = ["phase__programme", "phase", "month"]
    search_fields = ["activity__code", "activity__name"]
    list_select_related = ["activity", "phase"]


@admin.register(RevisionReport)
class RevisionReportAdmin(PortfolioAdmin):
    list_display = ["programme", "year", "state", "requested_by", "requested_at", "size"]
    list_filter = ["programme", "year", "state"]
    list_select_related = ["programme", "requested_by"]
    # The state, file and size are the task's to set; the admin only looks (and may delete).
    readonly_fields = ["state", "error", "pdf", "size", "requested_at", "finished_at"]


@admin.register(PlanSnapshot)
class PlanSnapshotAdmin(PortfolioAdmin):
    list_display = ["programme", "year", "created_at", "report"]
    list_filter = ["programme"]
    list_select_related = ["programme", "report"]
    readonly_fields = ["programme", "year", "created_at", "report", "data"]

    # Snapshots are made by report building only, and are a record of the past: the admin only looks.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

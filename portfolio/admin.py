from django.contrib import admin

from common.admin import VersionedHistoryAdmin

from .models import (
    Activity,
    Area,
    BudgetLine,
    ImportJob,
    Membership,
    Organisation,
    OrganisationMember,
    Person,
    Phase,
    Programme,
    ProgrammeRole,
    ScheduledMonth,
    StatusReport,
)


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


class ProgrammeRoleInline(admin.TabularInline):
    model = ProgrammeRole
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["granted_at", "granted_by"]


@admin.register(ProgrammeRole)
class ProgrammeRoleAdmin(VersionedHistoryAdmin):
    list_display = ["user", "role", "programme", "granted_at", "granted_by"]
    list_filter = ["programme", "role"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    readonly_fields = ["granted_at", "granted_by"]
    list_select_related = ["user", "programme", "granted_by"]


@admin.register(Organisation)
class OrganisationAdmin(VersionedHistoryAdmin):
    list_display = ["name", "organisation_number", "slug"]
    search_fields = ["name", "organisation_number"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(OrganisationMember)
class OrganisationMemberAdmin(VersionedHistoryAdmin):
    list_display = ["user", "organisation"]
    list_filter = ["organisation"]
    autocomplete_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(VersionedHistoryAdmin):
    list_display = ["name", "organisation", "start_date", "end_date"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PhaseInline, AreaInline, MembershipInline, ProgrammeRoleInline]


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Phase)
class PhaseAdmin(VersionedHistoryAdmin):
    list_display = ["__str__", "programme", "name"]
    list_filter = ["programme"]
    search_fields = ["name"]
    inlines = [BudgetLineInline]


@admin.register(Area)
class AreaAdmin(VersionedHistoryAdmin):
    list_display = ["number", "name", "programme"]
    list_filter = ["programme"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(VersionedHistoryAdmin):
    list_display = ["name", "title", "unit", "email", "user"]
    list_filter = ["memberships__role"]
    search_fields = ["name", "title", "unit", "email"]
    autocomplete_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(VersionedHistoryAdmin):
    list_display = ["person", "role", "programme", "description"]
    list_filter = ["programme", "role"]
    search_fields = ["person__name", "description"]
    autocomplete_fields = ["person"]


class ScheduledMonthInline(admin.TabularInline):
    model = ScheduledMonth
    extra = 0


@admin.register(Activity)
class ActivityAdmin(VersionedHistoryAdmin):
    list_display = ["code", "name", "area", "responsible", "programme"]
    list_filter = ["programme", "area"]
    search_fields = ["code", "name", "purpose", "tasks", "expected_result"]
    list_select_related = ["area", "responsible", "programme"]
    autocomplete_fields = ["responsible", "working_group"]
    inlines = [ScheduledMonthInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(VersionedHistoryAdmin):
    list_display = ["description", "phase", "kind", "category", "planned_amount", "actual_amount"]
    list_filter = ["phase__programme", "phase", "kind", "category"]
    search_fields = ["description", "note"]
    list_select_related = ["phase"]


@admin.register(StatusReport)
class StatusReportAdmin(VersionedHistoryAdmin):
    list_display = ["activity", "period_end", "overall", "scope", "time", "cost", "risk", "author"]
    list_filter = ["overall", "activity__programme", "activity"]
    search_fields = ["activity__code", "activity__name", "comment"]
    list_select_related = ["activity", "author"]
    date_hierarchy = "period_end"


@admin.register(ScheduledMonth)
class ScheduledMonthAdmin(VersionedHistoryAdmin):
    list_display = ["activity", "phase", "month"]
    list_filter = ["phase__programme", "phase", "month"]
    search_fields = ["activity__code", "activity__name"]
    list_select_related = ["activity", "phase"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Background imports, for following up one that failed; they are made by the import pages, not here."""

    list_display = ("filename", "programme", "kind", "dry_run", "state", "requested_by", "requested_at", "error_count")
    list_filter = ("state", "kind", "dry_run")
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

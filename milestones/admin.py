from django.contrib import admin

from common.admin import VersionedHistoryAdmin

from .models import DecisionPoint, Meeting, MeetingSeries, Milestone


@admin.register(DecisionPoint)
class DecisionPointAdmin(VersionedHistoryAdmin):
    list_display = ["code", "title", "date", "forum", "status"]
    list_filter = ["programme", "status", "forum"]
    search_fields = ["code", "title", "basis", "decision_text", "reference"]


@admin.register(Milestone)
class MilestoneAdmin(VersionedHistoryAdmin):
    list_display = ["code", "title", "planned_date", "status", "actual_date", "activity"]
    list_filter = ["programme", "status", "activity"]
    search_fields = ["code", "title", "criteria", "evidence"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    fields = ["held_on", "minutes", "recorded_by"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(VersionedHistoryAdmin):
    list_display = ["name", "programme", "first_date", "interval_days", "active"]
    list_filter = ["programme", "active"]
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(VersionedHistoryAdmin):
    list_display = ["series", "held_on", "recorded_by"]
    list_filter = ["series__programme", "series"]
    search_fields = ["minutes"]
    list_select_related = ["series", "recorded_by"]

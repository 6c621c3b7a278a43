from django.contrib import admin

from .models import DecisionPoint, Milestone


@admin.register(DecisionPoint)
class DecisionPointAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "date", "forum", "status"]
    list_filter = ["programme", "status", "forum"]
    search_fields = ["code", "title", "basis", "decision_text", "reference"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "planned_date", "status", "actual_date", "activity"]
    list_filter = ["programme", "status", "activity"]
    search_fields = ["code", "title", "criteria", "evidence"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]

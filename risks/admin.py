from django.contrib import admin

from common.admin import VersionedHistoryAdmin

from .models import Mitigation, Risk, RiskAssessment


class AssessmentInline(admin.TabularInline):
    model = RiskAssessment
    extra = 1
    readonly_fields = ["rf"]
    fields = ["assessed_on", "probability", "consequence", "rf", "assessed_by", "note"]


class MitigationInline(admin.TabularInline):
    model = Mitigation
    extra = 0


@admin.register(Risk)
class RiskAdmin(VersionedHistoryAdmin):
    list_display = ["code", "title", "latest_rf", "status", "activity", "owner", "next_review_on"]
    list_filter = ["programme", "status", "activity"]
    search_fields = ["code", "title", "description"]
    list_select_related = ["activity", "owner"]
    autocomplete_fields = ["activity", "owner"]
    inlines = [AssessmentInline, MitigationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_latest()

    @admin.display(description="RF", ordering="latest_rf")
    def latest_rf(self, obj):
        return obj.latest_rf


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(VersionedHistoryAdmin):
    list_display = ["risk", "assessed_on", "probability", "consequence", "rf"]
    list_filter = ["risk__programme", "probability", "consequence"]
    search_fields = ["risk__title", "note"]
    list_select_related = ["risk"]
    readonly_fields = ["rf"]


@admin.register(Mitigation)
class MitigationAdmin(VersionedHistoryAdmin):
    list_display = ["description", "risk", "responsible", "due_on", "done"]
    list_filter = ["done", "risk__programme"]
    search_fields = ["description", "risk__title"]
    list_select_related = ["risk", "responsible"]

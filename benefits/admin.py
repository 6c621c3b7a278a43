from django.contrib import admin

from common.admin import VersionedHistoryAdmin

from .models import Benefit, BenefitMeasurement, BenefitPlan, CashFlowLine


class BenefitInline(admin.StackedInline):
    model = Benefit
    extra = 0
    autocomplete_fields = ["owner"]


class CashFlowLineInline(admin.TabularInline):
    model = CashFlowLine
    extra = 0


@admin.register(BenefitPlan)
class BenefitPlanAdmin(VersionedHistoryAdmin):
    list_display = ["code", "title", "activity", "measure", "is_example"]
    list_filter = ["programme", "is_example"]
    search_fields = ["code", "title", "description"]
    list_select_related = ["activity", "measure"]
    autocomplete_fields = ["activity", "measure"]
    inlines = [BenefitInline, CashFlowLineInline]


class MeasurementInline(admin.TabularInline):
    model = BenefitMeasurement
    extra = 1


@admin.register(Benefit)
class BenefitAdmin(VersionedHistoryAdmin):
    list_display = ["indicator", "plan", "kind", "is_financial", "baseline_value", "target_value", "owner", "status"]
    list_filter = ["plan__programme", "kind", "is_financial", "status"]
    search_fields = ["indicator", "description"]
    list_select_related = ["plan", "owner"]
    autocomplete_fields = ["owner"]
    inlines = [MeasurementInline]


@admin.register(BenefitMeasurement)
class BenefitMeasurementAdmin(VersionedHistoryAdmin):
    list_display = ["benefit", "measured_on", "value", "recorded_by"]
    list_filter = ["benefit__plan__programme"]
    search_fields = ["benefit__indicator", "note"]
    list_select_related = ["benefit", "recorded_by"]


@admin.register(CashFlowLine)
class CashFlowLineAdmin(VersionedHistoryAdmin):
    list_display = ["plan", "year", "investment", "operating_cost", "benefit_value", "realised_benefit_value"]
    list_filter = ["plan__programme", "plan"]
    list_select_related = ["plan"]

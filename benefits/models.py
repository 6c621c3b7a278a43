"""Benefit realisation in the style of KS Gevinstkokebok: plans, benefits and their measurements."""

import calendar
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common import formatting
from common.history import Change, HistoryEntry
from common.validators import CODE_MESSAGE, CODE_PATTERN, validate_code
from common.versioning import Versioned
from measures.models import Proposal
from portfolio.models import Activity, Person, Programme

from . import economics


class BenefitPlanManager(models.Manager):
    def get_by_natural_key(self, programme_slug, code):
        return self.get(programme__slug=programme_slug, code=code)


class BenefitPlan(Versioned, models.Model):
    """A benefit-realisation plan (gevinstrealiseringsplan) for an activity or an accepted measure."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="benefit_plans", verbose_name=_("program")
    )
    code = models.CharField(_("kode"), max_length=20, validators=[validate_code])
    title = models.CharField(_("tittel"), max_length=200)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="benefit_plans",
        verbose_name=_("hovedaktivitet"),
    )
    measure = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="benefit_plans",
        verbose_name=_("tiltak"),
    )
    description = models.TextField(_("beskrivelse"), blank=True)
    change_actions = models.TextField(
        _("endringstiltak"),
        blank=True,
        help_text=_("Nye rutiner, opplæring og annet som trengs for å hente gevinsten."),
    )
    discount_rate = models.DecimalField(
        _("kalkulasjonsrente (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("4.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    analysis_start_year = models.PositiveSmallIntegerField(_("første år i analysen"), null=True, blank=True)
    analysis_years = models.PositiveSmallIntegerField(
        _("analyseperiode (år)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    is_example = models.BooleanField(
        _("eksempelplan"),
        default=False,
        help_text=_("Verdiene er illustrerende, ikke vedtatte tall fra kommunen."),
    )

    objects = BenefitPlanManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gevinstrealiseringsplan")
        verbose_name_plural = _("gevinstrealiseringsplaner")
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="benefit_plan_code_unique"),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN),
                name="benefit_plan_code_valid",
                violation_error_code="invalid_code",
                violation_error_message=CODE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(activity__isnull=False) | Q(measure__isnull=False),
                name="benefit_plan_has_subject",
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (*self.programme.natural_key(), self.code)

    natural_key.dependencies = ["portfolio.programme", "portfolio.activity", "measures.proposal"]

    @property
    def subject_activity(self) -> Activity | None:
        """The activity whose people may edit the plan: its own, or the accepted measure's."""
        if self.activity_id:
            return self.activity
        return self.measure.activity if self.measure_id else None

    @property
    def first_year(self) -> int:
        """First analysis year: as set, else the programme's start year."""
        return self.analysis_start_year or self.programme.start_date.year

    @property
    def last_year(self) -> int:
        return self.first_year + self.analysis_years - 1

    def cost_benefit(self, lines=None) -> economics.CostBenefit:
        """NPV, payback year and the yearly table; `lines` may be passed when already fetched."""
        lines = self.cash_flow_lines.all() if lines is None else lines
        return economics.analyse(
            economics.flows_by_year(lines),
            rate_percent=self.discount_rate,
            start_year=self.first_year,
            years=self.analysis_years,
        )


def add_months(day, months: int):
    """The same day `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class BenefitQuerySet(models.QuerySet):
    def with_latest(self):
        """Annotate the latest measurement's value and date with one subquery each (no query per row)."""
        latest = BenefitMeasurement.objects.filter(benefit=OuterRef("pk")).order_by("-measured_on", "-id")
        return self.annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_date=Subquery(latest.values("measured_on")[:1]),
        )

    def active(self):
        return self.filter(status__in=[Benefit.Status.PLANNED, Benefit.Status.REALISING])

    def due_for_measurement(self, today):
        """Active benefits with an owner to ask whose next measurement (by frequency) is due by `today`.

        Due date = latest measurement date (or the baseline date when nothing is measured yet) plus the
        frequency; benefits without frequency or without any date to count from are never due.
        """
        candidates = (
            self.active()
            .filter(frequency_months__isnull=False, owner__isnull=False)
            .exclude(owner__email="")
            .select_related("owner", "plan__programme")
            .with_latest()
        )
        return [b for b in candidates if b.next_measurement_due is not None and b.next_measurement_due <= today]


class Benefit(Versioned, models.Model):
    class Kind(models.TextChoices):
        QUALITY_CITIZENS = "quality_citizens", _("Kvalitet for innbyggerne")
        QUALITY_STAFF = "quality_staff", _("Kvalitet for ansatte")
        TIME_SAVED = "time_saved", _("Spart tid")
        COST_REDUCED = "cost_reduced", _("Reduserte kostnader")
        COST_AVOIDED = "cost_avoided", _("Unngåtte kostnader")
        OTHER = "other", _("Annet")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        REALISING = "realising", _("Under realisering")
        REALISED = "realised", _("Realisert")
        NOT_REALISED = "not_realised", _("Ikke realisert")

    plan = models.ForeignKey(BenefitPlan, on_delete=models.CASCADE, related_name="benefits", verbose_name=_("plan"))
    description = models.TextField(_("gevinst"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    is_financial = models.BooleanField(_("budsjettfrigjørende"), default=False)
    indicator = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=50, blank=True, help_text=_("For eksempel timer per måned."))
    baseline_value = models.DecimalField(_("nullpunkt"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_date = models.DateField(_("nullpunkt dato"), null=True, blank=True)
    target_value = models.DecimalField(_("mål"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("måldato"), null=True, blank=True)
    method = models.TextField(_("målemetode"), blank=True)
    frequency_months = models.PositiveSmallIntegerField(
        _("målefrekvens (måneder)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    owner = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_benefits",
        verbose_name=_("gevinsteier"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    last_reminded_on = models.DateField(_("sist påminnet"), null=True, blank=True, editable=False)

    objects = BenefitQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gevinst")
        verbose_name_plural = _("gevinster")
        ordering = ["plan", "id"]

    def __str__(self):
        return self.indicator

    def clean(self):
        if (
            self.baseline_value is not None
            and self.target_value is not None
            and self.baseline_value == self.target_value
        ):
            raise ValidationError({"target_value": _("Målet må være forskjellig fra nullpunktet.")})

    def realisation_percent(self, value: Decimal | None) -> Decimal | None:
        """Progress from baseline towards target in per cent; works for 'reduce' targets below the baseline."""
        if value is None or self.baseline_value is None or self.target_value is None:
            return None
        span = self.target_value - self.baseline_value
        if span == 0:
            return None
        return (value - self.baseline_value) * 100 / span

    def is_implausible(self, value: Decimal | None) -> bool:
        """Whether a measured `value` lies so far outside baseline..target that it is likely a slip of the keys.

        Far outside is more than the range's own width beyond either end; a value that is ten times too large or
        too small to be in the range (505 typed for 50,5) counts too.
        """
        if value is None or not self.is_quantified:
            return False
        low, high = sorted((self.baseline_value, self.target_value))
        width = high - low
        if low <= value <= high:
            return False
        if value < low - width or value > high + width:
            return True
        return any(low <= value * factor <= high for factor in (Decimal(10), Decimal("0.1")))

    @property
    def is_quantified(self) -> bool:
        return self.baseline_value is not None and self.target_value is not None

    @property
    def is_reduction(self) -> bool:
        return self.is_quantified and self.target_value < self.baseline_value

    @property
    def latest_realisation_percent(self) -> Decimal | None:
        """Realisation % of the latest measurement; needs `with_latest()`, so lists never query per row."""
        return self.realisation_percent(self.latest_value)

    @property
    def next_measurement_due(self):
        """When the next measurement is due by the frequency; needs `with_latest()`."""
        start = self.latest_date or self.baseline_date
        if not self.frequency_months or start is None:
            return None
        return add_months(start, self.frequency_months)

    def claim_reminder(self, today) -> bool:
        """Claim the reminder for the current due period, once however often (or in parallel) the task runs.

        A conditional UPDATE: only one run sees the row as not yet reminded since it fell due. A new
        measurement moves the due date forward, so the next period gets its own reminder.
        """
        due = self.next_measurement_due
        claimed = (
            Benefit.objects.filter(pk=self.pk)
            .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=due))
            .update(last_reminded_on=today)
        )
        return claimed == 1


class BenefitMeasurement(Versioned, models.Model):
    """One measured value of a benefit; corrected or deleted on the benefit's page (versioned, audit history)."""

    benefit = models.ForeignKey(
        Benefit, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("gevinst")
    )
    measured_on = models.DateField(_("målt dato"), default=timezone.localdate)
    value = models.DecimalField(_("verdi"), max_digits=14, decimal_places=2)
    note = models.TextField(_("merknad"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrert av"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gevinstmåling")
        verbose_name_plural = _("gevinstmålinger")
        ordering = ["benefit", "measured_on", "id"]

    def __str__(self):
        return f"{self.benefit}: {self.value} ({self.measured_on})"


def measurement_history(obj, limit: int = 20) -> list[HistoryEntry]:
    """The audit rows of a benefit's measurements for the benefit's own history: recorded, corrected (old → new)
    and deleted, deleted ones included. Registered with `common.history.add_history_source` (apps.py).

    Two queries whatever the length: the records, compared in memory per measurement, and their users.
    """
    if not isinstance(obj, Benefit):
        return []
    records = list(
        BenefitMeasurement.history.filter(benefit_id=obj.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    labels = {name: BenefitMeasurement._meta.get_field(name).verbose_name for name in ("measured_on", "value", "note")}
    kinds = {"+": _("Måling registrert"), "~": _("Måling rettet"), "-": _("Måling slettet")}
    previous: dict[int, object] = {}
    entries = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        shown = f"{formatting.day(record.measured_on)}: {formatting.number(record.value)}"
        if record.history_type == "~" and before is not None:
            changes = [
                Change(str(labels[name]), _shown(name, getattr(before, name)), _shown(name, getattr(record, name)))
                for name in labels
                if getattr(before, name) != getattr(record, name)
            ]
            if not changes:
                continue  # only the version moved
        else:
            changes = [
                Change(
                    str(_("måling")),
                    "–" if record.history_type == "+" else shown,
                    shown if record.history_type == "+" else "–",
                )
            ]
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.get_username()) if user else str(_("systemet")),
                kind=str(kinds.get(record.history_type, record.history_type)),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries[::-1][:limit]


def _shown(name: str, value) -> str:
    if name == "measured_on":
        return formatting.day(value)
    if name == "value":
        return formatting.number(value)
    return value or "–"


class CashFlowLine(Versioned, models.Model):
    """One year of a plan's cost–benefit analysis, in NOK (not discounted; the app discounts)."""

    plan = models.ForeignKey(
        BenefitPlan, on_delete=models.CASCADE, related_name="cash_flow_lines", verbose_name=_("plan")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(1900), MaxValueValidator(2200)])
    investment = models.DecimalField(
        _("investering (kr)"), max_digits=14, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    operating_cost = models.DecimalField(
        _("driftskostnad (kr)"), max_digits=14, decimal_places=0, default=0, validators=[MinValueValidator(0)]
    )
    benefit_value = models.DecimalField(
        _("forventet gevinst (kr)"),
        max_digits=14,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Budsjettfrigjørende og andre kvantifiserte gevinster i kroner."),
    )
    realised_benefit_value = models.DecimalField(
        _("realisert gevinst (kr)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Fylles ut når året er gått og gevinsten er målt."),
    )
    note = models.CharField(_("merknad"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kontantstrøm (år)")
        verbose_name_plural = _("kontantstrøm (år)")
        ordering = ["plan", "year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="cash_flow_line_year_unique")]

    def __str__(self):
        return f"{self.plan.code} {self.year}"

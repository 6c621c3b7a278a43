"""Benefit realisation in the style of KS Gevinstkokebok: plans, benefits and their measurements."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from measures.models import Proposal
from portfolio.models import Activity, Person, Programme


class BenefitPlanManager(models.Manager):
    def get_by_natural_key(self, programme_slug, code):
        return self.get(programme__slug=programme_slug, code=code)


class BenefitPlan(models.Model):
    """A benefit-realisation plan (gevinstrealiseringsplan) for an activity or an accepted measure."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="benefit_plans", verbose_name=_("program")
    )
    code = models.CharField(_("kode"), max_length=20)
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

    class Meta:
        verbose_name = _("gevinstrealiseringsplan")
        verbose_name_plural = _("gevinstrealiseringsplaner")
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="benefit_plan_code_unique"),
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


class Benefit(models.Model):
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


class BenefitMeasurement(models.Model):
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

    class Meta:
        verbose_name = _("gevinstmåling")
        verbose_name_plural = _("gevinstmålinger")
        ordering = ["benefit", "measured_on", "id"]

    def __str__(self):
        return f"{self.benefit}: {self.value} ({self.measured_on})"

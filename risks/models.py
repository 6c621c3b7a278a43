"""The risk register: risks, their scoring over time (S × K = RF) and mitigation measures."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.validators import CODE_MESSAGE, CODE_PATTERN, validate_code
from common.versioning import Versioned
from portfolio.models import Activity, Person, Programme

# The bands of docs/domain-model.md: RF >= 15 high (red), 8–14 medium (yellow), <= 7 low (green).
HIGH_FROM = 15
MEDIUM_FROM = 8


class Band(models.TextChoices):
    LOW = "low", _("Lav")
    MEDIUM = "medium", _("Middels")
    HIGH = "high", _("Høy")


def band_for(rf: int | None) -> Band | None:
    if rf is None:
        return None
    if rf >= HIGH_FROM:
        return Band.HIGH
    if rf >= MEDIUM_FROM:
        return Band.MEDIUM
    return Band.LOW


def review_overdue_q(today) -> Q:
    """The one definition of an overdue review: the next review date has passed and the risk is not closed."""
    return Q(next_review_on__lt=today) & ~Q(status=Risk.Status.CLOSED)


class RiskQuerySet(models.QuerySet):
    def with_latest(self):
        """Annotate the latest assessment's S, K and RF (one subquery each, no N+1)."""
        latest = RiskAssessment.objects.filter(risk=OuterRef("pk")).order_by("-assessed_on", "-id")
        return self.annotate(
            latest_probability=Subquery(latest.values("probability")[:1]),
            latest_consequence=Subquery(latest.values("consequence")[:1]),
            latest_rf=Subquery(latest.values("rf")[:1]),
        )

    def with_overdue(self, today=None):
        """Annotate whether the review is overdue and how many open mitigations are past their due date."""
        today = today or timezone.localdate()
        late = Mitigation.objects.filter(risk=OuterRef("pk")).overdue(today)
        return self.annotate(
            review_overdue=ExpressionWrapper(review_overdue_q(today), output_field=models.BooleanField()),
            overdue_mitigations=Coalesce(
                Subquery(
                    late.order_by().values("risk").annotate(n=Count("pk")).values("n")[:1],
                    output_field=models.IntegerField(),
                ),
                0,
            ),
        )

    def open(self):
        return self.filter(status=Risk.Status.OPEN)

    def high(self):
        return self.with_latest().filter(latest_rf__gte=HIGH_FROM)

    def in_band(self, band: str):
        """Risks whose latest RF lies in the band (needs `with_latest`)."""
        bounds = {
            Band.LOW: Q(latest_rf__lt=MEDIUM_FROM),
            Band.MEDIUM: Q(latest_rf__gte=MEDIUM_FROM, latest_rf__lt=HIGH_FROM),
            Band.HIGH: Q(latest_rf__gte=HIGH_FROM),
        }
        return self.filter(bounds[Band(band)])

    def needing_attention(self, today=None):
        """Risks with an overdue review or an overdue open mitigation (for the register and the dashboard)."""
        today = today or timezone.localdate()
        late = Mitigation.objects.filter(risk=OuterRef("pk")).overdue(today)
        return self.filter(review_overdue_q(today) | Q(Exists(late)))

    def review_overdue(self, today=None):
        """Risks whose review is overdue (`review_overdue_q`)."""
        return self.filter(review_overdue_q(today or timezone.localdate()))

    def heat_counts(self) -> dict[tuple[int, int], int]:
        """Number of risks per (S, K) cell of the latest assessments; unscored risks are not placed."""
        counts: dict[tuple[int, int], int] = {}
        for s, k in self.with_latest().values_list("latest_probability", "latest_consequence"):
            if s is not None and k is not None:
                counts[(s, k)] = counts.get((s, k), 0) + 1
        return counts


class RiskManager(models.Manager.from_queryset(RiskQuerySet)):
    def get_by_natural_key(self, programme_slug, code):
        return self.get(programme__slug=programme_slug, code=code)


class Risk(Versioned, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Åpen")
        MITIGATED = "mitigated", _("Redusert")
        CLOSED = "closed", _("Lukket")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="risks", verbose_name=_("program"))
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("hovedaktivitet"),
        help_text=_("Tomt betyr at risikoen gjelder hele programmet."),
    )
    code = models.CharField(
        _("nummer"),
        max_length=10,
        validators=[validate_code],
        help_text=_("Unikt i programmet; planens egen nummerering står i merknaden."),
    )
    title = models.CharField(_("risikofaktor"), max_length=300)
    description = models.TextField(_("beskrivelse"), blank=True)
    owner = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="risks", verbose_name=_("eier")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    next_review_on = models.DateField(_("neste gjennomgang"), null=True, blank=True)
    note = models.TextField(_("merknad"), blank=True)

    objects = RiskManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risiko")
        verbose_name_plural = _("risikoer")
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="risk_code_unique"),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN),
                name="risk_code_valid",
                violation_error_code="invalid_code",
                violation_error_message=CODE_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (*self.programme.natural_key(), self.code)

    natural_key.dependencies = ["portfolio.programme", "portfolio.activity"]

    @property
    def band(self) -> Band | None:
        """Band of the latest RF; uses the `with_latest` annotation when present."""
        rf = getattr(self, "latest_rf", None)
        if rf is None and not hasattr(self, "latest_rf"):
            latest = self.latest_assessment
            rf = latest.rf if latest else None
        return band_for(rf)

    def is_review_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.next_review_on and self.next_review_on < today and self.status != self.Status.CLOSED)

    @property
    def latest_assessment(self) -> "RiskAssessment | None":
        return self.assessments.order_by("-assessed_on", "-id").first()

    def rescore(self, probability: int, consequence: int, *, by=None, note: str = "", on=None) -> "RiskAssessment":
        """Record a new assessment; earlier ones stay as history."""
        assessment = RiskAssessment(
            risk=self,
            probability=probability,
            consequence=consequence,
            assessed_by=by,
            note=note,
            assessed_on=on or timezone.localdate(),
        )
        assessment.full_clean()
        assessment.save()
        return assessment


class RiskAssessment(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("risiko"))
    probability = models.PositiveSmallIntegerField(_("sannsynlighet (S)"), choices=[(i, str(i)) for i in range(1, 6)])
    consequence = models.PositiveSmallIntegerField(_("konsekvens (K)"), choices=[(i, str(i)) for i in range(1, 6)])
    # RF is derived by the database itself, so no form, import or fixture can type a wrong one.
    rf = models.GeneratedField(
        expression=F("probability") * F("consequence"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("risikofaktor (RF)"),
    )
    assessed_on = models.DateField(_("vurdert"), default=timezone.localdate)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vurdert av"),
    )
    note = models.TextField(_("merknad"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risikovurdering")
        verbose_name_plural = _("risikovurderinger")
        ordering = ["risk", "-assessed_on", "-id"]
        get_latest_by = ["assessed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(probability__gte=1, probability__lte=5), name="risk_s_1_5"),
            models.CheckConstraint(condition=Q(consequence__gte=1, consequence__lte=5), name="risk_k_1_5"),
        ]

    def __str__(self):
        return f"{self.risk.code}: S {self.probability} × K {self.consequence}"

    @property
    def band(self) -> Band:
        return band_for(self.probability * self.consequence)


class MitigationQuerySet(models.QuerySet):
    def overdue(self, today=None):
        """Not done and past the due date."""
        today = today or timezone.localdate()
        return self.filter(done=False, due_on__lt=today)


class Mitigation(Versioned, models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="mitigations", verbose_name=_("risiko"))
    description = models.TextField(_("tiltak"))
    responsible = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ansvarlig")
    )
    due_on = models.DateField(_("frist"), null=True, blank=True)
    done = models.BooleanField(_("utført"), default=False)

    objects = MitigationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risikoreduserende tiltak")
        verbose_name_plural = _("risikoreduserende tiltak")
        ordering = ["risk", "done", "due_on", "id"]

    def __str__(self):
        return self.description[:80]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(not self.done and self.due_on and self.due_on < today)

    def toggle_done(self) -> None:
        """Mark done, or not done again (call through `change_if_current`, which raised the version)."""
        self.done = not self.done
        self.save(update_fields=["done", "version"])

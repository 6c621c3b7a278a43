"""Decision points (BP) and milestones (MP) of the programme."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.validators import CODE_MESSAGE, CODE_PATTERN, validate_code
from common.versioning import Versioned
from portfolio.models import Activity, Programme


class DecisionPointQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(date__lt=today).exclude(status=DecisionPoint.Status.DECIDED)


class DecisionPointManager(models.Manager.from_queryset(DecisionPointQuerySet)):
    def get_by_natural_key(self, programme_slug, code):
        return self.get(programme__slug=programme_slug, code=code)


class DecisionPoint(Versioned, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        DECIDED = "decided", _("Besluttet")
        POSTPONED = "postponed", _("Utsatt")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="decision_points", verbose_name=_("program")
    )
    code = models.CharField(_("kode"), max_length=10, validators=[validate_code], help_text=_("For eksempel BP1."))
    title = models.CharField(_("beslutning"), max_length=300)
    date = models.DateField(_("dato"))
    forum = models.CharField(_("forum"), max_length=120, blank=True, help_text=_("For eksempel formannskapet."))
    basis = models.TextField(_("beslutningsgrunnlag"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    decision_text = models.TextField(_("vedtak"), blank=True)
    reference = models.CharField(_("referanse"), max_length=120, blank=True, help_text=_("For eksempel saksnummer."))
    decided_on = models.DateField(_("besluttet dato"), null=True, blank=True)

    objects = DecisionPointManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslutningspunkt")
        verbose_name_plural = _("beslutningspunkter")
        ordering = ["programme", "date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="decision_point_code_unique"),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN),
                name="decision_point_code_valid",
                violation_error_code="invalid_code",
                violation_error_message=CODE_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (*self.programme.natural_key(), self.code)

    natural_key.dependencies = ["portfolio.programme"]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.date < today and self.status != self.Status.DECIDED

    def record_decision(self, decision_text: str, reference: str, decided_on) -> None:
        """The forum has decided: keep the text, the reference (e.g. protocol number) and the date.

        Views call this through `common.versioning.change_or_stale`, so the change raises the version and an
        editor opened before it does not overwrite it (the decision editor and the meeting agenda alike)."""
        self.decision_text = decision_text
        self.reference = reference
        self.decided_on = decided_on
        self.status = self.Status.DECIDED
        self.save(update_fields=["decision_text", "reference", "decided_on", "status"])

    def postpone(self, new_date) -> None:
        """Move the decision to a later date; it stays undecided (and no longer overdue until then)."""
        self.date = new_date
        self.status = self.Status.POSTPONED
        self.save(update_fields=["date", "status"])


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(planned_date__lt=today).exclude(status=Milestone.Status.ACHIEVED)


class MilestoneManager(models.Manager.from_queryset(MilestoneQuerySet)):
    def get_by_natural_key(self, programme_slug, code):
        return self.get(programme__slug=programme_slug, code=code)


class Milestone(Versioned, models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        ACHIEVED = "achieved", _("Nådd")
        MISSED = "missed", _("Ikke nådd")
        MOVED = "moved", _("Flyttet")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("program")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("hovedaktivitet"),
    )
    code = models.CharField(_("kode"), max_length=10, validators=[validate_code], help_text=_("For eksempel MP1."))
    title = models.CharField(_("milepæl"), max_length=300)
    planned_date = models.DateField(_("planlagt dato"))
    criteria = models.TextField(_("målbart resultat"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    actual_date = models.DateField(_("faktisk dato"), null=True, blank=True)
    evidence = models.TextField(_("dokumentasjon"), blank=True)

    objects = MilestoneManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milepæl")
        verbose_name_plural = _("milepæler")
        ordering = ["programme", "planned_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="milestone_code_unique"),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN),
                name="milestone_code_valid",
                violation_error_code="invalid_code",
                violation_error_message=CODE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=~Q(status="achieved") | Q(actual_date__isnull=False),
                name="milestone_achieved_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (*self.programme.natural_key(), self.code)

    natural_key.dependencies = ["portfolio.programme", "portfolio.activity"]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.planned_date < today and self.status != self.Status.ACHIEVED


class MeetingSeries(Versioned, models.Model):
    """A recurring meeting of the programme (section 4.2/8 of the plan): PL–PA every 14 days,
    the project group about every 3 weeks. Dates follow from the first date and the interval."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="meeting_series", verbose_name=_("program")
    )
    name = models.CharField(_("navn"), max_length=120, help_text=_("For eksempel «Møte PL–PA»."))
    participants = models.CharField(_("deltakere"), max_length=300, blank=True)
    first_date = models.DateField(_("første møte"))
    interval_days = models.PositiveSmallIntegerField(
        _("intervall (dager)"), help_text=_("14 for hver 14. dag, 21 for omtrent hver 3. uke.")
    )
    active = models.BooleanField(_("aktiv"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("møteserie")
        verbose_name_plural = _("møteserier")
        ordering = ["programme", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(interval_days__gte=1), name="meeting_interval_positive"),
        ]

    def __str__(self):
        return self.name

    # The cadence of the plan (sections 4.2 and 8). The plan gives no first dates, so both start on the
    # programme's start date; the project leader moves them in the admin.
    PLAN_DEFAULTS = (
        ("Møte PL–PA", "Prosjektleder og prosjektansvarlig", 14),
        ("Prosjektgruppemøte", "Prosjektgruppen (etter behov, ca. hver 3. uke)", 21),
    )

    @classmethod
    def ensure_plan_defaults(cls, programme) -> int:
        """Create the plan's two series where missing; returns how many were created (idempotent)."""
        created = 0
        for name, participants, days in cls.PLAN_DEFAULTS:
            _series, new = cls.objects.get_or_create(
                programme=programme,
                name=name,
                defaults={"participants": participants, "interval_days": days, "first_date": programme.start_date},
            )
            created += new
        return created

    def next_date(self, today: date | None = None) -> date | None:
        """The first planned date on or after today, or None for an inactive series or past the programme's end."""
        today = today or timezone.localdate()
        if not self.active:
            return None
        if today <= self.first_date:
            return self.first_date
        periods = -(-(today - self.first_date).days // self.interval_days)  # ceiling division
        upcoming = self.first_date + timedelta(days=periods * self.interval_days)
        return upcoming if upcoming <= self.programme.end_date else None


class Meeting(Versioned, models.Model):
    """A meeting that was held, with its minutes (referat)."""

    series = models.ForeignKey(
        MeetingSeries, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("serie")
    )
    held_on = models.DateField(_("dato"))
    minutes = models.TextField(_("referat"), blank=True)
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
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        ordering = ["series", "-held_on", "-id"]

    def __str__(self):
        return f"{self.series} {self.held_on:%d.%m.%Y}"


def next_meeting(programme, today: date | None = None) -> tuple[MeetingSeries, date] | None:
    """The programme's next planned meeting as (series, date), or None; for the dashboard."""
    today = today or timezone.localdate()
    upcoming = [
        (day, series.name, series)
        for series in MeetingSeries.objects.filter(programme=programme, active=True).select_related("programme")
        if (day := series.next_date(today)) is not None
    ]
    if not upcoming:
        return None
    day, _name, series = min(upcoming, key=lambda item: (item[0], item[1]))
    return series, day

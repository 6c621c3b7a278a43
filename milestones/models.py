"""Decision points (BP) and milestones (MP) of the programme."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.models import Activity, Programme


class DecisionPointQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(date__lt=today).exclude(status=DecisionPoint.Status.DECIDED)


class DecisionPointManager(models.Manager.from_queryset(DecisionPointQuerySet)):
    def get_by_natural_key(self, programme_slug, code):
        return self.get(programme__slug=programme_slug, code=code)


class DecisionPoint(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planlagt")
        DECIDED = "decided", _("Besluttet")
        POSTPONED = "postponed", _("Utsatt")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="decision_points", verbose_name=_("program")
    )
    code = models.CharField(_("kode"), max_length=10, help_text=_("For eksempel BP1."))
    title = models.CharField(_("beslutning"), max_length=300)
    date = models.DateField(_("dato"))
    forum = models.CharField(_("forum"), max_length=120, blank=True, help_text=_("For eksempel formannskapet."))
    basis = models.TextField(_("beslutningsgrunnlag"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    decision_text = models.TextField(_("vedtak"), blank=True)
    reference = models.CharField(_("referanse"), max_length=120, blank=True, help_text=_("For eksempel saksnummer."))
    decided_on = models.DateField(_("besluttet dato"), null=True, blank=True)

    objects = DecisionPointManager()

    class Meta:
        verbose_name = _("beslutningspunkt")
        verbose_name_plural = _("beslutningspunkter")
        ordering = ["programme", "date", "code"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="decision_point_code_unique")]

    def __str__(self):
        return f"{self.code} {self.title}"

    def natural_key(self):
        return (*self.programme.natural_key(), self.code)

    natural_key.dependencies = ["portfolio.programme"]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.date < today and self.status != self.Status.DECIDED


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(planned_date__lt=today).exclude(status=Milestone.Status.ACHIEVED)


class MilestoneManager(models.Manager.from_queryset(MilestoneQuerySet)):
    def get_by_natural_key(self, programme_slug, code):
        return self.get(programme__slug=programme_slug, code=code)


class Milestone(models.Model):
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
    code = models.CharField(_("kode"), max_length=10, help_text=_("For eksempel MP1."))
    title = models.CharField(_("milepæl"), max_length=300)
    planned_date = models.DateField(_("planlagt dato"))
    criteria = models.TextField(_("målbart resultat"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    actual_date = models.DateField(_("faktisk dato"), null=True, blank=True)
    evidence = models.TextField(_("dokumentasjon"), blank=True)

    objects = MilestoneManager()

    class Meta:
        verbose_name = _("milepæl")
        verbose_name_plural = _("milepæler")
        ordering = ["programme", "planned_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="milestone_code_unique"),
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

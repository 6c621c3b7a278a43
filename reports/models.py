"""The annual revision reports (rulleringsrapporter) and the plan snapshots their first final run freezes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portfolio.models import Programme


class RevisionReport(models.Model):
    """One requested annual revision report (rulleringsrapport) for the executive committee, as a PDF and as HTML.

    Built by the Celery task `build_revision_report`; the state field is how the task claims the work
    exactly once (a conditional UPDATE from queued to gathering, or the take-over of a dead run's stale
    claim, see `revision_report.build_report`) and how the page shows progress.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("I kø")
        GATHERING = "gathering", _("Henter data")
        RENDERING = "rendering", _("Lager PDF")
        DONE = "done", _("Ferdig")
        FAILED = "failed", _("Feilet")

    FINISHED_STATES = (State.DONE, State.FAILED)

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="revision_reports", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revision_reports",
        verbose_name=_("bestilt av"),
    )
    requested_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    state = models.CharField(_("tilstand"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("feilmelding"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="rapporter/%Y/", blank=True)
    size = models.PositiveIntegerField(_("størrelse (byte)"), null=True, blank=True)
    # The same report as one self-contained HTML file, for the municipality's website; built with the PDF.
    html = models.FileField(_("HTML-utgave"), upload_to="rapporter/%Y/", blank=True)
    recommendations = models.TextField(
        _("anbefalinger"), blank=True, help_text=_("Prosjektleders anbefalinger til formannskapet.")
    )
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    scheduled = models.BooleanField(_("laget automatisk"), default=False, editable=False)
    # When a run of the task claimed the report. A claim older than revision_report.CLAIM_TIMEOUT belongs to a run
    # that died (worker killed), so another run may take it over; the value is also the run's fencing token.
    claimed_at = models.DateTimeField(_("tatt av bakgrunnsjobben"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rulleringsrapport")
        verbose_name_plural = _("rulleringsrapporter")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One request is one record: the same user cannot request the same year twice at the same moment.
            models.UniqueConstraint(
                fields=["programme", "year", "requested_by", "requested_at"], name="revision_report_request_unique"
            ),
            # The yearly scheduled run makes at most one report per programme and year, however often it runs.
            models.UniqueConstraint(
                fields=["programme", "year"], condition=Q(scheduled=True), name="revision_report_scheduled_unique"
            ),
        ]

    def __str__(self):
        return _("Rulleringsrapport %(year)s") % {"year": self.year}

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED_STATES


class PlanSnapshot(models.Model):
    """The plan of one programme as it stood when the year's first final revision report was built.

    `data` is `revision_report.snapshot_data(programme)`: plain JSON keyed by stable codes, so that two years can be
    compared even after objects were renamed or deleted. A snapshot is a record of the past and never changes.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="plan_snapshots", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)
    report = models.ForeignKey(
        RevisionReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="snapshots",
        verbose_name=_("rulleringsrapport"),
    )
    data = models.JSONField(_("data"), default=dict)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("øyeblikksbilde av planen")
        verbose_name_plural = _("øyeblikksbilder av planen")
        ordering = ["programme", "year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="plan_snapshot_year_unique")]

    def __str__(self):
        return _("Planen per %(year)s") % {"year": self.year}

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = PlanSnapshot.objects.filter(pk=self.pk).values_list("data", flat=True).first()
            if stored is not None and stored != self.data:
                raise ValueError("A plan snapshot is immutable: its data cannot be changed.")
        super().save(*args, **kwargs)

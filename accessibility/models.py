"""Barrier reports (meldinger om tilgjengelighetsfeil): what anyone, logged in or not, sends from the statement."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portfolio.models import Programme, ProgrammeRole


class BarrierReport(models.Model):
    created_at = models.DateTimeField(_("mottatt"), auto_now_add=True)
    # Optional: a barrier on the login page belongs to no programme. Kept when a programme is deleted.
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="barrier_reports",
        verbose_name=_("program"),
    )
    location = models.CharField(_("hvor"), max_length=500)
    description = models.TextField(_("hva skjedde"), max_length=5000)
    name = models.CharField(_("navn"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    # The one-time token of the form it was sent with: the same form sent twice is one report.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Set when the e-mail is claimed for sending (a conditional update), so it is sent at most once.
    notified_at = models.DateTimeField(_("varslet"), null=True, blank=True, editable=False)
    handled = models.BooleanField(_("behandlet"), default=False)
    note = models.TextField(_("notat"), blank=True, help_text=_("Hva som er gjort med meldingen."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("melding om tilgjengelighetsfeil")
        verbose_name_plural = _("meldinger om tilgjengelighetsfeil")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y}: {self.location[:60]}"

    def recipients(self) -> list[str]:
        """The chosen programme's project leaders and the installation's administrators (active superusers,
        and settings.ADMINS): each address once, none of another programme."""
        users = get_user_model().objects.filter(is_active=True).exclude(email="")
        addresses = list(users.filter(is_superuser=True).values_list("email", flat=True))
        # ADMINS entries are (name, address) pairs; a plain address is taken too.
        addresses += [entry if isinstance(entry, str) else entry[1] for entry in settings.ADMINS]
        if self.programme_id:
            leaders = users.filter(
                programme_roles__programme_id=self.programme_id,
                programme_roles__role=ProgrammeRole.Role.PROJECT_LEADER,
            )
            addresses += leaders.values_list("email", flat=True)
        unique = {address.strip().lower(): address.strip() for address in addresses if address.strip()}
        return [unique[key] for key in sorted(unique)]

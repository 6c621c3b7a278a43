"""The programme core: programme, phases, areas, activities, people, budget and status reports."""

import base64
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.validators import CODE_MESSAGE, CODE_PATTERN, validate_code
from common.versioning import Versioned

MONTH_NAMES = [
    _("jan"),
    _("feb"),
    _("mar"),
    _("apr"),
    _("mai"),
    _("jun"),
    _("jul"),
    _("aug"),
    _("sep"),
    _("okt"),
    _("nov"),
    _("des"),
]


class OrganisationManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Organisation(Versioned, models.Model):
    """A municipality (or another public body) that runs programmes; one installation may serve several."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    slug = models.SlugField(_("kortnavn"), max_length=80, unique=True)
    organisation_number = models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{9}$", _("Organisasjonsnummeret har ni sifre."))],
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="logoer/",
        blank=True,
        help_text=_("PNG eller JPEG, vises i toppen av sidene og i PDF-ene."),
    )
    colour = models.CharField(
        _("farge"),
        max_length=7,
        default="#00509e",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Skriv fargen som #rrggbb, for eksempel #00509e."))],
        help_text=_("Kommunens profilfarge på sidene og i PDF-ene."),
    )

    objects = OrganisationManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    DEFAULT_ACCENT = "#00509e"

    @property
    def accent_colour(self) -> str:
        """The organisation's colour where it may carry text (links, headings): only with a contrast of at least
        4.5:1 on white (WCAG 2.1 AA); otherwise the app's own blue. The colour itself always marks the header."""
        return self.colour if contrast_on_white(self.colour) >= 4.5 else self.DEFAULT_ACCENT

    def logo_data_uri(self) -> str:
        """The logo inlined for the PDF (WeasyPrint then needs no access to the storage); '' without a logo."""
        if not self.logo:
            return ""
        try:
            with self.logo.open("rb") as handle:
                content = handle.read()
        except OSError:
            return ""
        kind = "png" if content.startswith(b"\x89PNG") else "jpeg"
        return f"data:image/{kind};base64,{base64.b64encode(content).decode('ascii')}"


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of a #rrggbb colour against white."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    try:
        red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    except (ValueError, TypeError):
        return 0.0
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


# Words in the public addresses (/forslag/kommune/<organisation>/) that a programme's short name would clash with.
RESERVED_PROGRAMME_SLUGS = {"kommune"}


def validate_programme_slug(value: str) -> None:
    if value.lower() in RESERVED_PROGRAMME_SLUGS:
        raise ValidationError(
            _("«%(value)s» er reservert og kan ikke være kortnavnet til et program."), params={"value": value}
        )


class ProgrammeManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Programme(Versioned, models.Model):
    slug = models.SlugField(_("kortnavn"), max_length=80, unique=True, validators=[validate_programme_slug])
    name = models.CharField(_("navn"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("organisasjon")
    )
    goal = models.TextField(_("mål"), blank=True)
    scope = models.TextField(_("omfang og avgrensning"), blank=True)
    start_date = models.DateField(_("startdato"))
    end_date = models.DateField(_("sluttdato"))
    status_report_interval_days = models.PositiveSmallIntegerField(
        _("dager mellom statusrapporter"),
        default=14,
        help_text=_("Hvor ofte de ansvarlige for hovedaktivitetene skal levere statusrapport (PL–PA-rytmen)."),
    )

    objects = ProgrammeManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programmer")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="programme_ends_after_start")
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["portfolio.organisation"]

    @property
    def municipality(self) -> str:
        """The name of the municipality (organisation) that runs the programme, for headings and reports."""
        return self.organisation.name

    def has_ended(self, today=None) -> bool:
        """Past its end date: pages then show the programme's final state, and nothing in it is «forfalt»."""
        return (today or timezone.localdate()) > self.end_date

    def overdue_cutoff(self, today=None):
        """The day before which an open due date counts as «forfalt»: today while the programme runs. After its end
        nothing is overdue any more (the pages show the final state), so no date lies before the cutoff."""
        today = today or timezone.localdate()
        return date.min if self.has_ended(today) else today

    @property
    def ended(self) -> bool:
        """`has_ended()` today, for templates."""
        return self.has_ended()

    def clamp(self, day=None):
        """`day` (today by default) moved into the programme period: the date a form starts from, so that a
        form opened after the programme ended (or before it began) does not default to a date it refuses."""
        day = day or timezone.localdate()
        return min(max(day, self.start_date), self.end_date)


class PhaseManager(models.Manager):
    def get_by_natural_key(self, programme_slug, number):
        return self.get(programme__slug=programme_slug, number=number)


class Phase(Versioned, models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases", verbose_name=_("program"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    year = models.PositiveSmallIntegerField(_("år"))
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    budget_note = models.TextField(
        _("merknad til budsjettet"),
        blank=True,
        help_text=_("For eksempel der planen trykker en annen sum enn linjene gir."),
    )

    objects = PhaseManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fase")
        verbose_name_plural = _("faser")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="phase_number_unique"),
            models.UniqueConstraint(fields=["programme", "year"], name="phase_year_unique"),
        ]

    def __str__(self):
        return _("Fase %(number)s (%(year)s)") % {"number": self.number, "year": self.year}

    def natural_key(self):
        return (*self.programme.natural_key(), self.number)

    natural_key.dependencies = ["portfolio.programme"]

    def budget_totals(self) -> dict:
        """Planned and actual totals of cost and financing lines; None where a line is not settled."""
        return summarise_budget(self.budget_lines.all())


class AreaManager(models.Manager):
    def get_by_natural_key(self, programme_slug, number):
        return self.get(programme__slug=programme_slug, number=number)


class Area(Versioned, models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="areas", verbose_name=_("program"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    name = models.CharField(_("navn"), max_length=200)

    objects = AreaManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hovedområde")
        verbose_name_plural = _("hovedområder")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="area_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def natural_key(self):
        return (*self.programme.natural_key(), self.number)

    natural_key.dependencies = ["portfolio.programme"]


class PersonManager(models.Manager):
    def get_by_natural_key(self, organisation_slug, name):
        return self.get(organisation__slug=organisation_slug, name=name)


class Person(Versioned, models.Model):
    """Someone in the organisation; may or may not have a user account.

    People belong to one organisation, so that one municipality's staff never appear in another's lists; a user
    who works for two municipalities is a person in each.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="people", verbose_name=_("organisasjon")
    )
    name = models.CharField(_("navn"), max_length=200)
    title = models.CharField(_("stilling/funksjon"), max_length=200, blank=True)
    unit = models.CharField(_("enhet"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("brukerkonto"),
    )

    objects = PersonManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="person_name_unique_in_organisation"),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=Q(user__isnull=False),
                name="person_user_unique_in_organisation",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.organisation.natural_key(), self.name)

    natural_key.dependencies = ["portfolio.organisation"]


class Membership(models.Model):
    """A person's role in a programme (section 3 of the plan: organisation)."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Prosjekteier")
        SPONSOR = "sponsor", _("Oppdragsgiver")
        PROJECT_OWNER = "pa", _("Prosjektansvarlig")
        PROJECT_LEADER = "pl", _("Prosjektleder")
        STEERING = "sg", _("Styringsgruppe")
        PROJECT_GROUP = "pg", _("Prosjektgruppe")
        REFERENCE = "ref", _("Referansegruppe")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("program")
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    role = models.CharField(_("rolle"), max_length=10, choices=Role.choices)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rolle i programmet")
        verbose_name_plural = _("roller i programmet")
        ordering = ["programme", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person", "role"], name="membership_unique"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}"


class ProgrammeRole(models.Model):
    """What a user may do in one programme (docs/roles.md). A user may hold several roles, in several programmes.

    The access layer (portfolio/access.py) reads these rows; the organisation chart of the plan (Membership,
    with Person) is a separate matter and grants nothing.
    """

    class Role(models.TextChoices):
        PROJECT_LEADER = "prosjektleder", _("Prosjektleder")
        STEERING_GROUP = "styringsgruppe", _("Styringsgruppe")
        PROJECT_GROUP = "prosjektgruppe", _("Prosjektgruppe")
        STAFF = "ansatt", _("Ansatt")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles", verbose_name=_("bruker")
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles", verbose_name=_("program"))
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("gitt"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gitt av"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        ordering = ["programme", "role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "programme", "role"], name="programme_role_unique")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.programme})"


class OrganisationMember(models.Model):
    """An employee of the organisation: submits proposals to, and follows their own in, all its programmes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisations", verbose_name=_("bruker")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="members", verbose_name=_("organisasjon")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ansatt i organisasjonen")
        verbose_name_plural = _("ansatte i organisasjonen")
        ordering = ["organisation", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="organisation_member_unique")]

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class ActivityQuerySet(models.QuerySet):
    def with_status_dates(self):
        """Annotate what `Activity.status_report_due_on` needs: the latest report's period end and the first
        scheduled month (one subquery each, so a list of activities never queries per row)."""
        latest = StatusReport.objects.filter(activity=OuterRef("pk")).order_by("-period_end")
        first = ScheduledMonth.objects.filter(activity=OuterRef("pk")).order_by("phase__year", "month")
        return self.annotate(
            last_period_end=Subquery(latest.values("period_end")[:1]),
            first_scheduled_year=Subquery(first.values("phase__year")[:1]),
            first_scheduled_month=Subquery(first.values("month")[:1]),
        )


class ActivityManager(models.Manager.from_queryset(ActivityQuerySet)):
    def get_by_natural_key(self, programme_slug, code):
        return self.get(programme__slug=programme_slug, code=code)


class Activity(Versioned, models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="activities", verbose_name=_("program")
    )
    code = models.CharField(_("kode"), max_length=10, validators=[validate_code], help_text=_("For eksempel HA01."))
    name = models.CharField(_("navn"), max_length=200)
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("hovedområde"),
    )
    purpose = models.TextField(_("hensikt"), blank=True)
    tasks = models.TextField(_("oppgaver"), blank=True)
    expected_result = models.TextField(_("resultat / milepæl"), blank=True)
    responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for",
        verbose_name=_("ansvarlig"),
    )
    working_group = models.ManyToManyField(
        Person, blank=True, related_name="working_groups", verbose_name=_("arbeidsgruppe")
    )
    schedule_note = models.TextField(_("merknad til tidsplanen"), blank=True)
    status_reminded_on = models.DateField(
        _("påminnelse om statusrapport sendt"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Siste dato en påminnelse ble sendt; hindrer at samme påminnelse sendes to ganger."),
    )

    objects = ActivityManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hovedaktivitet")
        verbose_name_plural = _("hovedaktiviteter")
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="activity_code_unique"),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN),
                name="activity_code_valid",
                violation_error_code="invalid_code",
                violation_error_message=CODE_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (*self.programme.natural_key(), self.code)

    natural_key.dependencies = ["portfolio.programme", "portfolio.area", "portfolio.person"]

    def _status_dates(self) -> tuple:
        """(latest period end, first scheduled (year, month) or None), from `with_status_dates()` or queried."""
        if hasattr(self, "last_period_end"):
            first = (self.first_scheduled_year, self.first_scheduled_month) if self.first_scheduled_year else None
            return self.last_period_end, first
        last = self.status_reports.order_by("-period_end").values_list("period_end", flat=True).first()
        first = self.scheduled_months.order_by("phase__year", "month").values_list("phase__year", "month").first()
        return last, first

    @property
    def status_report_due_on(self) -> date:
        """When the next status report is due: the latest report's period end plus the programme's interval.

        Without a report the first one is due one interval after the activity starts: the first day of its
        first scheduled month, or the programme's start when it has no schedule. Use `with_status_dates()`
        on lists.
        """
        last, first = self._status_dates()
        interval = timedelta(days=self.programme.status_report_interval_days)
        if last is not None:
            return last + interval
        start = date(first[0], first[1], 1) if first else self.programme.start_date
        return max(start, self.programme.start_date) + interval

    def claim_status_reminder(self, today) -> bool:
        """Claim the reminder for the current due period, once however often (or in parallel) the task runs.

        A conditional UPDATE: only one run sees the activity as not yet reminded since the report fell due.
        A new report moves the due date forward, so the next period gets its own reminder.
        """
        due = self.status_report_due_on
        claimed = (
            Activity.objects.filter(pk=self.pk)
            .filter(Q(status_reminded_on__isnull=True) | Q(status_reminded_on__lt=due))
            .update(status_reminded_on=today)
        )
        return claimed == 1

    @property
    def responsible_email(self) -> str:
        """The responsible's e-mail: their Person record's, else their user account's; '' when neither."""
        person = self.responsible
        if person is None:
            return ""
        return person.email or (person.user.email if person.user_id else "")


class ScheduledMonth(models.Model):
    """One month in which an activity is scheduled to be worked on (the bars of the plan's schedule)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="scheduled_months", verbose_name=_("hovedaktivitet")
    )
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="scheduled_months", verbose_name=_("fase"))
    month = models.PositiveSmallIntegerField(_("måned"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("planlagt måned")
        verbose_name_plural = _("planlagte måneder")
        ordering = ["activity", "phase__number", "month"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "phase", "month"], name="scheduled_month_unique"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="scheduled_month_1_12"),
        ]

    def __str__(self):
        return f"{self.activity.code} {MONTH_NAMES[self.month - 1]} {self.phase.year}"


def summarise_budget(lines) -> dict:
    """Planned and actual totals per kind (cost, financing) of the given budget lines.

    A planned total is only a number when every line has one: if any planned amount is
    unknown ("ikke avklart") the total is None, never a partial sum. Takes any iterable
    of lines, so a view that already holds them costs no extra query.
    """
    result = {
        kind.value: {
            "planned": Decimal("0"),
            "planned_known": Decimal("0"),
            "actual": None,
            "unknown_lines": 0,
            # Lines with no actual amount recorded yet: «faktisk» is then the sum of the others only.
            "actual_unknown_lines": 0,
            "lines": 0,
        }
        for kind in BudgetLine.Kind
    }
    for line in lines:
        total = result[line.kind]
        total["lines"] += 1
        if line.planned_amount is None:
            total["unknown_lines"] += 1
        else:
            total["planned_known"] += line.planned_amount
        if line.actual_amount is not None:
            total["actual"] = (total["actual"] or Decimal("0")) + line.actual_amount
        else:
            total["actual_unknown_lines"] += 1
    for total in result.values():
        total["planned"] = None if total["unknown_lines"] else total["planned_known"]
    return result


class BudgetLine(Versioned, models.Model):
    class Kind(models.TextChoices):
        COST = "cost", _("Kostnad")
        FINANCING = "financing", _("Finansiering")

    class Category(models.TextChoices):
        INVESTMENT = "investment", _("Investering")
        OPERATING = "operating", _("Drift")
        UNITS = "units", _("Enheter")

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("fase"))
    activity = models.ForeignKey(
        "Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("hovedaktivitet"),
        help_text=_("Hovedaktiviteten linjen hører til, der planen sier det; tomt for felles linjer."),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("kategori"), max_length=12, choices=Category.choices)
    description = models.CharField(_("beskrivelse"), max_length=300)
    planned_amount = models.DecimalField(
        _("planlagt beløp (kr)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Tomt betyr ikke avklart."),
    )
    actual_amount = models.DecimalField(_("faktisk beløp (kr)"), max_digits=14, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    note = models.TextField(_("merknad"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budsjettlinje")
        verbose_name_plural = _("budsjettlinjer")
        ordering = ["phase__number", "kind", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_amount__isnull=True) | Q(planned_amount__gte=0), name="budget_planned_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(actual_amount__isnull=True) | Q(actual_amount__gte=0), name="budget_actual_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.phase}: {self.get_kind_display()} – {self.description}"


class RAG(models.TextChoices):
    """Traffic-light status used in status reports."""

    GREEN = "green", _("Grønn")
    YELLOW = "yellow", _("Gul")
    RED = "red", _("Rød")


class StatusReportQuerySet(models.QuerySet):
    def latest_per_activity(self, on=None):
        """Each activity's latest report (with a period end on or before `on`, if given), in one query."""
        candidates = StatusReport.objects.filter(activity=OuterRef("activity"))
        if on is not None:
            candidates = candidates.filter(period_end__lte=on)
        latest = candidates.order_by("-period_end", "-created_at", "-id").values("pk")[:1]
        return self.filter(pk=Subquery(latest))

    def with_red(self):
        """Reports where at least one of the five dimensions is red."""
        red = Q()
        for name in StatusReport.DIMENSIONS:
            red |= Q(**{name: RAG.RED})
        return self.filter(red)


class StatusReport(Versioned, models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="status_reports", verbose_name=_("hovedaktivitet")
    )
    period_end = models.DateField(_("rapport per"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="status_reports",
        verbose_name=_("skrevet av"),
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    overall = models.CharField(_("samlet status"), max_length=6, choices=RAG.choices)
    scope = models.CharField(_("omfang"), max_length=6, choices=RAG.choices)
    time = models.CharField(_("tid"), max_length=6, choices=RAG.choices)
    cost = models.CharField(_("kostnad"), max_length=6, choices=RAG.choices)
    risk = models.CharField(_("risiko"), max_length=6, choices=RAG.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    scope_comment = models.TextField(_("kommentar til omfang"), blank=True)
    time_comment = models.TextField(_("kommentar til tid"), blank=True)
    cost_comment = models.TextField(_("kommentar til kostnad"), blank=True)
    risk_comment = models.TextField(_("kommentar til risiko"), blank=True)
    achievements = models.TextField(_("oppnådd siden sist"), blank=True)
    next_steps = models.TextField(_("neste steg"), blank=True)

    objects = StatusReportQuerySet.as_manager()

    history = HistoricalRecords()

    # The five traffic-light dimensions, each with its comment field, in the order the pages show them.
    DIMENSIONS = {
        "overall": "comment",
        "scope": "scope_comment",
        "time": "time_comment",
        "cost": "cost_comment",
        "risk": "risk_comment",
    }

    class Meta:
        verbose_name = _("statusrapport")
        verbose_name_plural = _("statusrapporter")
        ordering = ["activity", "-period_end", "-created_at"]
        get_latest_by = "period_end"
        # One report per activity and date: the form says so first; two parallel saves meet this constraint.
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "period_end"],
                name="status_report_one_per_date",
                violation_error_message=_("Det finnes allerede en statusrapport for denne datoen."),
            )
        ]

    def __str__(self):
        return _("Status %(code)s per %(date)s") % {"code": self.activity.code, "date": self.period_end}

    def dimensions(self) -> list[dict]:
        """Label, value, value label and comment of each dimension, for the templates."""
        return [
            {
                "name": name,
                "label": self._meta.get_field(name).verbose_name,
                "value": getattr(self, name),
                "display": RAG(getattr(self, name)).label if getattr(self, name) else "",
                "comment": getattr(self, comment),
            }
            for name, comment in self.DIMENSIONS.items()
        ]


class ImportJob(models.Model):
    """A spreadsheet import too large to run inside a web request, run by a Celery worker instead.

    The web request stores the file and queues the job (`portfolio.imports`); the page polls the job's state
    and its progress. The import itself is the same all-or-nothing run as a small one: a dry run (preview)
    first, which the project leader confirms as a second job over the same file.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Importerer")
        DONE = "done", _("Ferdig")
        FAILED = "failed", _("Feilet")

    FINISHED_STATES = (State.DONE, State.FAILED)

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("program")
    )
    kind = models.CharField(_("type"), max_length=30)  # a key of portfolio.imports.IMPORTERS
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="import_jobs",
        verbose_name=_("bestilt av"),
    )
    requested_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    filename = models.CharField(_("filnavn"), max_length=255)
    file = models.FileField(_("fil"), upload_to="imports/%Y/", max_length=255)
    dry_run = models.BooleanField(_("prøveimport"), default=True)
    # The dry run this job carries out for real; one confirmation per dry run (a unique constraint, so a
    # double click cannot import twice).
    confirms = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="confirmation", editable=False
    )
    state = models.CharField(_("tilstand"), max_length=10, choices=State.choices, default=State.QUEUED)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    total_rows = models.PositiveIntegerField(_("rader"), default=0)
    new_rows = models.PositiveIntegerField(_("nye"), default=0)
    updated_rows = models.PositiveIntegerField(_("endrede"), default=0)
    saved = models.BooleanField(_("lagret"), default=False)
    # The first rows of the preview and the first errors (row, column, message); the counts above are complete.
    rows = models.JSONField(_("rader i forhåndsvisningen"), default=list, blank=True)
    errors = models.JSONField(_("feil"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("antall feil"), default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("importjobb")
        verbose_name_plural = _("importjobber")

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in self.FINISHED_STATES

    @property
    def can_be_confirmed(self) -> bool:
        return self.dry_run and self.state == self.State.DONE and not self.error_count and self.total_rows > 0

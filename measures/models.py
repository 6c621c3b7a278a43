"""Proposals for measures (forslag til tiltak), their life cycle and the annual revision rounds."""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, connections, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from common.tasks import queue_on_commit
from common.versioning import Versioned
from portfolio.models import Activity, Area, Programme

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def rounded_priority(value) -> int | None:
    """The one rounding of a priority (0–100) for pages, the agenda, the API and the report: half up, so 62,5 is
    63 everywhere (Python's round() would give 62 here and a template's floatformat 63)."""
    if value is None:
        return None
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class RevisionRoundManager(models.Manager):
    def get_by_natural_key(self, programme_slug, year):
        return self.get(programme__slug=programme_slug, year=year)


class RevisionRound(Versioned, models.Model):
    """The annual revision (rullering, HA17): proposals are collected and prioritised per round."""

    class Status(models.TextChoices):
        OPEN = "open", _("Åpen")
        CLOSED = "closed", _("Avsluttet")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="revision_rounds", verbose_name=_("program")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("åpnet"), default=timezone.localdate)
    closed_on = models.DateField(_("avsluttet"), null=True, blank=True)
    note = models.TextField(_("merknad"), blank=True)

    objects = RevisionRoundManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rulleringsrunde")
        verbose_name_plural = _("rulleringsrunder")
        ordering = ["programme", "-year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="round_year_unique")]

    def __str__(self):
        return _("Rullering %(year)s") % {"year": self.year}

    def natural_key(self):
        return (*self.programme.natural_key(), self.year)

    natural_key.dependencies = ["portfolio.programme"]

    @classmethod
    def current(cls, programme) -> "RevisionRound | None":
        """The open round (the latest if several are open), else the latest round."""
        return (
            cls.objects.filter(programme=programme)
            .order_by(models.Case(models.When(status=cls.Status.OPEN, then=0), default=1), "-year")
            .first()
        )

    @classmethod
    def open_new(cls, programme, year: int, *, by=None) -> "RevisionRound":
        """Open the round for `year`: earlier open rounds close, and every proposal still open in an earlier round
        is carried into the new one (`_carry_over`; deferred ones back to screening, through a recorded transition).

        Only a year of the programme's period or next year may be opened: a mistyped year far ahead would
        otherwise close the current round, and its proposals would wait for a round nobody runs.
        """
        exists = _("Det finnes allerede en rullering for %(year)s.") % {"year": year}
        if cls.objects.filter(programme=programme, year=year).exists():
            raise ValidationError(exists)
        previous = cls.objects.filter(programme=programme).order_by("-year").first()
        # "Next year": the calendar's, or the one after the latest round.
        first, last, next_year = programme.start_date.year, programme.end_date.year, timezone.localdate().year + 1
        if not (first <= year <= last or year == next_year or (previous is not None and year == previous.year + 1)):
            raise ValidationError(
                _("Rulleringen må gjelde et år i programperioden (%(first)s–%(last)s) eller neste år (%(next)s).")
                % {"first": first, "last": last, "next": next_year}
            )
        if previous is not None and year < previous.year:
            raise ValidationError(_("En ny rullering må gjelde et senere år enn %(year)s.") % {"year": previous.year})
        try:
            return cls._open(programme, year, previous, by=by)
        except IntegrityError:  # another leader opened the same year at the same moment
            raise ValidationError(exists) from None

    @classmethod
    def _open(cls, programme, year: int, previous, *, by=None) -> "RevisionRound":
        with transaction.atomic():
            today = timezone.localdate()
            cls.objects.filter(programme=programme, status=cls.Status.OPEN).update(
                status=cls.Status.CLOSED, closed_on=today
            )
            new = cls.objects.create(programme=programme, year=year, opened_on=today)
            cls._carry_over(programme, new, by=by)
        return new

    @classmethod
    def _carry_over(cls, programme, new: "RevisionRound", *, by=None) -> list:
        """Move every proposal still open in an earlier round into `new`: all but rejected, done and in progress.

        Deferred ones go back to screening (a status change the submitter hears about); the others – submitted,
        under screening, needing assessment, quick wins and prioritised but not started – keep their status and
        get a history line saying where they came from. Before, only the deferred moved, and the rest vanished
        from the next year's ranking in a closed round.
        """
        carried = list(
            Proposal.objects.filter(programme=programme, revision_round__year__lt=new.year)
            .exclude(status__in=Proposal.SETTLED_STATUSES)
            .select_related("revision_round")
        )
        sources = {}
        for proposal in carried:
            sources.setdefault(proposal.revision_round, []).append(proposal.pk)
        for source, pks in sources.items():
            Proposal.objects.filter(pk__in=pks).update(revision_round=new, carried_from=source)
        notes = []
        for proposal in carried:
            source = proposal.carried_from = proposal.revision_round
            proposal.revision_round = new
            comment = _("Overført fra rullering %(old)s til %(new)s.") % {"old": source.year, "new": new.year}
            if proposal.status == Proposal.Status.DEFERRED:
                proposal.transition_to(Proposal.Status.SCREENING, by=by, comment=comment)
            else:
                status = proposal.status
                notes.append(
                    ProposalTransition(proposal=proposal, from_status=status, to_status=status, by=by, comment=comment)
                )
        ProposalTransition.objects.bulk_create(notes)
        return carried

    def summary(self) -> dict:
        """Counts per status and per area, and how many were carried on to a later round."""
        proposals = Proposal.objects.filter(revision_round=self).visible()
        by_status = dict(proposals.values_list("status").annotate(n=models.Count("id")).order_by())
        by_area = list(
            proposals.values("area__number", "area__name").annotate(n=models.Count("id")).order_by("area__number")
        )
        return {
            "total": sum(by_status.values()),
            "by_status": [(label, by_status.get(value, 0)) for value, label in Proposal.Status.choices],
            "by_area": by_area,
            "carried_on": Proposal.objects.filter(carried_from=self).count(),
        }


class ProposalQuerySet(models.QuerySet):
    def with_priority(self):
        """Annotate `priority` with the same formula as Proposal.priority_score (see README)."""
        return self.annotate(priority=Proposal.priority_expression())

    def visible(self):
        """Proposals that have passed moderation (citizens' proposals start hidden)."""
        return self.filter(published=True)

    def measures(self):
        """Accepted proposals: those taken into the plan as measures (tiltak)."""
        return self.filter(status__in=Proposal.ACCEPTED_STATUSES)

    def awaiting_moderation(self):
        return self.filter(published=False).exclude(status=Proposal.Status.REJECTED)

    def awaiting_decision(self):
        """Waiting for the steering group (Proposal.AWAITING_DECISION)."""
        return self.filter(status__in=Proposal.AWAITING_DECISION)

    def undecided(self):
        """Not decided by anyone yet, new proposals included (Proposal.UNDECIDED)."""
        return self.filter(status__in=Proposal.UNDECIDED)

    def open(self):
        """Still in the running: neither rejected nor done (Proposal.CLOSED)."""
        return self.exclude(status__in=Proposal.CLOSED)

    def search(self, text: str):
        """Every search term (`search_terms`: at most `SEARCH_MAX_TERMS`) in title, description, problem, unit or
        submitter. PostgreSQL: Norwegian full-text search over those fields, or every term as a substring of the
        title (so «velferd» still finds «Velferdsteknologi …», which stemming does not). SQLite: every term as a
        case-insensitive substring of one of the fields. No usable term: no filter."""
        terms, _capped = search_terms(text)
        if not terms:
            return self
        if connections[self.db].vendor == "postgresql":
            # Imported here: psycopg is only needed (and only installed for sure) where PostgreSQL is used.
            from django.contrib.postgres.search import SearchQuery, SearchVector

            vector = SearchVector("title", config="norwegian", weight="A") + SearchVector(
                "description", "problem", "unit", "submitter_name", config="norwegian", weight="B"
            )
            query = SearchQuery(" ".join(terms), config="norwegian", search_type="plain")
            # Stemming matches whole words only; the title substrings keep what tests/measures asserts (e.g.
            # «sensor velferd» finds «Velferdsteknologi sensor 00»).
            in_title = Q()
            for term in terms:
                in_title &= Q(title__icontains=term)
            return self.alias(search_document=vector).filter(Q(search_document=query) | in_title)
        for term in terms:
            self = self.filter(
                Q(title__icontains=term)
                | Q(description__icontains=term)
                | Q(problem__icontains=term)
                | Q(unit__icontains=term)
                | Q(submitter_name__icontains=term)
            )
        return self


SEARCH_MAX_TERMS = 8
SEARCH_MAX_TERM_LENGTH = 50
SEARCH_MAX_LENGTH = 200


def search_terms(text: str) -> tuple[list[str], bool]:
    """The terms `ProposalQuerySet.search` uses, and whether any of `text` was left out: control and invisible
    characters removed (whitespace ones still separate words), the first `SEARCH_MAX_LENGTH` characters, of those
    the first `SEARCH_MAX_TERMS` words, each cut to `SEARCH_MAX_TERM_LENGTH` characters. Bounds the query a
    pasted text can build."""
    cleaned = "".join(char for char in text if char.isspace() or not unicodedata.category(char).startswith("C"))
    words = cleaned[:SEARCH_MAX_LENGTH].split()
    capped = len(words) > SEARCH_MAX_TERMS or len(cleaned) > SEARCH_MAX_LENGTH
    return [word[:SEARCH_MAX_TERM_LENGTH] for word in words[:SEARCH_MAX_TERMS]], capped


class Proposal(Versioned, models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Innsendt")
        SCREENING = "screening", _("Under vurdering")
        QUICK_WIN = "quick_win", _("Kan gjennomføres straks")
        NEEDS_ASSESSMENT = "needs_assessment", _("Krever utredning")
        PRIORITISED = "prioritised", _("Prioritert i årets plan")
        DEFERRED = "deferred", _("Vurderes i neste runde")
        REJECTED = "rejected", _("Avslått")
        IN_PROGRESS = "in_progress", _("Under gjennomføring")
        DONE = "done", _("Gjennomført")

    class SubmitterType(models.TextChoices):
        STAFF = "ansatt", _("Ansatt")
        CITIZEN = "innbygger", _("Innbygger")

    # Settled: not carried into the next revision round (RevisionRound._carry_over).
    SETTLED_STATUSES = (Status.REJECTED, Status.IN_PROGRESS, Status.DONE)

    # The life cycle of docs/domain-model.md. A transition not listed here is refused.
    TRANSITIONS = {
        Status.SUBMITTED: {Status.SCREENING, Status.REJECTED},
        Status.SCREENING: {
            Status.QUICK_WIN,
            Status.NEEDS_ASSESSMENT,
            Status.PRIORITISED,
            Status.DEFERRED,
            Status.REJECTED,
        },
        Status.NEEDS_ASSESSMENT: {Status.QUICK_WIN, Status.PRIORITISED, Status.DEFERRED, Status.REJECTED},
        Status.QUICK_WIN: {Status.IN_PROGRESS, Status.DEFERRED, Status.REJECTED},
        Status.PRIORITISED: {Status.IN_PROGRESS, Status.DEFERRED, Status.REJECTED},
        Status.DEFERRED: {Status.SCREENING},
        Status.REJECTED: {Status.SCREENING},
        Status.IN_PROGRESS: {Status.DONE, Status.DEFERRED},
        Status.DONE: set(),
    }
    ACCEPTED_STATUSES = (Status.QUICK_WIN, Status.PRIORITISED, Status.IN_PROGRESS, Status.DONE)
    # The decision vocabulary, defined here once (docs/domain-model.md) and used by lists, agenda and dashboard:
    # awaiting decision: screened or assessed, waiting for the steering group;
    AWAITING_DECISION = (Status.SCREENING, Status.NEEDS_ASSESSMENT)
    # the decisions the steering group makes on a proposal awaiting one;
    DECISIONS = (Status.QUICK_WIN, Status.PRIORITISED, Status.DEFERRED, Status.REJECTED)
    # undecided: nobody has decided yet, new proposals included; decided: everything else;
    UNDECIDED = (Status.SUBMITTED, *AWAITING_DECISION)
    # closed: out of the running for good. Every other proposal is open and has a place in the round's ranking.
    CLOSED = (Status.REJECTED, Status.DONE)

    # Priority score weights: need and benefit count double, the two feasibilities once.
    PRIORITY_WEIGHTS = {"need": 2, "benefit": 2, "feasibility_technical": 1, "feasibility_economic": 1}

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("program")
    )
    revision_round = models.ForeignKey(
        RevisionRound,
        # RESTRICT, not PROTECT: a round with proposals cannot be deleted alone, but goes with its programme.
        on_delete=models.RESTRICT,
        related_name="proposals",
        verbose_name=_("runde"),
    )
    area = models.ForeignKey(Area, on_delete=models.RESTRICT, related_name="proposals", verbose_name=_("hovedområde"))
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("hovedaktivitet"),
    )
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    problem = models.TextField(_("hvilket problem løser det"), blank=True)
    expected_benefit = models.TextField(_("forventet nytte"), blank=True)
    unit = models.CharField(_("enhet"), max_length=120, blank=True)
    submitter_name = models.CharField(_("innsender"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("innsenders e-post"), blank=True)
    submitter_type = models.CharField(
        _("innsendertype"), max_length=10, choices=SubmitterType.choices, default=SubmitterType.STAFF
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("innsendt av bruker"),
    )
    submitted_on = models.DateField(_("innsendt"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    published = models.BooleanField(
        _("godkjent for visning"),
        default=True,
        help_text=_("Forslag fra innbyggere er skjult til prosjektleder har godkjent dem."),
    )

    need = models.PositiveSmallIntegerField(_("behov"), null=True, blank=True, validators=SCORE_VALIDATORS)
    benefit = models.PositiveSmallIntegerField(_("nytteverdi"), null=True, blank=True, validators=SCORE_VALIDATORS)
    feasibility_technical = models.PositiveSmallIntegerField(
        _("teknisk gjennomførbarhet"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    feasibility_economic = models.PositiveSmallIntegerField(
        _("økonomisk gjennomførbarhet"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    estimated_cost = models.DecimalField(
        _("kostnadsestimat (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    estimated_effort_days = models.DecimalField(
        _("estimert innsats (dagsverk)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    needs_change_council = models.BooleanField(_("skal behandles i endringsrådet"), default=False)
    change_council_reviewed_on = models.DateField(_("behandlet i endringsrådet"), null=True, blank=True)
    change_council_note = models.TextField(_("endringsrådets merknad"), blank=True)
    is_demo = models.BooleanField(
        _("demodata"),
        default=False,
        help_text=_("Oppdiktet eksempel, ikke et forslag fra kommunen."),
    )
    source_note = models.TextField(_("kilde"), blank=True)
    carried_from = models.ForeignKey(
        RevisionRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_on",
        verbose_name=_("overført fra runde"),
    )
    # The one-time token of the public form the proposal was sent with: the same form sent again (a double
    # click, a reload, a retry) finds its proposal instead of making another.
    submission_token = models.UUIDField(_("innsendingsnøkkel"), null=True, blank=True, unique=True, editable=False)

    objects = ProposalQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forslag til tiltak")
        verbose_name_plural = _("forslag til tiltak")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(need__isnull=True) | Q(need__gte=1, need__lte=5), name="proposal_need_1_5"
            ),
            models.CheckConstraint(
                condition=Q(benefit__isnull=True) | Q(benefit__gte=1, benefit__lte=5), name="proposal_benefit_1_5"
            ),
            models.CheckConstraint(
                condition=Q(feasibility_technical__isnull=True)
                | Q(feasibility_technical__gte=1, feasibility_technical__lte=5),
                name="proposal_feas_tech_1_5",
            ),
            models.CheckConstraint(
                condition=Q(feasibility_economic__isnull=True)
                | Q(feasibility_economic__gte=1, feasibility_economic__lte=5),
                name="proposal_feas_econ_1_5",
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0), name="proposal_cost_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def priority_expression(cls):
        """Priority 0–100 as a database expression; NULL until all four scores are set."""
        weights = cls.PRIORITY_WEIGHTS
        weighted = sum((F(field) * weight for field, weight in weights.items()), start=models.Value(0))
        low, high = sum(weights.values()), 5 * sum(weights.values())
        return models.ExpressionWrapper((weighted - low) * 100.0 / (high - low), output_field=models.FloatField())

    @property
    def priority_score(self) -> int | None:
        """Priority 0–100 (see README): need and benefit weigh double, feasibilities once."""
        values = {field: getattr(self, field) for field in self.PRIORITY_WEIGHTS}
        if any(value is None for value in values.values()):
            return None
        weights = self.PRIORITY_WEIGHTS
        weighted = sum(values[field] * weight for field, weight in weights.items())
        low, high = sum(weights.values()), 5 * sum(weights.values())
        return rounded_priority(Decimal((weighted - low) * 100) / (high - low))

    @property
    def is_measure(self) -> bool:
        return self.status in self.ACCEPTED_STATUSES

    def allowed_transitions(self) -> list[str]:
        return sorted(self.TRANSITIONS[self.Status(self.status)])

    def steering_decisions(self) -> list[str]:
        """The decisions the steering group may make now: none unless the proposal awaits one."""
        if self.status not in self.AWAITING_DECISION:
            return []
        allowed = self.TRANSITIONS[self.Status(self.status)]
        return [status for status in self.DECISIONS if status in allowed]

    def transition_to(self, status: str, *, by=None, comment: str = "") -> "ProposalTransition":
        """Move to `status`, recording who, when, from and to. Illegal moves raise ValidationError."""
        new = self.Status(status)
        old = self.Status(self.status)
        if new not in self.TRANSITIONS[old]:
            raise ValidationError(
                _("Kan ikke endre status fra «%(old)s» til «%(new)s».") % {"old": old.label, "new": new.label}
            )
        if new == self.Status.REJECTED and not comment.strip():
            raise ValidationError(_("Et avslag må begrunnes i kommentaren."))
        if new == self.Status.IN_PROGRESS and self.needs_change_council and not self.change_council_reviewed_on:
            raise ValidationError(_("Forslaget må behandles i endringsrådet før det settes i gang."))
        with transaction.atomic():
            # Conditional update: if someone else changed the status meanwhile, nothing is overwritten.
            updated = Proposal.objects.filter(pk=self.pk, status=old).update(status=new)
            if not updated:
                raise ValidationError(_("Statusen er endret av en annen bruker i mellomtiden. Last siden på nytt."))
            self.status = new
            return self.record_transition(old, new, by=by, comment=comment)

    def record_transition(self, old: str, new: str, *, by=None, comment: str = "") -> "ProposalTransition":
        """Record a status change that has been saved, and tell the submitter once it is committed."""
        record = self.transitions.create(from_status=old, to_status=new, by=by, comment=comment)
        if self.notify_address():
            queue_on_commit("measures.tasks.send_status_email", record.pk)
        return record

    def notify_address(self) -> str:
        """Where status e-mails go: the address given on the form, else the submitting user's."""
        if self.submitter_email:
            return self.submitter_email
        user = self.submitted_by if self.submitted_by_id else None
        return getattr(user, "email", "") or ""

    def publish(self) -> bool:
        """Moderation: make a citizen's proposal visible. True if this call published it."""
        updated = Proposal.objects.filter(pk=self.pk, published=False).update(published=True)
        self.published = True
        return bool(updated)


class ProposalTransition(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("forslag")
    )
    from_status = models.CharField(_("fra"), max_length=20, choices=Proposal.Status.choices)
    to_status = models.CharField(_("til"), max_length=20, choices=Proposal.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("endret av", "av"),
    )
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    comment = models.TextField(_("kommentar"), blank=True)
    # Set by the e-mail task when it claims the notice, so a re-run never mails twice.
    notified_at = models.DateTimeField(_("varslet"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("statusendring")
        verbose_name_plural = _("statusendringer")
        ordering = ["proposal", "at", "id"]

    def __str__(self):
        return f"{self.proposal}: {self.get_from_status_display()} → {self.get_to_status_display()}"

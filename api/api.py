"""The read-only API under /api/v1/: the programme's data for Power BI, Excel and scripts (README, «API»).

django-ninja: every operation needs a personal access token (`Authorization: Bearer <token>`), is throttled
per token, sees what the token's user sees on the pages (`api.scope`), answers in pages of at most
`API_MAX_PAGE_SIZE` rows, and turns every bad query string into a Norwegian 400 (never a 500). The OpenAPI
schema at /api/v1/openapi.json is part of the stable interface (docs/stable-interface.md).
"""

import logging
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from benefits.models import Benefit, BenefitMeasurement
from measures.models import Proposal, ProposalTransition
from milestones.models import DecisionPoint, Milestone
from portfolio.models import Activity, BudgetLine, Programme, StatusReport
from risks.models import Risk, RiskAssessment

from . import schemas
from .changes import last_change
from .models import PersonalAccessToken
from .scope import Scope

logger = logging.getLogger(__name__)

SINCE_YEARS = (1900, 2100)  # as the forms' dates: anything outside is a typing error, and stays in range
MAX_OFFSET = 10_000_000  # far beyond any programme; bounds what reaches the database


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: a usable personal access token of an active user."""

    def authenticate(self, request: HttpRequest, token: str):
        found = PersonalAccessToken.authenticate(token.strip())
        if found is None:
            return None
        found.touch()
        request.api_scope = Scope.of(found.user)
        return found


class TokenRateThrottle(AuthRateThrottle):
    """`API_RATE_LIMIT` requests per token (by its id); when the cache is down the request is let through
    with a warning, as the citizen form does, rather than the API failing with it."""

    def __init__(self):
        super().__init__(settings.API_RATE_LIMIT)

    def get_cache_key(self, request: HttpRequest) -> str:
        auth = getattr(request, "auth", None)
        ident = f"token-{auth.pk}" if auth is not None else self.get_ident(request)
        return self.cache_format % {"scope": "api", "ident": ident}

    def allow_request(self, request: HttpRequest) -> bool:
        # Read at each request, so that a changed setting (and a test's) applies without a restart.
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request)
        except Exception:  # any cache failure: serve rather than refuse everyone
            logger.warning("API rate limit not checked: the cache is unavailable", exc_info=True)
            return True


class PortefoljeAPI(NinjaAPI):
    def create_response(self, request: HttpRequest, data, *, status=None, temporal_response=None):
        """Every answer is the token user's own data: no browser or proxy keeps it (as the pages for a logged-in
        user, common.middleware.PrivateCacheControlMiddleware, which sees no user here)."""
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        patch_cache_control(response, private=True, no_store=True)
        return response


api = PortefoljeAPI(
    title="Portefølje API",
    version="1",
    description=(
        "Lesetilgang til programmenes data for Power BI, Excel og egne skript. Hver forespørsel trenger en "
        "personlig tilgangsnøkkel i overskriften `Authorization: Bearer <nøkkel>`; nøkkelen lages og trekkes "
        "tilbake under «API-nøkler» i appen, og ser det samme som brukeren sin på sidene. Listene kommer i sider "
        "(`limit`, `offset`, og `next` peker på neste side)."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
)


# --- errors: Norwegian, and never a 500 for what the client sent ------------------------------------------

PARAMETER_HELP = {
    "limit": lambda: _("«limit» må være et heltall fra 1 til %(max)s.") % {"max": settings.API_MAX_PAGE_SIZE},
    "offset": lambda: _("«offset» må være et heltall fra 0 til %(max)s.") % {"max": MAX_OFFSET},
    "programme": lambda: _("«programme» må være kortnavnet til et program."),
    "changed_since": lambda: _("«changed_since» må være en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt (ISO 8601)."),
}


@api.exception_handler(ValidationError)
def bad_query(request: HttpRequest, exc: ValidationError):
    names = [str(error.get("loc", ["", ""])[-1]) for error in exc.errors]
    messages = [PARAMETER_HELP[name]() for name in dict.fromkeys(names) if name in PARAMETER_HELP]
    detail = " ".join(messages) or _("Ugyldig forespørsel.")
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError):
    response = api.create_response(
        request,
        {"detail": _("Mangler gyldig tilgangsnøkkel. Send «Authorization: Bearer <nøkkel>».")},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled):
    response = api.create_response(
        request, {"detail": _("For mange forespørsler med denne nøkkelen. Vent litt og prøv igjen.")}, status=429
    )
    if exc.wait:
        response["Retry-After"] = str(max(1, round(exc.wait)))
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or _("Fant ikke siden.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or _("Du har ikke tilgang til dette.")}, status=403)


# --- the query string every list takes ----------------------------------------------------------------------


class ListQuery(Schema):
    programme: str | None = Field(None, max_length=80, description="Bare dette programmet (kortnavnet).")
    changed_since: str | None = Field(
        None,
        max_length=40,
        description="Bare det som er endret fra og med dette tidspunktet: en dato (2025-01-31, midnatt norsk "
        "tid) eller et tidspunkt i ISO 8601 (2025-01-31T08:00:00+01:00).",
    )
    limit: int = Field(
        settings.API_PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE, description="Rader per side (høyst 500)."
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Hvor mange rader som hoppes over.")


def parse_since(text: str | None) -> datetime | None:
    """The `changed_since` moment: a date (midnight, Norwegian time) or an ISO 8601 time; 400 otherwise."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.combine(day, time()) if day is not None else None
    except ValueError:
        moment = None
    if moment is None or not SINCE_YEARS[0] <= moment.year <= SINCE_YEARS[1]:
        raise HttpError(400, PARAMETER_HELP["changed_since"]())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def check_parameters(request: HttpRequest) -> None:
    """A parameter the API does not know is refused: a misspelt `programme` would otherwise give every programme."""
    unknown = sorted(set(request.GET) - set(ListQuery.model_fields))
    if unknown:
        raise HttpError(
            400,
            _("Ukjent parameter: %(names)s. Listene tar %(known)s.")
            % {
                "names": ", ".join(f"«{name[:40]}»" for name in unknown[:5]),
                "known": ", ".join(f"«{name}»" for name in ListQuery.model_fields),
            },
        )


def page(request: HttpRequest, queryset: QuerySet, query: ListQuery) -> dict:
    """One page of `queryset` (ordered by id, so that pages do not overlap), with the total and the next page.

    Two queries however large the page: the count and the rows (plus one per prefetched part)."""
    check_parameters(request)
    since = parse_since(query.changed_since)
    if since is not None:
        queryset = queryset.filter(changed_at__gte=since)
    count = queryset.count()
    items = list(queryset.order_by("pk")[query.offset : query.offset + query.limit])
    following = None
    if query.offset + query.limit < count:
        params = request.GET.copy()
        params["offset"] = str(query.offset + query.limit)
        params["limit"] = str(query.limit)
        following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {"count": count, "limit": query.limit, "offset": query.offset, "next": following, "items": items}


def scope(request: HttpRequest) -> Scope:
    return request.api_scope


ERRORS = {400: schemas.Error, 401: schemas.Error, 403: schemas.Error, 404: schemas.Error, 429: schemas.Error}


def listing(path: str, out, name: str, summary: str):
    return api.get(path, response={200: schemas.Page[out], **ERRORS}, url_name=name, summary=summary)


# --- the lists --------------------------------------------------------------------------------------------


@listing("/programmes", schemas.ProgrammeOut, "programmes", "Programmene nøkkelens bruker har en rolle i")
def programmes(request: HttpRequest, query: Query[ListQuery]):
    user_scope = scope(request)
    chosen = user_scope.programme(query.programme)
    ids = {chosen.pk} if chosen is not None else user_scope.member_ids()
    result = page(
        request,
        Programme.objects.filter(pk__in=ids).select_related("organisation").annotate(changed_at=last_change(Programme)),
        query,
    )
    readers = user_scope.reader_ids()
    for programme in result["items"]:
        programme.can_read = programme.pk in readers
    return result


@api.get(
    "/programmes/{slug}",
    response={200: schemas.ProgrammeOut, **ERRORS},
    url_name="programme",
    summary="Ett program; 404 når brukeren ikke har en rolle i det",
)
def programme(request: HttpRequest, slug: str):
    user_scope = scope(request)
    found = user_scope.programme(slug[:80])
    found = (
        Programme.objects.select_related("organisation").annotate(changed_at=last_change(Programme)).get(pk=found.pk)
    )
    found.can_read = found.pk in user_scope.reader_ids()
    return found


@listing("/activities", schemas.ActivityOut, "activities", "Hovedaktiviteter")
def activities(request: HttpRequest, query: Query[ListQuery]):
    rows = (
        Activity.objects.filter(programme_id__in=scope(request).readable(query.programme))
        .select_related("programme", "area", "responsible")
        .annotate(changed_at=last_change(Activity))
    )
    return page(request, rows, query)


@listing("/proposals", schemas.ProposalOut, "proposals", "Forslag til tiltak, slik brukeren ser dem på sidene")
def proposals(request: HttpRequest, query: Query[ListQuery]):
    rows = scope(request).proposals(
        Proposal.objects.select_related("programme", "revision_round", "area", "activity").annotate(
            changed_at=last_change(Proposal, transitions=(ProposalTransition.history.model, "proposal_id"))
        ),
        query.programme,
    )
    return page(request, rows, query)


@listing("/risks", schemas.RiskOut, "risks", "Risikoer med alle vurderinger")
def risks(request: HttpRequest, query: Query[ListQuery]):
    rows = (
        Risk.objects.filter(programme_id__in=scope(request).readable(query.programme))
        .select_related("programme", "activity", "owner")
        .prefetch_related(Prefetch("assessments", queryset=RiskAssessment.objects.order_by("-assessed_on", "-id")))
        .with_latest()
        .annotate(changed_at=last_change(Risk, assessments=(RiskAssessment.history.model, "risk_id")))
    )
    return page(request, rows, query)


@listing("/milestones", schemas.MilestoneOut, "milestones", "Milepæler")
def milestones(request: HttpRequest, query: Query[ListQuery]):
    rows = (
        Milestone.objects.filter(programme_id__in=scope(request).readable(query.programme))
        .select_related("programme", "activity")
        .annotate(changed_at=last_change(Milestone))
    )
    return page(request, rows, query)


@listing("/decision-points", schemas.DecisionPointOut, "decision_points", "Beslutningspunkter")
def decision_points(request: HttpRequest, query: Query[ListQuery]):
    rows = (
        DecisionPoint.objects.filter(programme_id__in=scope(request).readable(query.programme))
        .select_related("programme")
        .annotate(changed_at=last_change(DecisionPoint))
    )
    return page(request, rows, query)


@listing("/budget-lines", schemas.BudgetLineOut, "budget_lines", "Budsjettlinjer")
def budget_lines(request: HttpRequest, query: Query[ListQuery]):
    rows = (
        BudgetLine.objects.filter(phase__programme_id__in=scope(request).readable(query.programme))
        .select_related("phase__programme", "activity")
        .annotate(changed_at=last_change(BudgetLine))
    )
    return page(request, rows, query)


@listing("/status-reports", schemas.StatusReportOut, "status_reports", "Statusrapporter")
def status_reports(request: HttpRequest, query: Query[ListQuery]):
    rows = (
        StatusReport.objects.filter(activity__programme_id__in=scope(request).readable(query.programme))
        .select_related("activity__programme")
        .annotate(changed_at=last_change(StatusReport))
    )
    return page(request, rows, query)


@listing("/benefits", schemas.BenefitOut, "benefits", "Gevinster med alle målinger")
def benefits(request: HttpRequest, query: Query[ListQuery]):
    rows = (
        Benefit.objects.filter(plan__programme_id__in=scope(request).readable(query.programme))
        .select_related("plan__programme", "plan__activity", "plan__measure__activity", "owner")
        .prefetch_related(Prefetch("measurements", queryset=BenefitMeasurement.objects.order_by("measured_on", "id")))
        .annotate(changed_at=last_change(Benefit, measurements=(BenefitMeasurement.history.model, "benefit_id")))
    )
    return page(request, rows, query)

"""Who may do what, over every URL of the project (the role table of docs/roles.md), resolved from the URLconf.

Every named URL pattern needs an entry in EXPECTED: a new view without one fails
`test_every_url_has_an_expectation`. For each role the GET status must be the expected one; for views that
change something, a POST by a role that may not use it must be refused (302 to login, 403 or 405) and must
leave the database as it was.

The installation serves two municipalities: Nordre Land with the plan and a second programme, and Søndre Land
with one programme. Every URL of a programme is also tried against the other programmes, by every role of the
plan and by the other programmes' own project leaders: nothing of one programme is reachable from another
(404, and a refused POST changes nothing), ids of another programme in this programme's URLs are 404, and no
page of the plan shows a word of the others.
"""

from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from benefits.models import BenefitMeasurement
from documents.models import Document
from measures.models import Proposal
from milestones.models import DecisionPoint, MeetingSeries
from portfolio.models import BudgetLine, ImportJob, Membership, ProgrammeRole, StatusReport
from portfolio.roles import PROJECT_GROUP, PROJECT_LEADER, STAFF
from reports.models import RevisionReport
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
OWN = "HA03"  # the activity the "own" project-group member is responsible for
OTHER = "HA02"  # an activity they have nothing to do with

ROLES = ("anonymous", "staff", "group_own", "group_other", "steering", "leader")
ROLE_NAMES = ("prosjektleder", "styringsgruppe", "prosjektgruppe", "ansatt")
LOGIN = "login"  # 302 to the login page


def row(anonymous=LOGIN, staff=403, group_own=200, group_other=200, steering=200, leader=200) -> dict:
    return {
        "anonymous": anonymous,
        "staff": staff,
        "group_own": group_own,
        "group_other": group_other,
        "steering": steering,
        "leader": leader,
    }


# Common rows of the role table.
READ = row()  # PL, SG and the project group read everything; staff and anonymous do not
LEADER = row(group_own=403, group_other=403, steering=403)
DECIDERS = row(group_own=403, group_other=403)  # the steering group decides, the project leader too
OWN_ITEMS = row(group_other=403, steering=403)  # the project leader, and the project group for its own activities
ANY_ROLE = row(staff=200)  # anyone with a role: staff submit and follow their own proposals
PUBLIC = row(anonymous=200, staff=200)
POST_ONLY = row(staff=405, group_own=405, group_other=405, steering=405, leader=405)
# The API reads a personal access token, never the session: without one everybody gets 401, no login page.
TOKEN_ONLY = row(anonymous=401, staff=401, group_own=401, group_other=401, steering=401, leader=401)


@dataclass
class Expect:
    get: dict
    kwargs: object = None  # samples -> URL kwargs
    post: dict | None = None  # roles that may not change anything here -> expected status of their POST
    htmx: bool = False  # GET as htmx (views that only answer htmx with content)
    note: str = field(default="")


def refused(expected: dict) -> dict:
    """The roles a view refuses (by its GET row), with the status a POST of theirs must get."""
    return {role: status for role, status in expected.items() if status in (LOGIN, 403)}


def K(**kw):
    """URL kwargs of a programme's page: its slug, and the objects named (from the samples of that programme)."""

    def kwargs(s):
        return {"slug": s.slug, **{k: (v(s) if callable(v) else v) for k, v in kw.items()}}

    kwargs.of_programme = True
    return kwargs


SLUG_ONLY = K()

EXPECTED: dict[str, Expect] = {
    # --- site -----------------------------------------------------------------------------------------------
    # Readers go straight to the (only) programme; staff see their own proposals.
    "home": Expect(row(staff=200, group_own=302, group_other=302, steering=302, leader=302)),
    "healthz": Expect(row(anonymous=200, staff=200)),
    "login": Expect(PUBLIC),
    "logout": Expect(row(anonymous=405, staff=405, group_own=405, group_other=405, steering=405, leader=405)),
    # Single sign-on: not configured here, so not there (tests/sso/ runs them against a provider).
    "oidc_authentication_init": Expect(row(404, 404, 404, 404, 404, 404)),
    "oidc_authentication_callback": Expect(row(404, 404, 404, 404, 404, 404)),
    "password_change": Expect(row(staff=200)),
    "password_change_done": Expect(row(staff=200)),
    "password_reset": Expect(PUBLIC),
    "password_reset_done": Expect(PUBLIC),
    "password_reset_confirm": Expect(PUBLIC, lambda s: {"uidb64": "MQ", "token": "ugyldig"}),
    "password_reset_complete": Expect(PUBLIC),
    "set_language": Expect(row(anonymous=302, staff=302, group_own=302, group_other=302, steering=302, leader=302)),
    # The admin is for installation administrators (superusers): every programme role is sent to its login.
    "admin:index": Expect(row(anonymous=302, staff=302, group_own=302, group_other=302, steering=302, leader=302)),
    # --- programme, activities, budget, reports ------------------------------------------------------------
    "programme": Expect(READ, SLUG_ONLY),
    "activity_list": Expect(READ, SLUG_ONLY),
    "activity_detail": Expect(READ, K(code=OWN)),
    "budget": Expect(READ, SLUG_ONLY),
    "budget_line": Expect(row(group_own=302, group_other=302, steering=302, leader=302), K(pk=lambda s: s.line.pk)),
    "budget_line_actual": Expect(LEADER, K(pk=lambda s: s.line.pk), post=refused(LEADER)),
    # Everyone who reads the programme reads the reports; only the project leader orders one.
    "revision_reports": Expect(READ, SLUG_ONLY, post=refused(LEADER)),
    "plan_changes": Expect(READ, SLUG_ONLY),
    "revision_report_status": Expect(
        row(group_own=302, group_other=302, steering=302, leader=302), K(pk=lambda s: s.report.pk)
    ),
    "revision_report_download": Expect(
        row(group_own=404, group_other=404, steering=404, leader=404),
        K(pk=lambda s: s.report.pk),
        note="a queued report has no PDF yet",
    ),
    # The HTML edition goes to exactly those who may download the PDF.
    "revision_report_html": Expect(
        row(group_own=404, group_other=404, steering=404, leader=404),
        K(pk=lambda s: s.report.pk),
        note="a queued report has no HTML edition yet",
    ),
    # A large import runs in the background: its page and its confirmation are the project leader's.
    "import_job": Expect(LEADER, K(job_id=lambda s: s.import_job.pk)),
    "import_job_confirm": Expect(POST_ONLY, K(job_id=lambda s: s.import_job.pk), post=refused(LEADER)),
    # --- status reports (activity page) ---------------------------------------------------------------------
    "status_overview": Expect(READ, SLUG_ONLY),
    "status_report_create": Expect(OWN_ITEMS, K(code=OWN), post=refused(OWN_ITEMS)),
    "status_report_detail": Expect(READ, K(code=OWN, pk=lambda s: s.status_report.pk)),
    "status_report_edit": Expect(OWN_ITEMS, K(code=OWN, pk=lambda s: s.status_report.pk), post=refused(OWN_ITEMS)),
    # --- proposals ------------------------------------------------------------------------------------------
    "proposal_list": Expect(READ, SLUG_ONLY),
    "proposal_create": Expect(ANY_ROLE, SLUG_ONLY, post=refused(ANY_ROLE)),
    "my_proposals": Expect(ANY_ROLE, SLUG_ONLY),
    "moderation_queue": Expect(LEADER, SLUG_ONLY),
    "moderate": Expect(POST_ONLY, K(pk=lambda s: s.citizen_proposal.pk), post=refused(LEADER)),
    "proposal_ranking": Expect(READ, SLUG_ONLY),
    "round_list": Expect(READ, SLUG_ONLY, post=refused(LEADER)),
    "round_detail": Expect(READ, K(year=lambda s: s.staff_proposal.revision_round.year)),
    "proposal_export": Expect(LEADER, SLUG_ONLY),
    "proposal_import": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    # The staff member's own proposal: they follow it; everyone who reads the programme sees it too.
    "proposal_detail": Expect(ANY_ROLE, K(pk=lambda s: s.staff_proposal.pk)),
    "proposal_status": Expect(POST_ONLY, K(pk=lambda s: s.staff_proposal.pk), post=refused(DECIDERS)),
    "proposal_assess": Expect(POST_ONLY, K(pk=lambda s: s.staff_proposal.pk), post=refused(LEADER)),
    "proposal_activity": Expect(POST_ONLY, K(pk=lambda s: s.staff_proposal.pk), post=refused(LEADER)),
    "proposal_council": Expect(POST_ONLY, K(pk=lambda s: s.staff_proposal.pk), post=refused(LEADER)),
    # --- public pages ---------------------------------------------------------------------------------------
    "public_index": Expect(row(anonymous=302, staff=302, group_own=302, group_other=302, steering=302, leader=302)),
    # The municipality's colours and logo (public: they are on the citizens' pages too; the demo has no logo).
    "organisation_theme": Expect(PUBLIC, lambda s: {"organisation": "nordre-land"}),
    "organisation_logo": Expect(
        row(anonymous=404, staff=404, group_own=404, group_other=404, steering=404, leader=404),
        lambda s: {"organisation": "nordre-land"},
    ),
    # A municipality's address for citizens: straight to its only programme.
    "public_organisation": Expect(
        row(anonymous=302, staff=302, group_own=302, group_other=302, steering=302, leader=302),
        lambda s: {"organisation": "nordre-land"},
    ),
    "public_measures": Expect(PUBLIC, SLUG_ONLY),
    "public_proposal_form": Expect(PUBLIC, SLUG_ONLY),
    "public_thanks": Expect(PUBLIC, SLUG_ONLY),
    # The accessibility statement and its barrier-report form: anyone, logged in or not (its POST: tests/accessibility).
    "accessibility_statement": Expect(PUBLIC),
    "accessibility_thanks": Expect(PUBLIC),
    # --- risks ----------------------------------------------------------------------------------------------
    "risk_register": Expect(READ, SLUG_ONLY),
    "risk_create": Expect(OWN_ITEMS, SLUG_ONLY, post=refused(OWN_ITEMS)),
    "risk_export": Expect(READ, K(file_format="csv")),
    "risk_import": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    "risk_detail": Expect(READ, K(code=lambda s: s.risk.code)),
    "risk_edit": Expect(OWN_ITEMS, K(code=lambda s: s.risk.code), post=refused(OWN_ITEMS)),
    "risk_rescore": Expect(POST_ONLY, K(code=lambda s: s.risk.code), post=refused(OWN_ITEMS)),
    "mitigation_add": Expect(POST_ONLY, K(code=lambda s: s.risk.code), post=refused(OWN_ITEMS)),
    "mitigation_toggle": Expect(
        POST_ONLY, K(code=lambda s: s.risk.code, pk=lambda s: s.mitigation.pk), post=refused(OWN_ITEMS)
    ),
    # --- milestones, decisions, schedule, meetings ----------------------------------------------------------
    "milestone_overview": Expect(READ, SLUG_ONLY),
    "decision_record": Expect(DECIDERS, K(code=lambda s: s.point.code), post=refused(DECIDERS)),
    "decision_postpone": Expect(POST_ONLY, K(code=lambda s: s.point.code), post=refused(DECIDERS)),
    # The steering group reads a milestone's page for its history; only PL and its own project group edit it.
    "milestone_edit": Expect(row(group_other=403), K(code=lambda s: s.milestone.code), post=refused(OWN_ITEMS)),
    "schedule": Expect(READ, SLUG_ONLY),
    "schedule_edit": Expect(LEADER, K(code=OWN), post=refused(LEADER)),
    "meetings": Expect(READ, SLUG_ONLY),
    "meeting_agenda": Expect(READ, SLUG_ONLY),
    "agenda_decide_point": Expect(POST_ONLY, K(code=lambda s: s.point.code), post=refused(DECIDERS)),
    "agenda_decide_proposal": Expect(POST_ONLY, K(pk=lambda s: s.staff_proposal.pk), post=refused(DECIDERS)),
    "meeting_series_add": Expect(POST_ONLY, SLUG_ONLY, post=refused(LEADER)),
    "meeting_add": Expect(POST_ONLY, K(pk=lambda s: s.series.pk), post=refused(LEADER)),
    # --- benefits -------------------------------------------------------------------------------------------
    "benefit_overview": Expect(READ, SLUG_ONLY),
    "benefit_import": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    "benefit_export": Expect(READ, K(kind="gevinster", file_format="csv")),
    "benefit_plan_create": Expect(OWN_ITEMS, SLUG_ONLY, post=refused(OWN_ITEMS)),
    "benefit_plan": Expect(READ, K(code=lambda s: s.benefit_plan.code)),
    "benefit_plan_edit": Expect(OWN_ITEMS, K(code=lambda s: s.benefit_plan.code), post=refused(OWN_ITEMS)),
    "benefit_create": Expect(OWN_ITEMS, K(code=lambda s: s.benefit_plan.code), post=refused(OWN_ITEMS)),
    "benefit_edit": Expect(
        OWN_ITEMS, K(code=lambda s: s.benefit_plan.code, pk=lambda s: s.benefit.pk), post=refused(OWN_ITEMS)
    ),
    "benefit_cash_flow": Expect(POST_ONLY, K(code=lambda s: s.benefit_plan.code), post=refused(OWN_ITEMS)),
    "benefit_detail": Expect(READ, K(code=lambda s: s.benefit_plan.code, pk=lambda s: s.benefit.pk)),
    "benefit_measure": Expect(
        POST_ONLY, K(code=lambda s: s.benefit_plan.code, pk=lambda s: s.benefit.pk), post=refused(OWN_ITEMS)
    ),
    # Correcting and deleting a measurement: who may record one (and the benefit's owner, tests/benefits).
    "benefit_measurement_edit": Expect(
        OWN_ITEMS,
        K(code=lambda s: s.benefit_plan.code, pk=lambda s: s.benefit.pk, measurement=lambda s: s.measurement.pk),
        post=refused(OWN_ITEMS),
    ),
    "benefit_measurement_delete": Expect(
        OWN_ITEMS,
        K(code=lambda s: s.benefit_plan.code, pk=lambda s: s.benefit.pk, measurement=lambda s: s.measurement.pk),
        post=refused(OWN_ITEMS),
    ),
    # --- the project leader runs the programme: members and set-up ------------------------------------------
    "programme_members": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    # A GET of the members page's POST-only addresses leads the project leader back to the page.
    "member_invite": Expect(
        row(group_own=403, group_other=403, steering=403, leader=302), SLUG_ONLY, post=refused(LEADER)
    ),
    "member_role_remove": Expect(LEADER, K(pk=lambda s: s.role.pk), post=refused(LEADER)),
    "member_person": Expect(
        row(group_own=403, group_other=403, steering=403, leader=302),
        K(user_id=lambda s: s.role.user_id),
        post=refused(LEADER),
    ),
    "programme_setup": Expect(LEADER, SLUG_ONLY),
    "programme_edit": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    "phase_create": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    "phase_edit": Expect(LEADER, K(pk=lambda s: s.line.phase_id), post=refused(LEADER)),
    "area_create": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    "area_edit": Expect(LEADER, K(pk=lambda s: s.area.pk), post=refused(LEADER)),
    "person_create": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    "person_edit": Expect(LEADER, K(pk=lambda s: s.person.pk), post=refused(LEADER)),
    "activity_create": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    # The project leader, and the project-group member responsible for the activity (not its code or responsible).
    "activity_edit": Expect(OWN_ITEMS, K(code=OWN), post=refused(OWN_ITEMS)),
    "budget_line_create": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    "budget_line_edit": Expect(LEADER, K(pk=lambda s: s.line.pk), post=refused(LEADER)),
    "decision_point_create": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    "decision_point_edit": Expect(LEADER, K(code=lambda s: s.point.code), post=refused(LEADER)),
    "milestone_create": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    "membership_create": Expect(LEADER, SLUG_ONLY, post=refused(LEADER)),
    "membership_delete": Expect(LEADER, K(pk=lambda s: s.membership.pk), post=refused(LEADER)),
    # --- the read-only API (tests/api/ tries it with tokens of every role, programme and municipality) -------
    # Each user's own tokens; revoking is a POST, and another user's token (or none) is 404.
    "api_tokens": Expect(row(staff=200), post={"anonymous": LOGIN}),
    "api_token_revoke": Expect(POST_ONLY, lambda s: {"pk": 999999}),
    "api:openapi-json": Expect(PUBLIC),
    "api:openapi-view": Expect(PUBLIC),
    "api:api-root": Expect(row(anonymous=404, staff=404, group_own=404, group_other=404, steering=404, leader=404)),
    # Not K(): a slug in an API address is answered by the token's roles, not the session's.
    "api:programme": Expect(TOKEN_ONLY, lambda s: {"slug": s.slug}),
    **{
        f"api:{name}": Expect(TOKEN_ONLY)
        for name in (
            "programmes",
            "activities",
            "proposals",
            "risks",
            "milestones",
            "decision_points",
            "budget_lines",
            "status_reports",
            "benefits",
        )
    },
    # --- documents: the object's own rule (here a decision point's: readers see, deciders add) -------------
    "object_documents": Expect(READ, K(key="beslutningspunkt", object_id=lambda s: s.point.pk), post=refused(DECIDERS)),
    "document_download": Expect(READ, K(pk=lambda s: s.document.pk)),
    # The project leader, or the uploader while they may still add (the sample's uploader is the project leader).
    "document_delete": Expect(LEADER, K(pk=lambda s: s.document.pk), post=refused(LEADER)),
    # --- the workbook of the whole plan: the project leader and the steering group ------------------------
    "programme_workbook": Expect(DECIDERS, SLUG_ONLY),
    # --- calendar feeds: each user's own page; the feed answers only its secret address (404 otherwise) -------
    "calendar_feed": Expect(row(staff=200), post={"anonymous": LOGIN}),
    "calendar_feed_ics": Expect(
        row(anonymous=404, staff=404, group_own=404, group_other=404, steering=404, leader=404),
        lambda s: {"token": "ukjent.signatur"},
    ),
}


def url_names(patterns=None, namespace="") -> list[str]:
    """Every named URL pattern, walked recursively; admin internals and static files are left out."""
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                names.append("admin:index")  # the admin's own pages are Django's; its door is ours
                continue
            names += url_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}{pattern.name}")
    return names


@dataclass
class Samples:
    slug: str
    membership: object
    area: object
    person: object
    role: object
    risk: object
    mitigation: object
    milestone: object
    point: object
    benefit_plan: object
    benefit: object
    measurement: object
    staff_proposal: object
    citizen_proposal: object
    series: object
    line: object
    report: object
    status_report: object
    import_job: object
    document: object


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """The sample documents' files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users(plan, project_leader, steering_member, project_member, staff):
    """One user per role; the project-group member is responsible for OWN, the other one for nothing."""
    own = plan.activities.get(code=OWN)
    own.responsible = factories.person(name="Prosjekt Demo", user=project_member)
    own.save()
    other = get_user_model().objects.create_user("prosjekt2", password="x")
    factories.grant(other, plan, PROJECT_GROUP)
    factories.person(name="Prosjekt To", user=other)
    return {
        "anonymous": None,
        "staff": staff,
        "group_own": project_member,
        "group_other": other,
        "steering": steering_member,
        "leader": project_leader,
    }


def make_samples(programme, *, own, leader, staff, group_member, marker: str = "", person_name: str = "") -> Samples:
    """One object of every kind the URLs name, in `programme`; `marker` goes into every title."""
    risk = factories.risk(programme, activity=own, title=f"Risiko {marker}".strip())
    benefit_plan = factories.benefit_plan(programme, own)
    staff_proposal = factories.proposal(
        programme, submitted_by=staff, status=Proposal.Status.SCREENING, title=f"Forslag {marker}".strip()
    )
    if marker:
        factories.milestone(programme, activity=own, title=f"Milepæl {marker}")
        factories.decision_point(programme, title=f"Beslutning {marker}")
        benefit_plan.title = f"Gevinstplan {marker}"
        benefit_plan.save()
    person = factories.person(organisation=programme.organisation, name=person_name or f"Person {programme.slug}")
    point = DecisionPoint.objects.filter(programme=programme).exclude(status=DecisionPoint.Status.DECIDED).first()
    document = Document.attach(
        point,
        programme,
        SimpleUploadedFile("grunnlag.pdf", b"%PDF-1.7 test"),
        title=f"Dokument {marker}".strip(),
        kind=Document.Kind.DECISION_BASIS,
        mime_type="application/pdf",
        by=leader,
    )
    return Samples(
        slug=programme.slug,
        membership=Membership.objects.create(programme=programme, person=person, role=Membership.Role.REFERENCE),
        area=own.area or programme.areas.first(),
        person=person,
        role=ProgrammeRole.objects.filter(programme=programme, user=staff).first(),
        risk=risk,
        mitigation=risk.mitigations.first(),
        milestone=factories.milestone(programme, activity=own),
        point=point,
        benefit_plan=benefit_plan,
        benefit=benefit_plan.benefits.first(),
        measurement=BenefitMeasurement.objects.create(
            benefit=benefit_plan.benefits.first(), measured_on=programme.start_date, value=8
        ),
        staff_proposal=staff_proposal,
        citizen_proposal=factories.proposal(programme, submitter_type=Proposal.SubmitterType.CITIZEN, published=False),
        series=MeetingSeries.objects.create(
            programme=programme, name="Møte PL–PA", first_date=programme.start_date, interval_days=14
        ),
        line=BudgetLine.objects.filter(phase__programme=programme).first(),
        report=RevisionReport.objects.create(programme=programme, year=programme.start_date.year, requested_by=leader),
        status_report=StatusReport.objects.create(
            activity=own,
            period_end=programme.start_date,
            author=group_member,
            overall="green",
            scope="green",
            time="green",
            cost="green",
            risk="green",
        ),
        import_job=ImportJob.objects.create(
            programme=programme, kind="forslag", requested_by=leader, filename="forslag.csv", file="imports/forslag.csv"
        ),
        document=document,
    )


@pytest.fixture
def samples(plan, users) -> Samples:
    return make_samples(
        plan,
        own=plan.activities.get(code=OWN),
        leader=users["leader"],
        staff=users["staff"],
        group_member=users["group_own"],
    )


@dataclass
class Other:
    """Another programme: its own project leader, and samples of everything in it."""

    programme: object
    leader: object
    samples: Samples
    marker: str
    same_organisation: bool


def make_other(organisation, slug: str, marker: str, *, same_organisation: bool) -> Other:
    """A programme set up the way a project leader would, with its own members and one of everything.

    People belong to the organisation: in the plan's own organisation they are shared with the plan (and carry
    no marker), in another organisation they carry the marker like everything else.
    """
    people = slug if same_organisation else marker
    programme = factories.programme(organisation=organisation, slug=slug, name=f"Program {marker}")
    phase = programme.phases.create(number=1, year=programme.start_date.year, name="Fase 1")
    area = programme.areas.create(number=1, name=f"Område {marker}")
    factories.budget_line(phase, description=f"Budsjettlinje {marker}")
    own = factories.activity(programme, code=OWN, name=f"Aktivitet {marker}", area=area)
    factories.decision_point(programme, date=programme.start_date)
    users = {}
    for role in ROLE_NAMES:
        user = get_user_model().objects.create_user(f"{role}-{slug}", password="x")
        factories.grant(user, programme, role)
        users[role] = user
    own.responsible = factories.person(organisation=organisation, name=f"Ansvarlig {people}", user=users[PROJECT_GROUP])
    own.save()
    samples = make_samples(
        programme,
        own=own,
        leader=users[PROJECT_LEADER],
        staff=users[STAFF],
        group_member=users[PROJECT_GROUP],
        marker=marker,
        person_name=f"Person {people}",
    )
    return Other(programme, users[PROJECT_LEADER], samples, marker, same_organisation)


@pytest.fixture
def others(plan, users) -> list[Other]:
    """A second programme of Nordre Land, and Søndre Land's programme in an organisation of its own."""
    sondre = factories.organisation(name="Søndre Land kommune", slug="sondre-land")
    return [
        make_other(plan.organisation, "nordre-land-velferd", "NORDRE-VELFERD-HEMMELIG", same_organisation=True),
        make_other(sondre, "sondre-land-digitalisering", "SONDRE-LAND-HEMMELIG", same_organisation=False),
    ]


def database_state() -> int:
    """Changes leave a trace: every domain model keeps audit history, so this count grows with any save."""
    historical = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    return sum(m.objects.count() for m in historical)


def _url(name: str, samples: Samples) -> str:
    expect = EXPECTED[name]
    return reverse(name, kwargs=expect.kwargs(samples) if expect.kwargs else None)


def _status(response) -> object:
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return LOGIN
    return response.status_code


def test_every_url_has_an_expectation():
    missing = sorted(set(url_names()) - set(EXPECTED))
    assert not missing, (
        "These URL names have no entry in EXPECTED of tests/across_apps/test_permission_matrix.py; add one saying "
        "which role "
        f"gets which status: {', '.join(missing)}"
    )
    stale = sorted(set(EXPECTED) - set(url_names()))
    assert not stale, f"EXPECTED names URLs that no longer exist: {', '.join(stale)}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_status_on_every_url(client, users, samples, role):
    if users[role] is not None:
        client.force_login(users[role])
    wrong = []
    for name in url_names():
        if name not in EXPECTED:
            continue  # reported by test_every_url_has_an_expectation
        expect = EXPECTED[name]
        url = _url(name, samples)
        headers = {"HTTP_HX_REQUEST": "true"} if expect.htmx else {}
        got = _status(client.get(url, **headers))
        if got != expect.get[role]:
            wrong.append(f"GET {name} ({url}): expected {expect.get[role]}, got {got}")
        if expect.post and role in expect.post:
            before = database_state()
            got = _status(client.post(url, {}))
            if got not in (LOGIN, 403, 405) or got != expect.post[role]:
                wrong.append(f"POST {name} ({url}): expected {expect.post[role]}, got {got}")
            if database_state() != before:
                wrong.append(f"POST {name} ({url}) by {role} changed the database")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


# --- object-level rules -----------------------------------------------------------------------------------


def test_staff_see_their_own_proposal_but_not_anothers(client, plan, users, samples):
    other = factories.proposal(plan, title="Naboens forslag", submitted_by=users["leader"])
    client.force_login(users["staff"])
    assert client.get(reverse("proposal_detail", args=[SLUG, samples.staff_proposal.pk])).status_code == 200
    assert client.get(reverse("proposal_detail", args=[SLUG, other.pk])).status_code == 404
    mine = client.get(reverse("my_proposals", args=[SLUG])).text
    assert samples.staff_proposal.title in mine and "Naboens forslag" not in mine


def test_project_group_edits_its_own_activitys_items_and_not_anothers(client, plan, users, samples):
    """Risk, benefit and status report of the member's own activity: yes. The same of another activity: 403."""
    other_activity = plan.activities.get(code=OTHER)
    other_risk = factories.risk(plan, activity=other_activity)
    other_plan = factories.benefit_plan(plan, other_activity)
    other_report = StatusReport.objects.create(
        activity=other_activity,
        period_end=plan.start_date,
        author=users["leader"],
        overall="green",
        scope="green",
        time="green",
        cost="green",
        risk="green",
    )
    client.force_login(users["group_own"])
    own_urls = [
        reverse("risk_edit", args=[SLUG, samples.risk.code]),
        reverse("benefit_edit", args=[SLUG, samples.benefit_plan.code, samples.benefit.pk]),
        reverse("status_report_edit", args=[SLUG, OWN, samples.status_report.pk]),
        reverse("status_report_create", args=[SLUG, OWN]),
    ]
    other_urls = [
        reverse("risk_edit", args=[SLUG, other_risk.code]),
        reverse("benefit_edit", args=[SLUG, other_plan.code, other_plan.benefits.first().pk]),
        reverse("status_report_edit", args=[SLUG, OTHER, other_report.pk]),
        reverse("status_report_create", args=[SLUG, OTHER]),
    ]
    for url in own_urls:
        assert client.get(url).status_code == 200, url
    for url in other_urls:
        assert client.get(url).status_code == 403, url
    before = database_state()
    toggle = reverse("mitigation_toggle", args=[SLUG, other_risk.code, other_risk.mitigations.first().pk])
    assert client.post(toggle, {"version": 1}).status_code == 403
    assert database_state() == before
    own_toggle = reverse("mitigation_toggle", args=[SLUG, samples.risk.code, samples.mitigation.pk])
    assert client.post(own_toggle, {"version": samples.mitigation.version}).status_code == 302
    assert samples.mitigation.__class__.objects.get(pk=samples.mitigation.pk).done


def test_citizen_form_accepts_a_valid_proposal_and_ignores_the_honeypot(client, plan):
    url = reverse("public_proposal_form", args=[SLUG])
    data = {"title": "Lys i lysløypa", "description": "Bedre lys", "area": plan.areas.first().pk}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("public_thanks", args=[SLUG])
    saved = Proposal.objects.get(title="Lys i lysløypa")
    assert (saved.submitter_type, saved.published) == (Proposal.SubmitterType.CITIZEN, False)
    spam = client.post(url, {**data, "title": "Billige klokker", "website": "http://spam.example"})
    assert spam.status_code == 302  # the bot is told thanks, and nothing is saved
    assert not Proposal.objects.filter(title="Billige klokker").exists()


def test_unknown_objects_are_404_not_500(client, users, samples):
    client.force_login(users["leader"])
    for url in (
        reverse("risk_detail", args=[SLUG, "R999"]),
        reverse("proposal_detail", args=[SLUG, 999999]),
        reverse("benefit_plan", args=[SLUG, "FINNES-IKKE"]),
        reverse("milestone_edit", args=[SLUG, "MP999"]),
        reverse("decision_record", args=[SLUG, "BP999"]),
        reverse("activity_detail", args=["finnes-ikke", OWN]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_citizens_proposal_is_hidden_until_the_project_leader_approves_it(client, users, samples):
    url = reverse("proposal_detail", args=[SLUG, samples.citizen_proposal.pk])
    for role in ("group_own", "steering", "staff"):
        client.force_login(users[role])
        assert client.get(url).status_code == 404, role
    client.force_login(users["leader"])
    assert client.get(url).status_code == 200
    client.post(reverse("moderate", args=[SLUG, samples.citizen_proposal.pk]), {"action": "approve"})
    client.force_login(users["steering"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["leader", "group_own", "steering"])
def test_an_empty_post_by_an_allowed_user_is_refused_cleanly_and_saves_nothing(client, users, samples, role):
    """Bad input gets an answer (a form with errors, 400/409/422), never a server error, and changes nothing."""
    client.force_login(users[role])
    wrong, tried = [], []
    for name, expect in EXPECTED.items():
        if not expect.post or role in expect.post:
            continue  # not a view that changes things, or one this role may not use (tested above)
        tried.append(name)
        url = _url(name, samples)
        before = database_state()
        got = client.post(url, {}).status_code
        if got not in (200, 400, 409, 422):
            wrong.append(f"POST {name} ({url}) with an empty body: {got}")
        if database_state() != before:
            wrong.append(f"POST {name} ({url}) with an empty body changed the database")
    assert len(tried) >= 5, tried
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


# --- several municipalities and programmes ------------------------------------------------------------------


def programme_urls() -> list[str]:
    """The URL names that belong to a programme (they take its slug), apart from the public pages."""
    return [
        name
        for name, expect in EXPECTED.items()
        if getattr(expect.kwargs, "of_programme", False) and expect.get["anonymous"] != 200
    ]


def _try_everything(client, samples: Samples, *, expected_get, expected_post) -> list[str]:
    """GET and POST every programme URL with `samples`; what differs from the expected statuses, and any change."""
    wrong = []
    for name in programme_urls():
        expect = EXPECTED[name]
        url = reverse(name, kwargs=expect.kwargs(samples))
        headers = {"HTTP_HX_REQUEST": "true"} if expect.htmx else {}
        # 405 (a method the address does not take) is decided before anything is looked up: it tells nothing.
        got = _status(client.get(url, **headers))
        if got not in (expected_get, 405):
            wrong.append(f"GET {name} ({url}): expected {expected_get}, got {got}")
        before = database_state()
        got = _status(client.post(url, {"title": "x", "code": "X1", "version": "1", "status": "rejected"}))
        if got not in (expected_post, 405):
            wrong.append(f"POST {name} ({url}): expected {expected_post}, got {got}")
        if database_state() != before:
            wrong.append(f"POST {name} ({url}) changed the database")
    return wrong


@pytest.mark.parametrize("role", ROLES)
def test_no_role_of_the_plan_reaches_another_programme(client, users, samples, others, role):
    """Every URL of the other two programmes (one in the same municipality, one in another) with their own
    objects: 404 for every role of the plan, login for the anonymous, and a POST changes nothing."""
    if users[role] is not None:
        client.force_login(users[role])
    expected = LOGIN if users[role] is None else 404
    wrong = []
    for other in others:
        wrong += _try_everything(client, other.samples, expected_get=expected, expected_post=expected)
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_other_programmes_project_leaders_reach_nothing_of_the_plan(client, users, samples, others):
    """The project leaders of the second Nordre Land programme and of Søndre Land: 404 on every URL of the plan."""
    wrong = []
    for other in others:
        client.force_login(other.leader)
        wrong += _try_everything(client, samples, expected_get=404, expected_post=404)
    assert not wrong, "\n".join(wrong)


def test_ids_of_another_programme_in_this_programmes_urls_are_404(client, users, samples, others):
    """The plan's project leader with the plan's slug and another programme's object ids or codes: 404."""
    client.force_login(users["leader"])
    wrong = []
    for other in others:
        mixed = Samples(**{**other.samples.__dict__, "slug": SLUG})
        for name in programme_urls():
            expect = EXPECTED[name]
            kwargs = expect.kwargs(mixed)
            if set(kwargs) == {"slug"} or expect.kwargs(samples) == kwargs:
                continue  # no object of its own in the URL, or the same code in both programmes (e.g. HA03)
            if name == "person_edit" and other.same_organisation:
                continue  # people belong to the organisation, and so to all its programmes
            url = reverse(name, kwargs=kwargs)
            headers = {"HTTP_HX_REQUEST": "true"} if expect.htmx else {}
            got = _status(client.get(url, **headers))
            # A GET that only leads back to a page (as on a POST-only address) looks nothing up.
            if got == 302 and expect.get["leader"] == 302:
                got = 404
            if got not in (404, 405):
                wrong.append(f"GET {name} ({url}): expected 404, got {got}")
            before = database_state()
            got = _status(client.post(url, {"version": "1"}))
            if got not in (404, 405):
                wrong.append(f"POST {name} ({url}): expected 404, got {got}")
            if database_state() != before:
                wrong.append(f"POST {name} ({url}) changed the database")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["leader", "steering", "group_own", "staff"])
def test_no_page_of_the_plan_shows_anything_of_another_programme(client, users, samples, others, role):
    """Lists, exports, dropdowns and the home page of the plan: no title, name or person of the others."""
    client.force_login(users[role])
    markers = [other.marker for other in others] + [str(other.programme.name) for other in others]
    leaks = []
    for name in ["home", *programme_urls()]:
        expect = EXPECTED[name]
        if expect.get[role] != 200:
            continue
        url = reverse(name, kwargs=expect.kwargs(samples) if expect.kwargs else None)
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        leaks += [f"{name} ({url}) shows «{marker}»" for marker in markers if marker in text]
    assert not leaks, f"{role}:\n" + "\n".join(leaks)

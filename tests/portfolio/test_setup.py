"""The set-up pages: a project leader sets up a new programme from nothing, without /admin/."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from portfolio.models import Activity, Area, BudgetLine, Membership, Person, Phase, Programme
from portfolio.roles import PROJECT_GROUP, PROJECT_LEADER, STAFF, STEERING_GROUP
from portfolio.setup_forms import PhaseForm
from tests import factories
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

User = get_user_model()


def url(name, programme, *args):
    return reverse(name, args=[programme.slug, *args])


def user_with(programme, *roles, username=None):
    user = User.objects.create_user(username or f"u{User.objects.count() + 1}", password="x")
    factories.grant(user, programme, *roles)
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def prog() -> Programme:
    """A new, empty programme (2020–2022) of its own municipality."""
    return factories.programme()


@pytest.fixture
def leader(prog):
    return user_with(prog, PROJECT_LEADER, username="ny-leder")


@pytest.fixture
def leader_client(leader):
    return client_for(leader)


@pytest.fixture
def setup(prog):
    """The programme with one of everything, and a few things of another programme and municipality."""
    phase = Phase.objects.create(programme=prog, number=1, year=2020, name="Forprosjekt")
    area = Area.objects.create(programme=prog, number=1, name="Tjenester")
    kari = factories.person(organisation=prog.organisation, name="Kari Nordmann")
    ola = factories.person(organisation=prog.organisation, name="Ola Nordmann")
    activity = factories.activity(prog, code="HA01", name="Selvbetjening", area=area, responsible=kari)
    activity.working_group.add(ola)
    line = factories.budget_line(phase, activity=activity, description="Lisenser")
    other_prog = factories.programme()
    other_phase = Phase.objects.create(programme=other_prog, number=1, year=2020, name="Annen fase")
    return {
        "phase": phase,
        "area": area,
        "kari": kari,
        "ola": ola,
        "activity": activity,
        "line": line,
        "other_programme": other_prog,
        "stranger": factories.person(organisation=other_prog.organisation, name="Kari Nordmann"),
        "other_activity": factories.activity(other_prog, code="HA09"),
        "other_phase": other_phase,
        "other_line": factories.budget_line(other_phase),
    }


def counts() -> tuple:
    return tuple(model.objects.count() for model in (Programme, Phase, Area, Person, Activity, BudgetLine))


# --- a programme from nothing ----------------------------------------------------------------------------------


def test_a_project_leader_sets_up_a_new_programme_from_nothing(prog, leader_client):
    page = leader_client.get(url("programme_setup", prog))
    assert page.status_code == 200
    assert "Ingen faser ennå." in page.text and "Ingen aktiviteter." in page.text

    response = leader_client.post(url("phase_create", prog), {"number": "1", "year": "2021", "name": "Gjennomføring"})
    assert response.status_code == 302 and response["Location"] == url("programme_setup", prog) + "#faser"
    phase = Phase.objects.get(programme=prog)
    assert (phase.number, phase.year, phase.name, phase.version) == (1, 2021, "Gjennomføring", 1)

    leader_client.post(url("area_create", prog), {"number": "1", "name": "Digitale tjenester"})
    area = Area.objects.get(programme=prog)

    for name in ("Kari Nordmann", "Ola Nordmann"):
        response = leader_client.post(url("person_create", prog), {"name": name, "title": "Rådgiver", "unit": "IT"})
        assert response.status_code == 302
    kari = Person.objects.get(organisation=prog.organisation, name="Kari Nordmann")
    ola = Person.objects.get(organisation=prog.organisation, name="Ola Nordmann")

    response = leader_client.post(
        url("activity_create", prog),
        {
            "code": "ha01",
            "name": "Selvbetjening",
            "area": area.pk,
            "responsible": kari.pk,
            "working_group": [ola.pk],
            "purpose": "Innbyggerne klarer seg selv.",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(programme=prog)
    assert response["Location"] == url("activity_detail", prog, "HA01")
    assert (activity.code, activity.area, activity.responsible) == ("HA01", area, kari)
    assert list(activity.working_group.all()) == [ola]

    response = leader_client.post(
        url("budget_line_create", prog),
        {
            "phase": phase.pk,
            "activity": activity.pk,
            "kind": "cost",
            "category": "operating",
            "description": "Lisenser",
            "planned_amount": "1 500 000",
        },
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(phase__programme=prog)
    assert (line.activity, line.planned_amount, line.actual_amount) == (activity, Decimal("1500000.00"), None)
    assert response["Location"] == url("budget", prog) + f"#linje-{line.pk}"
    budget = leader_client.get(response["Location"])
    assert "«Fase 1 (2021): Kostnad – Lisenser» er opprettet." in budget.text

    detail = leader_client.get(url("activity_detail", prog, "HA01"))
    assert detail.status_code == 200
    assert "<dt>Ansvarlig</dt><dd>Kari Nordmann</dd>" in detail.text
    assert "Ola Nordmann" in detail.text
    assert "Endre aktiviteten" in detail.text

    overview = leader_client.get(url("programme_setup", prog)).text
    for text in (
        "Gjennomføring",
        "1. Digitale tjenester",
        "Kari Nordmann",
        "HA01",
        "Lisenser",
        "1\xa0500\xa0000\xa0kr",
    ):
        assert text in overview


def test_an_empty_planned_amount_is_ikke_avklart(prog, leader_client, setup):
    data = {"phase": setup["phase"].pk, "activity": "", "kind": "financing", "category": "investment"}
    response = leader_client.post(url("budget_line_create", prog), {**data, "description": "Tilskudd"})
    assert response.status_code == 302
    line = BudgetLine.objects.get(description="Tilskudd")
    assert (line.planned_amount, line.activity, line.phase) == (None, None, setup["phase"])


def test_the_programme_settings_are_edited_but_not_its_slug_or_organisation(prog, leader_client):
    organisation, slug = prog.organisation, prog.slug
    response = leader_client.post(
        url("programme_edit", prog),
        {
            "name": "Digital kommune",
            "goal": "Bedre tjenester",
            "start_date": "01.01.2020",
            "end_date": "2023-12-31",
            "status_report_interval_days": "30",
            "slug": "kapret",
            "organisation": factories.organisation().pk,
            "version": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == url("programme_setup", prog) + "#programmet"
    prog.refresh_from_db()
    assert (prog.name, prog.goal, str(prog.end_date), prog.status_report_interval_days) == (
        "Digital kommune",
        "Bedre tjenester",
        "2023-12-31",
        30,
    )
    assert (prog.slug, prog.organisation, prog.version) == (slug, organisation, 2)


def test_existing_objects_are_edited_and_each_edit_raises_the_version(prog, leader_client, setup):
    phase, area, kari, line = setup["phase"], setup["area"], setup["kari"], setup["line"]
    edits = [
        (url("phase_edit", prog, phase.pk), {"number": "2", "year": "2022", "name": "Drift"}, phase),
        (url("area_edit", prog, area.pk), {"number": "3", "name": "Infrastruktur"}, area),
        (url("person_edit", prog, kari.pk), {"name": "Kari Nordmann-Berg", "email": "kari@example.no"}, kari),
        (
            url("budget_line_edit", prog, line.pk),
            {"phase": phase.pk, "kind": "cost", "category": "units", "description": "Lisenser", "planned_amount": ""},
            line,
        ),
    ]
    for edit_url, data, obj in edits:
        assert leader_client.get(edit_url).status_code == 200
        response = leader_client.post(edit_url, {**data, "version": "1"})
        assert response.status_code == 302, response.text
        obj.refresh_from_db()
        assert obj.version == 2
    assert (phase.number, area.name, kari.email, line.planned_amount) == (2, "Infrastruktur", "kari@example.no", None)


# --- bad input: 422 and nothing saved --------------------------------------------------------------------------


BAD_INPUT = {
    "duplicate code (case-insensitive)": (
        "activity_create",
        lambda s: {"code": "ha01", "name": "Dobbel"},
        "Koden HA01 er allerede i bruk.",
    ),
    "code with a slash": ("activity_create", lambda s: {"code": "HA/02", "name": "Skråstrek"}, "Koden kan bare ha"),
    "code too long": ("activity_create", lambda s: {"code": "HA012345678", "name": "Lang"}, None),
    "responsible of another organisation": (
        "activity_create",
        lambda s: {"code": "HA02", "name": "Fremmed", "responsible": s["stranger"].pk},
        "Velg en person i lista.",
    ),
    "working group member of another organisation": (
        "activity_create",
        lambda s: {"code": "HA02", "name": "Fremmed", "working_group": [s["ola"].pk, s["stranger"].pk]},
        "Velg en person i lista.",
    ),
    "area of another programme": (
        "activity_create",
        lambda s: {
            "code": "HA02",
            "name": "Annet område",
            "area": Area.objects.create(programme=s["other_programme"], number=1, name="X").pk,
        },
        "Velg et hovedområde fra listen.",
    ),
    "year before the programme": (
        "phase_create",
        lambda s: {"number": "2", "year": "2019", "name": "For tidlig"},
        "Året må ligge i programperioden, 2020–2022.",
    ),
    "year after the programme": ("phase_create", lambda s: {"number": "2", "year": "2023", "name": "Sent"}, None),
    "duplicate phase number": (
        "phase_create",
        lambda s: {"number": "1", "year": "2021", "name": "Dobbel"},
        "Programmet har allerede en fase 1.",
    ),
    "duplicate phase year": (
        "phase_create",
        lambda s: {"number": "2", "year": "2020", "name": "Samme år"},
        "Programmet har allerede en fase i 2020.",
    ),
    "phase number 0": ("phase_create", lambda s: {"number": "0", "year": "2021", "name": "Null"}, "minst 1"),
    "duplicate area number": (
        "area_create",
        lambda s: {"number": "1", "name": "Dobbel"},
        "Programmet har allerede et hovedområde 1.",
    ),
    "duplicate person name": (
        "person_create",
        lambda s: {"name": "kari nordmann"},
        "kari nordmann er allerede registrert i",
    ),
    "activity of another programme": (
        "budget_line_create",
        lambda s: {
            "phase": s["phase"].pk,
            "activity": s["other_activity"].pk,
            "kind": "cost",
            "category": "operating",
            "description": "Feil program",
        },
        "Velg en aktivitet fra listen.",
    ),
    "phase of another programme": (
        "budget_line_create",
        lambda s: {"phase": s["other_phase"].pk, "kind": "cost", "category": "operating", "description": "Feil fase"},
        "Velg en fase fra listen.",
    ),
    "negative amount": (
        "budget_line_create",
        lambda s: {
            "phase": s["phase"].pk,
            "kind": "cost",
            "category": "operating",
            "description": "Negativ",
            "planned_amount": "-5",
        },
        "Beløpet kan ikke være negativt.",
    ),
    "garbled amount": (
        "budget_line_create",
        lambda s: {
            "phase": s["phase"].pk,
            "kind": "cost",
            "category": "operating",
            "description": "Uleselig",
            "planned_amount": "kr 1,5 mill.",
        },
        "er ikke et beløp i kroner",
    ),
    "end before start": (
        "programme_edit",
        lambda s: {
            "name": "Baklengs",
            "start_date": "2020-01-01",
            "end_date": "2019-12-31",
            "status_report_interval_days": "14",
            "version": "1",
        },
        "Sluttdatoen må være etter startdatoen.",
    ),
    "status report interval 0": (
        "programme_edit",
        lambda s: {
            "name": "Aldri",
            "start_date": "2020-01-01",
            "end_date": "2022-12-31",
            "status_report_interval_days": "0",
            "version": "1",
        },
        "minst 1",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_with_a_norwegian_error_and_nothing_is_saved(prog, leader_client, setup, case):
    name, data, message = BAD_INPUT[case]
    data = data(setup)  # before counting: some cases make what they post
    before = counts()
    prog.refresh_from_db()
    response = leader_client.post(url(name, prog), data)
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "Skjemaet har feil; ingenting er lagret." in response.text
    assert 'aria-invalid="true"' in response.text
    if message:
        assert message in response.text
    assert counts() == before
    prog.refresh_from_db()
    assert prog.version == 1


def test_an_edit_with_bad_input_changes_nothing(prog, leader_client, setup):
    activity = setup["activity"]
    data = {"code": "HA 01", "name": "Nytt navn", "responsible": setup["stranger"].pk, "version": "1"}
    response = leader_client.post(url("activity_edit", prog, "HA01"), data)
    assert response.status_code == 422
    assert "Koden kan bare ha" in response.text and "Velg en person i lista." in response.text
    activity.refresh_from_db()
    assert (activity.code, activity.name, activity.responsible, activity.version) == (
        "HA01",
        "Selvbetjening",
        setup["kari"],
        1,
    )


def test_a_clash_the_form_could_not_see_is_a_form_error_not_an_integrityerror(prog, leader_client, setup, monkeypatch):
    """Two leaders adding phase 2 at the same moment: both pass the form's check, the database refuses one."""
    monkeypatch.setattr(PhaseForm, "_others", lambda form: Phase.objects.none())
    before = counts()
    response = leader_client.post(url("phase_create", prog), {"number": "1", "year": "2021", "name": "Samtidig"})
    assert response.status_code == 422
    assert "Noen andre lagret det samme samtidig." in response.text and 'role="alert"' in response.text
    assert counts() == before


def test_activity_codes_take_letters_digits_dash_underscore_and_dot_and_are_stored_in_capitals(prog, leader_client):
    response = leader_client.post(url("activity_create", prog), {"code": "ha-1.b_2", "name": "Punktum"})
    assert response.status_code == 302
    assert Activity.objects.get(programme=prog).code == "HA-1.B_2"
    assert leader_client.get(response["Location"]).status_code == 200
    assert leader_client.get(url("activity_edit", prog, "HA-1.B_2")).status_code == 200


# --- who may do what -------------------------------------------------------------------------------------------


def all_urls(prog, s) -> dict[str, tuple[str, dict]]:
    """Every set-up URL of the programme, with a valid POST for it."""
    line = {"phase": s["phase"].pk, "kind": "cost", "category": "operating", "description": "Ny", "version": "1"}
    return {
        "programme_setup": (url("programme_setup", prog), {}),
        "programme_edit": (
            url("programme_edit", prog),
            {"name": "Kapret", "start_date": "2020-01-01", "end_date": "2022-12-31", "version": "1"},
        ),
        "phase_create": (url("phase_create", prog), {"number": "5", "year": "2022", "name": "Ny"}),
        "phase_edit": (url("phase_edit", prog, s["phase"].pk), {"number": "1", "year": "2020", "name": "Ny"}),
        "area_create": (url("area_create", prog), {"number": "5", "name": "Ny"}),
        "area_edit": (url("area_edit", prog, s["area"].pk), {"number": "1", "name": "Ny", "version": "1"}),
        "person_create": (url("person_create", prog), {"name": "Ny Person"}),
        "person_edit": (url("person_edit", prog, s["kari"].pk), {"name": "Ny", "version": "1"}),
        "activity_create": (url("activity_create", prog), {"code": "HA05", "name": "Ny"}),
        "activity_edit": (url("activity_edit", prog, "HA01"), {"code": "HA01", "name": "Ny", "purpose": "Ny"}),
        "budget_line_create": (url("budget_line_create", prog), line),
        "budget_line_edit": (url("budget_line_edit", prog, s["line"].pk), line),
    }


def snapshot(s) -> tuple:
    stored = [s[key].__class__.objects.get(pk=s[key].pk) for key in ("phase", "area", "kari", "activity", "line")]
    programme = Programme.objects.get(pk=s["phase"].programme_id)
    return (counts(), *(obj.version for obj in stored), programme.name, programme.version)


def assert_refused(client, urls, s, status):
    before = snapshot(s)
    for name, (target, data) in urls.items():
        assert client.get(target).status_code == status, name
        assert client.post(target, data).status_code == (405 if name == "programme_setup" else status), name
    assert snapshot(s) == before


@pytest.mark.parametrize("roles", [(STEERING_GROUP,), (STAFF,), (STEERING_GROUP, STAFF)])
def test_steering_group_and_staff_get_403_everywhere(prog, setup, roles):
    assert_refused(client_for(user_with(prog, *roles)), all_urls(prog, setup), setup, 403)


def test_a_project_group_member_without_the_activity_gets_403_everywhere(prog, setup):
    member = user_with(prog, PROJECT_GROUP)
    factories.person(organisation=prog.organisation, name="Per Prosjekt", user=member)
    assert_refused(client_for(member), all_urls(prog, setup), setup, 403)


def test_a_non_member_and_another_programmes_leader_get_404(prog, setup, outsider):
    other_leader = user_with(setup["other_programme"], PROJECT_LEADER)
    for user in (outsider, other_leader):
        assert_refused(client_for(user), all_urls(prog, setup), setup, 404)


def test_anonymous_users_are_sent_to_the_login_page(prog, setup, client):
    before = snapshot(setup)
    for name, (target, data) in all_urls(prog, setup).items():
        for response in (client.get(target), client.post(target, data)):
            assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
    assert snapshot(setup) == before


def test_objects_of_another_programme_or_organisation_are_404_for_the_leader(prog, leader_client, setup):
    for target in (
        url("phase_edit", prog, setup["other_phase"].pk),
        url("person_edit", prog, setup["stranger"].pk),
        url("activity_edit", prog, "HA09"),
        url("budget_line_edit", prog, setup["other_line"].pk),
        url("area_edit", prog, 999999),
    ):
        assert leader_client.get(target).status_code == 404, target
        assert leader_client.post(target, {"name": "Kapret", "version": "1"}).status_code == 404, target
    assert Person.objects.get(pk=setup["stranger"].pk).version == 1


def test_the_responsible_project_group_member_edits_the_content_but_not_code_or_responsible(prog, setup):
    member = user_with(prog, PROJECT_GROUP)
    me = factories.person(organisation=prog.organisation, name="Per Prosjekt", user=member)
    activity = setup["activity"]
    activity.responsible = me
    activity.save()
    client = client_for(member)

    form = client.get(url("activity_edit", prog, "HA01"))
    assert form.status_code == 200
    assert 'name="purpose"' in form.text and 'name="working_group"' in form.text
    assert 'name="code"' not in form.text and 'name="responsible"' not in form.text
    assert "Endre aktiviteten" not in client.get(url("activity_detail", prog, "HA01")).text  # the leader's link

    response = client.post(
        url("activity_edit", prog, "HA01"),
        {
            "purpose": "Ny hensikt",
            "working_group": [setup["ola"].pk, setup["kari"].pk],
            "code": "ZZ99",
            "name": "Kapret",
            "responsible": setup["kari"].pk,
            "version": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == url("activity_detail", prog, "HA01")
    activity.refresh_from_db()
    assert (activity.purpose, activity.code, activity.name, activity.responsible) == (
        "Ny hensikt",
        "HA01",
        "Selvbetjening",
        me,
    )
    assert set(activity.working_group.all()) == {setup["ola"], setup["kari"]}
    # Everything else of the set-up stays the project leader's.
    assert client.get(url("activity_create", prog)).status_code == 403
    assert client.get(url("programme_setup", prog)).status_code == 403


def test_two_editors_the_second_gets_409_and_the_first_ones_save_is_kept(prog, leader, setup):
    other = user_with(prog, PROJECT_LEADER)
    first, second = client_for(leader), client_for(other)
    edit_url = url("activity_edit", prog, "HA01")
    assert 'name="version" value="1"' in first.get(edit_url).text
    assert 'name="version" value="1"' in second.get(edit_url).text
    base = {"code": "HA01", "area": setup["area"].pk, "responsible": setup["kari"].pk, "version": "1"}
    saved = first.post(edit_url, {**base, "name": "Førstes navn", "working_group": [setup["ola"].pk]})
    assert saved.status_code == 302
    response = second.post(edit_url, {**base, "name": "Andres navn", "working_group": [setup["kari"].pk]})
    assert response.status_code == 409
    assert "Noen andre har endret dette" in response.text and 'role="alert"' in response.text
    assert "Førstes navn" in response.text and "Andres navn" in response.text  # stored and typed side by side
    assert "Ola Nordmann" in response.text and "portfolio.Person.None" not in response.text
    assert 'name="version" value="2"' in response.text
    activity = Activity.objects.get(pk=setup["activity"].pk)
    assert (activity.name, activity.version) == ("Førstes navn", 2)
    assert list(activity.working_group.all()) == [setup["ola"]]


# --- links and queries -----------------------------------------------------------------------------------------


def test_the_budget_page_links_to_the_line_forms_for_the_leader_only(prog, leader_client, setup):
    page = leader_client.get(url("budget", prog)).text
    assert url("budget_line_create", prog) in page and url("budget_line_edit", prog, setup["line"].pk) in page
    reader = client_for(user_with(prog, STEERING_GROUP)).get(url("budget", prog)).text
    assert url("budget_line_create", prog) not in reader and "Endre" not in reader


def test_the_setup_page_costs_the_same_queries_for_5_and_50_activities(prog, leader_client):
    area = Area.objects.create(programme=prog, number=1, name="Tjenester")
    phase = Phase.objects.create(programme=prog, number=1, year=2020, name="Forprosjekt")

    def grow_to(n):
        while Activity.objects.filter(programme=prog).count() < n:
            i = Activity.objects.filter(programme=prog).count()
            person = factories.person(organisation=prog.organisation, name=f"Person {i}")
            activity = factories.activity(prog, area=area, responsible=person)
            factories.budget_line(phase, activity=activity)

    grow_to(5)
    few = count_queries(leader_client, url("programme_setup", prog))
    grow_to(50)
    many = count_queries(leader_client, url("programme_setup", prog))
    assert few == many


def test_people_and_activities_come_100_a_page_and_each_list_keeps_its_own_page(prog, leader_client):
    Person.objects.bulk_create([Person(organisation=prog.organisation, name=f"Person {i:03d}") for i in range(105)])
    Activity.objects.bulk_create([Activity(programme=prog, code=f"A{i:03d}", name=f"Aktivitet {i}") for i in range(3)])
    first = leader_client.get(url("programme_setup", prog))
    assert "Person 099" in first.text and "Person 100" not in first.text and "Side 1 av 2" in first.text
    second = leader_client.get(url("programme_setup", prog) + "?personer=2&aktiviteter=1")
    assert "Person 100" in second.text and "Person 099" not in second.text and "A002" in second.text


def test_the_project_leader_keeps_the_organisation_chart_in_the_app(client, plan, project_leader, steering_member):
    """The dashboard's «Organisering» comes from the set-up page: add a line, refuse a duplicate, remove it."""
    person = factories.person(name="Reidun Referanse")
    client.force_login(project_leader)
    url = reverse("membership_create", args=[plan.slug])
    data = {"person": person.pk, "role": "ref", "description": "Brukerrepresentant"}
    assert client.post(url, data).status_code == 302
    line = Membership.objects.get(programme=plan, person=person)
    assert "Reidun Referanse" in client.get(reverse("programme", args=[plan.slug])).text
    again = client.post(url, data)
    assert again.status_code == 422 and "står allerede i organiseringen" in again.text
    other = factories.person(organisation=factories.organisation(), name="Fra en annen kommune")
    assert client.post(url, {**data, "person": other.pk}).status_code == 422
    assert Membership.objects.filter(programme=plan, person=person).count() == 1
    remove = reverse("membership_delete", args=[plan.slug, line.pk])
    assert "Er du sikker" in client.get(remove).text
    client.force_login(steering_member)
    assert client.post(remove, {"confirm": "1"}).status_code == 403
    client.force_login(project_leader)
    assert client.post(remove).status_code == 200  # not confirmed: asks again, removes nothing
    assert Membership.objects.filter(pk=line.pk).exists()
    assert client.post(remove, {"confirm": "1"}).status_code == 302
    assert not Membership.objects.filter(pk=line.pk).exists()


def test_the_setup_page_title_is_plain_text(client, plan, project_leader):
    client.force_login(project_leader)
    page = client.get(reverse("programme_setup", args=[plan.slug])).text
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Oppsett av programmet" in title and "<" not in title
    assert page.count('id="organisering"') == 1

"""A project leader sets up a new programme from nothing in a real browser, never visiting /admin/.

The installation administrator does what the README says (the organisation, an empty programme, a user and
`grant_role`); from there the project leader does everything in the app's pages: members and an invitation,
a phase, an area, people, an activity with its responsible and working group, a budget line typed the
Norwegian way, a decision point and a milestone. Then what a user notices: the dashboard, the activity page,
the budget, the milestones, and who may see which programme. axe-core on the members page and a set-up form.
"""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from milestones.models import DecisionPoint, Milestone
from portfolio.models import (
    Activity,
    Area,
    BudgetLine,
    Organisation,
    OrganisationMember,
    Person,
    Phase,
    Programme,
    ProgrammeRole,
)
from tests.axe import assert_accessible

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 800}
SLUG = "sondre-land-digitalisering"
OTHER_SLUG = "nordre-land-digitalisering"
PASSWORD = "hemmelig-passord-1"


def login(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} kom ikke inn"


def shot(page, name, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-{viewport}.png", full_page=True)


def text(locator) -> str:
    """The element's text with every run of whitespace (non-breaking spaces too) as one ordinary space."""
    return re.sub(r"\s+", " ", locator.inner_text()).strip()


def message(page) -> str:
    return text(page.locator("ul.messages"))


def submit_setup_form(page):
    """«Lagre» on a set-up form; the form saves, so the page that follows has no error summary."""
    page.locator("form.stacked").get_by_role("button", name="Lagre").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 0, text(page.locator("main"))


@pytest.fixture
def sondre_land(committed_plan):
    """What the installation administrator does before the project leader starts (README): no browser here."""
    User = get_user_model()
    organisation = Organisation.objects.create(name="Søndre Land kommune", slug="sondre-land")
    programme = Programme.objects.create(
        organisation=organisation,
        slug=SLUG,
        name="Digitalisering i Søndre Land kommune",
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    User.objects.create_user("sl-leder", password=PASSWORD, first_name="Siri", last_name="Leder")
    call_command("grant_role", "sl-leder", SLUG, "prosjektleder", verbosity=0)
    User.objects.create_user("sl-styring", password=PASSWORD)
    return programme


def test_project_leader_sets_up_a_programme_from_nothing(browser, live_server, sondre_land, mailoutbox):
    programme = sondre_land
    User = get_user_model()
    leader = User.objects.get(username="sl-leder")
    # The administrator's set-up: the one role, nothing else anywhere; the programme is empty.
    assert list(ProgrammeRole.objects.filter(user=leader).values_list("programme__slug", "role")) == [
        (SLUG, "prosjektleder")
    ]
    assert not OrganisationMember.objects.filter(user=leader).exists()
    assert not ProgrammeRole.objects.filter(user__username="sl-styring").exists()
    assert not programme.activities.exists() and not programme.phases.exists()

    base = live_server.url
    url = f"{base}/program/{SLUG}"
    visited = []
    context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    page = context.new_page()
    page.on("request", lambda request: visited.append(request.url))
    console = []
    page.on("console", lambda msg: console.append(msg.text))

    # The project leader logs in and lands on the (empty) programme.
    login(page, base, "sl-leder")
    page.wait_for_url(f"{url}/")
    page.get_by_role("heading", name="Digitalisering i Søndre Land kommune", level=1).wait_for()
    assert page.get_by_text("Viser 0 av 0 hovedaktiviteter.").is_visible()

    # --- Members: an existing user as steering group, and an invitation by e-mail ---------------------------
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Medlemmer").click()
    page.wait_for_url(f"{url}/medlemmer/")
    page.get_by_role("heading", name="Medlemmer", level=1).wait_for()
    add = page.get_by_role("region", name="Gi en bruker som finnes en rolle")
    add.get_by_label("Brukernavn eller e-post").fill("sl-styring")
    add.get_by_label("Rolle").select_option(label="Styringsgruppe")
    add.get_by_role("button", name="Gi rollen").click()
    page.wait_for_url("**/medlemmer/#medlem-*")
    assert message(page) == "sl-styring har fått rollen «Styringsgruppe»."

    invite = page.get_by_role("region", name="Inviter på e-post")
    invite.get_by_label("Navn").fill("Kari Prosjekt")
    invite.get_by_label("E-post").fill("kari@example.no")
    invite.get_by_label("Rolle").select_option(label="Prosjektgruppe")
    invite.get_by_role("button", name="Inviter").click()
    page.wait_for_load_state()
    assert message(page) == (
        "Kari Prosjekt er invitert på e-post til kari@example.no og har fått rollen «Prosjektgruppe»."
    )
    kari = User.objects.get(email="kari@example.no")
    steering = User.objects.get(username="sl-styring")
    members = page.get_by_role("region", name="Medlemmer")
    steering_row, kari_row = members.locator(f"#medlem-{steering.pk}"), members.locator(f"#medlem-{kari.pk}")
    assert "Styringsgruppe" in text(steering_row)
    assert "Kari Prosjekt" in text(kari_row) and "kari@example.no" in text(kari_row)
    assert "Prosjektgruppe" in text(kari_row)
    assert text(page.get_by_text(re.compile(r"^\d+ medlem"))) == "3 medlemmer"
    # The invitation went out, with the link where Kari chooses a password.
    assert [m.to for m in mailoutbox] == [["kari@example.no"]]
    assert "/accounts/reset/" in mailoutbox[0].body

    # --- Set-up: phase, area, people ------------------------------------------------------------------------
    # No menu item or dashboard link leads here (see the report); the project leader types the address.
    page.goto(f"{url}/oppsett/")
    page.get_by_role("heading", name="Oppsett av programmet", level=1).wait_for()
    assert page.get_by_text("Ingen faser ennå.").is_visible()

    page.get_by_role("link", name="Ny fase").click()
    page.get_by_role("heading", name="Ny fase", level=1).wait_for()
    page.get_by_label("Nummer").fill("1")
    page.get_by_label("År").fill("2025")
    page.get_by_label("Navn").fill("Fase 1: Oppstart")
    submit_setup_form(page)
    page.wait_for_url(f"{url}/oppsett/#faser")
    assert message(page) == "«Fase 1 (2025)» er opprettet."

    page.get_by_role("link", name="Nytt hovedområde").click()
    page.get_by_role("heading", name="Nytt hovedområde", level=1).wait_for()
    page.get_by_label("Nummer").fill("1")
    page.get_by_label("Navn").fill("Selvbetjening")
    submit_setup_form(page)
    assert message(page) == "«1. Selvbetjening» er opprettet."

    for name, title in (("Kari Prosjekt", "Prosjektmedarbeider"), ("Per Arbeid", "Saksbehandler")):
        page.get_by_role("link", name="Ny person").click()
        page.get_by_role("heading", name="Ny person", level=1).wait_for()
        page.get_by_label("Navn").fill(name)
        page.get_by_label("Stilling/funksjon").fill(title)
        submit_setup_form(page)
        assert message(page) == f"«{name}» er opprettet."
    people = page.get_by_role("region", name="Personer")
    assert people.get_by_role("cell", name="Kari Prosjekt", exact=True).is_visible()
    assert people.get_by_role("cell", name="Per Arbeid", exact=True).is_visible()

    # --- The activity, with its responsible and working group -----------------------------------------------
    page.get_by_role("link", name="Ny aktivitet").click()
    page.get_by_role("heading", name="Ny aktivitet", level=1).wait_for()
    page.get_by_label("Kode").fill("SL01")
    page.get_by_label("Navn").fill("Digitale skjema")
    page.get_by_label("Hovedområde").select_option(label="1. Selvbetjening")
    page.get_by_label("Ansvarlig").select_option(label="Kari Prosjekt")
    page.get_by_role("group", name="Arbeidsgruppe").get_by_label("Per Arbeid").check()
    page.get_by_label("Hensikt").fill("Innbyggerne sender søknader digitalt.")
    assert_accessible(page)
    shot(page, "setup-activity-form", "desktop")
    submit_setup_form(page)
    page.wait_for_url(f"{url}/aktiviteter/SL01/")
    assert message(page) == "«SL01 Digitale skjema» er opprettet."

    # --- The budget line, tied to SL01, with an amount typed the Norwegian way -----------------------------
    page.goto(f"{url}/oppsett/")
    page.get_by_role("region", name="Budsjettlinjer").wait_for()
    page.get_by_role("link", name="Ny budsjettlinje").click()
    page.get_by_role("heading", name="Ny budsjettlinje", level=1).wait_for()
    page.get_by_label("Fase").select_option(label="Fase 1 (2025)")
    page.get_by_label("Hovedaktivitet").select_option(label="SL01 Digitale skjema")
    page.get_by_label("Type").select_option(label="Kostnad")
    page.get_by_label("Kategori").select_option(label="Investering")
    page.get_by_label("Beskrivelse").fill("Skjemaløsning")
    page.get_by_label("Planlagt beløp (kr)").fill("150 000")
    submit_setup_form(page)
    page.wait_for_url(f"{url}/budsjett/#linje-*")
    assert message(page) == "«Fase 1 (2025): Kostnad – Skjemaløsning» er opprettet."

    # --- Members again: the invited user is the person Kari Prosjekt ----------------------------------------
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Medlemmer").click()
    page.wait_for_url(f"{url}/medlemmer/")
    kari_row = page.locator(f"#medlem-{kari.pk}")
    kari_row.get_by_label("Person for Kari Prosjekt").select_option(label="Kari Prosjekt")
    kari_row.get_by_role("button", name="Lagre").click()
    page.wait_for_url(f"**/medlemmer/#medlem-{kari.pk}")
    assert message(page) == "Kari Prosjekt er koblet til personen «Kari Prosjekt»."
    linked = page.locator(f"#medlem-{kari.pk}").get_by_label("Person for Kari Prosjekt")
    assert linked.locator("option:checked").inner_text() == "Kari Prosjekt"
    # The person exists now, so the page no longer offers to create one with the member's name.
    assert page.locator(f"#medlem-{kari.pk}").get_by_role("button", name="Ny person med dette navnet").count() == 0

    # --- Milestones page: a decision point and a milestone, through the htmx editor ------------------------
    # The plan's pages sit in the menu's «Plan» group (#15).
    page.get_by_role("navigation", name="Hovedmeny").get_by_text("Plan", exact=True).click()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Milepæler").click()
    page.wait_for_url(f"{url}/milepaeler/")
    page.get_by_role("heading", name="Beslutningspunkter og milepæler", level=1).wait_for()
    editor = page.locator("#editor")
    page.get_by_role("link", name="Nytt beslutningspunkt").click()
    editor.get_by_role("heading", name="Nytt beslutningspunkt").wait_for()
    editor.get_by_label("Kode").fill("BP1")
    editor.get_by_label("Beslutning", exact=True).fill("Godkjenne forprosjektet")
    editor.get_by_label("Dato", exact=True).fill("2025-06-15")
    editor.get_by_label("Forum").fill("Styringsgruppen")
    editor.get_by_role("button", name="Opprett beslutningspunktet").click()
    page.locator("#bp-BP1").wait_for()
    assert editor.inner_text().strip() == ""  # the editor is emptied once the point is saved

    page.get_by_role("link", name="Ny milepæl").click()
    editor.get_by_role("heading", name="Ny milepæl").wait_for()
    editor.get_by_label("Kode").fill("MP1")
    editor.get_by_label("Milepæl", exact=True).fill("Første skjema i drift")
    editor.get_by_label("Hovedaktivitet").select_option(label="SL01 Digitale skjema")
    editor.get_by_label("Planlagt dato").fill("2025-10-01")
    editor.get_by_role("button", name="Opprett milepælen").click()
    page.locator("#mp-MP1").wait_for()

    # Reloaded, the page lists both, as anyone would see it later.
    page.reload()
    bp1, mp1 = text(page.locator("#bp-BP1")), text(page.locator("#mp-MP1"))
    assert "BP1 Godkjenne forprosjektet 15.06.2025 Styringsgruppen" in bp1
    assert "MP1 Første skjema i drift 01.10.2025" in mp1 and "SL01" in mp1
    shot(page, "setup-milestones", "desktop")

    # --- What the project leader sees afterwards ------------------------------------------------------------
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Oversikt").click()
    page.wait_for_url(f"{url}/")
    row = page.locator("#row-SL01")
    row.wait_for()
    assert page.get_by_text("Viser 1 av 1 hovedaktiviteter.").is_visible()
    assert row.get_by_role("link", name="SL01").is_visible()
    assert "Digitale skjema" in text(row.get_by_role("rowheader"))
    assert text(row.locator('td[data-label="Ansvarlig"]')) == "Kari Prosjekt"
    # Once 1 October 2025 has passed, the open milestone is marked overdue.
    overdue = " forfalt" if timezone.localdate() > datetime.date(2025, 10, 1) else ""
    assert text(row.locator('td[data-label="Neste milepæl"]')) == f"MP1 01.10.2025{overdue}"
    assert "0 kr av 150 000 kr" in text(row.locator('td[data-label="Budsjett brukt"]'))
    shot(page, "setup-dashboard", "desktop")

    row.get_by_role("link", name="SL01").click()
    page.wait_for_url(f"{url}/aktiviteter/SL01/")
    page.get_by_role("heading", name="SL01 Digitale skjema", level=1).wait_for()
    facts = page.locator("dl.facts")
    assert text(facts.locator("dt:text-is('Hovedområde') + dd")) == "1. Selvbetjening"
    assert text(facts.locator("dt:text-is('Ansvarlig') + dd")) == "Kari Prosjekt"
    assert text(facts.locator("dt:text-is('Arbeidsgruppe') + dd")) == "Per Arbeid"

    # The plan's pages sit in the menu's «Plan» group (#15).
    page.get_by_role("navigation", name="Hovedmeny").get_by_text("Plan", exact=True).click()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Budsjett").click()
    page.wait_for_url(f"{url}/budsjett/")
    line = BudgetLine.objects.get(phase__programme=programme, description="Skjemaløsning")
    budget_row = page.locator(f"#linje-{line.pk}")
    assert "(Investering, SL01)" in text(budget_row)
    assert budget_row.locator("td.num").first.inner_text() == "150\xa0000\xa0kr"
    shot(page, "setup-budget", "desktop")

    # --- axe on the members page, and the whole page in the database ----------------------------------------
    page.goto(f"{url}/medlemmer/")
    page.get_by_role("heading", name="Medlemmer", level=1).wait_for()
    assert_accessible(page)
    shot(page, "setup-members", "desktop")

    assert not [u for u in visited if "/admin/" in u], "the project leader never needed /admin/"
    assert not [m for m in console if "Content Security Policy" in m], console
    context.close()

    # --- The database: everything belongs to the Søndre Land programme ------------------------------------
    phase = Phase.objects.get(programme=programme)
    assert (phase.number, phase.year, phase.name) == (1, 2025, "Fase 1: Oppstart")
    area = Area.objects.get(programme=programme)
    assert (area.number, area.name) == (1, "Selvbetjening")
    people = Person.objects.filter(organisation=programme.organisation)
    assert sorted(people.values_list("name", flat=True)) == ["Kari Prosjekt", "Per Arbeid"]
    assert people.get(name="Kari Prosjekt").user == kari
    activity = Activity.objects.get(programme=programme, code="SL01")
    assert (activity.name, activity.area, activity.responsible.name) == ("Digitale skjema", area, "Kari Prosjekt")
    assert list(activity.working_group.values_list("name", flat=True)) == ["Per Arbeid"]
    assert (line.phase, line.activity, line.kind, line.category) == (phase, activity, "cost", "investment")
    assert line.planned_amount == Decimal("150000") and line.actual_amount is None
    point = DecisionPoint.objects.get(programme=programme, code="BP1")
    assert (point.title, point.date, point.forum) == (
        "Godkjenne forprosjektet",
        datetime.date(2025, 6, 15),
        "Styringsgruppen",
    )
    milestone = Milestone.objects.get(programme=programme, code="MP1")
    assert (milestone.title, milestone.activity, milestone.planned_date) == (
        "Første skjema i drift",
        activity,
        datetime.date(2025, 10, 1),
    )
    assert set(ProgrammeRole.objects.filter(programme=programme).values_list("user__username", "role")) == {
        ("sl-leder", "prosjektleder"),
        ("sl-styring", "styringsgruppe"),
        (kari.username, "prosjektgruppe"),
    }
    # Nothing leaked into the Nordre Land plan.
    nordre = Programme.objects.get(slug=OTHER_SLUG)
    assert not Activity.objects.filter(programme=nordre, code="SL01").exists()
    names = ["Kari Prosjekt", "Per Arbeid"]
    assert not Person.objects.filter(organisation=nordre.organisation, name__in=names).exists()

    # --- The members page fits a phone ----------------------------------------------------------------------
    phone = browser.new_context(viewport=PHONE, locale="nb-NO")
    page = phone.new_page()
    login(page, base, "sl-leder")
    page.goto(f"{url}/medlemmer/")
    page.get_by_role("heading", name="Medlemmer", level=1).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shot(page, "setup-members", "phone")
    phone.close()

    # --- The steering group member reads Søndre Land, and only Søndre Land -------------------------------
    steering_context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    page = steering_context.new_page()
    login(page, base, "sl-styring")
    response = page.goto(f"{url}/")
    assert response.status == 200
    assert text(page.locator("#row-SL01 td[data-label='Ansvarlig']")) == "Kari Prosjekt"
    assert page.goto(f"{base}/program/{OTHER_SLUG}/").status == 404
    steering_context.close()

    # --- Nordre Land's project leader sees nothing of Søndre Land -----------------------------------------
    other_context = browser.new_context(viewport=DESKTOP, locale="nb-NO")
    page = other_context.new_page()
    login(page, base, "leder", "demo")
    assert page.goto(f"{url}/").status == 404
    assert page.goto(f"{url}/medlemmer/").status == 404
    assert page.goto(f"{url}/oppsett/").status == 404
    other_context.close()

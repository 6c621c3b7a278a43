"""No lost updates: two people open the same edit form, the first save wins, the second is refused.

Each case loads the real edit page twice (so the version comes from the form the user got), lets editor A save,
then editor B: B gets the Norwegian stale message with A's stored values beside what B typed, the object keeps
A's values, and its version went up exactly once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from benefits.models import Benefit, BenefitPlan, CashFlowLine
from common.versioning import STALE_MESSAGE
from measures.models import Proposal
from milestones.models import DecisionPoint, Milestone
from portfolio.roles import PROJECT_LEADER
from risks.models import Risk
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
HTMX = {"HTTP_HX_REQUEST": "true"}
STALE_TEXT = str(STALE_MESSAGE)[:40]  # the start of the message, before any line wrapping


class FormParser(HTMLParser):
    """The fields of every <form> on a page, keyed by the form's action, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = self.forms.setdefault(a.get("action", ""), {})
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._form[a["name"]] = a.get("value", "on")
            elif a.get("type") not in ("submit", "button"):
                self._form[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
            self._form.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self._form[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._form[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._form is not None and self._textarea:
                self._form[self._textarea] = self._form[self._textarea].removeprefix("\n")
            self._textarea = None


def form_on(html: str, action: str) -> dict[str, str]:
    """The form posting to `action`; a form without an action attribute posts to its own page (`action`)."""
    parser = FormParser()
    parser.feed(html)
    if action not in parser.forms and "" in parser.forms:
        action = ""
    assert action in parser.forms, f"no form posting to {action} on the page (forms: {list(parser.forms)})"
    data = parser.forms[action]
    data.pop("csrfmiddlewaretoken", None)
    return data


@pytest.fixture
def second_leader(plan):
    user = get_user_model().objects.create_user("leder2", password="x", first_name="Andre", last_name="Leder")
    factories.grant(user, plan, PROJECT_LEADER)
    return user


@dataclass
class Case:
    """One edit form: where its page is, where it posts, what A and B change, and how to read the result."""

    page: Callable  # plan -> (page URL, form action URL, stored object)
    change_a: dict
    change_b: dict
    read: Callable  # stored object (refreshed) -> value that A set
    expected: object
    versioned: bool = True


def _proposal(plan, **kwargs):
    proposal = factories.proposal(plan, **kwargs)
    detail = reverse("proposal_detail", args=[SLUG, proposal.pk])
    return proposal, detail


def assess_page(plan):
    proposal, detail = _proposal(plan)
    return detail, reverse("proposal_assess", args=[SLUG, proposal.pk]), proposal


def activity_page(plan):
    proposal, detail = _proposal(plan, status=Proposal.Status.PRIORITISED)
    return detail, reverse("proposal_activity", args=[SLUG, proposal.pk]), proposal


def council_page(plan):
    proposal, detail = _proposal(plan, status=Proposal.Status.PRIORITISED)
    return detail, reverse("proposal_council", args=[SLUG, proposal.pk]), proposal


def risk_page(plan):
    risk = Risk.objects.get(programme=plan, code="R1")
    return reverse("risk_edit", args=[SLUG, "R1"]), reverse("risk_edit", args=[SLUG, "R1"]), risk


def milestone_page(plan):
    milestone = Milestone.objects.get(programme=plan, code="MP1")
    url = reverse("milestone_edit", args=[SLUG, "MP1"])
    return url, url, milestone


def decision_page(plan):
    point = DecisionPoint.objects.get(programme=plan, code="BP2")
    url = reverse("decision_record", args=[SLUG, "BP2"])
    return url, url, point


def postpone_page(plan):
    point = DecisionPoint.objects.get(programme=plan, code="BP3")
    return reverse("decision_record", args=[SLUG, "BP3"]), reverse("decision_postpone", args=[SLUG, "BP3"]), point


def benefit_plan_page(plan):
    benefit_plan = BenefitPlan.objects.get(programme=plan, code="GP-HA02")
    url = reverse("benefit_plan_edit", args=[SLUG, "GP-HA02"])
    return url, url, benefit_plan


def benefit_page(plan):
    benefit = Benefit.objects.get(indicator="Portoutgifter for utgående post")
    url = reverse("benefit_edit", args=[SLUG, "GP-HA02", benefit.pk])
    return url, url, benefit


def cash_flow_page(plan):
    line = CashFlowLine.objects.filter(plan__code="GP-HA02").order_by("year").first()
    page = reverse("benefit_plan", args=[SLUG, "GP-HA02"]) + f"?aar={line.year}"
    return page, reverse("benefit_cash_flow", args=[SLUG, "GP-HA02"]), line


def mitigation_page(plan):
    risk = Risk.objects.get(programme=plan, code="R1")
    mitigation = risk.mitigations.first()
    detail = reverse("risk_detail", args=[SLUG, "R1"])
    return detail, reverse("mitigation_toggle", args=[SLUG, "R1", mitigation.pk]), mitigation


CASES = {
    "proposal assessment": Case(assess_page, {"need": "5"}, {"need": "2"}, lambda p: p.need, 5),
    "proposal activity": Case(
        activity_page,
        {"activity": "@HA04"},
        {"activity": "@HA05"},
        lambda p: p.activity.code,
        "HA04",
    ),
    "change council": Case(
        council_page,
        {"change_council_note": "Behandlet av A"},
        {"change_council_note": "Behandlet av B"},
        lambda p: p.change_council_note,
        "Behandlet av A",
    ),
    "risk": Case(risk_page, {"title": "Tittel fra A"}, {"title": "Tittel fra B"}, lambda r: r.title, "Tittel fra A"),
    "milestone": Case(
        milestone_page,
        {"status": "moved", "evidence": "Flyttet av A"},
        {"status": "planned", "evidence": "Planlagt av B"},
        lambda m: (m.status, m.evidence),
        ("moved", "Flyttet av A"),
    ),
    "decision": Case(
        decision_page,
        {"decision_text": "Vedtak fra A", "decided_on": "15.03.2017"},
        {"decision_text": "Vedtak fra B", "decided_on": "16.03.2017"},
        lambda d: (d.status, d.decision_text),
        ("decided", "Vedtak fra A"),
    ),
    "postponement": Case(
        postpone_page,
        {"new_date": "2017-09-01"},
        {"new_date": "2017-12-01"},
        lambda d: (d.status, d.date),
        ("postponed", date(2017, 9, 1)),
    ),
    "benefit plan": Case(
        benefit_plan_page, {"title": "Plan fra A"}, {"title": "Plan fra B"}, lambda p: p.title, "Plan fra A"
    ),
    "benefit": Case(
        benefit_page, {"indicator": "Indikator A"}, {"indicator": "Indikator B"}, lambda b: b.indicator, "Indikator A"
    ),
    "cash-flow year": Case(
        cash_flow_page, {"benefit_value": "1000"}, {"benefit_value": "2000"}, lambda c: c.benefit_value, 1000
    ),
    "mitigation done": Case(mitigation_page, {}, {}, lambda m: m.done, True),
}


def _resolve(plan, data: dict) -> dict:
    """`@HA04` stands for the activity's primary key."""
    return {k: plan.activities.get(code=v[1:]).pk if str(v).startswith("@") else v for k, v in data.items()}


@pytest.mark.parametrize("name", CASES)
def test_second_editor_is_refused_and_the_first_save_is_kept(plan, project_leader, second_leader, name):
    case = CASES[name]
    page, action, obj = case.page(plan)
    before = type(obj).objects.get(pk=obj.pk)
    editor_a, editor_b = Client(), Client()
    editor_a.force_login(project_leader)
    editor_b.force_login(second_leader)
    # Both open the page before either saves: each form carries the version it was drawn from.
    form_a = form_on(editor_a.get(page).text, action)
    form_b = form_on(editor_b.get(page).text, action)
    assert form_a["version"] == form_b["version"] == str(before.version)

    saved = editor_a.post(action, {**form_a, **_resolve(plan, case.change_a)})
    assert saved.status_code == 302, saved.text[:2000]
    refused = editor_b.post(action, {**form_b, **_resolve(plan, case.change_b)})

    assert refused.status_code == 409
    stored = type(obj).objects.get(pk=obj.pk)
    assert case.read(stored) == case.expected  # A's change is kept, B's is not written
    assert stored.version == before.version + 1  # one save, not two
    if name == "mitigation done":
        assert "endret av en annen bruker" in refused.text
        return
    assert "endret" in refused.text and (
        "Endringen din er ikke lagret" in refused.text or "ikke lagret" in refused.text
    )
    # B sees what is stored now next to what B typed, and a fresh form at the new version to redo it.
    assert "Lagret nå" in refused.text and "Du skrev (ikke lagret)" in refused.text
    assert form_on(refused.text, action)["version"] == str(stored.version)


def test_stale_save_shows_the_other_users_values_beside_yours(client, plan, project_leader, second_leader):
    risk = Risk.objects.get(programme=plan, code="R1")
    url = reverse("risk_edit", args=[SLUG, "R1"])
    client.force_login(project_leader)
    form = form_on(client.get(url).text, url)
    risk.title = "Endret av noen andre"
    risk.version += 1
    risk.save()
    response = client.post(url, {**form, "title": "Min nye tittel"})
    assert response.status_code == 409
    assert STALE_TEXT in response.text
    row = response.text.split("Lagret nå", 1)[1]
    assert "Endret av noen andre" in row and "Min nye tittel" in row
    # The form itself now holds the stored title, so saving again is a deliberate choice.
    assert form_on(response.text, url)["title"] == "Endret av noen andre"


def test_stale_htmx_save_answers_409_with_the_panel(client, plan, project_leader):
    proposal = factories.proposal(plan)
    client.force_login(project_leader)
    detail = reverse("proposal_detail", args=[SLUG, proposal.pk])
    url = reverse("proposal_assess", args=[SLUG, proposal.pk])
    form = form_on(client.get(detail).text, url)
    Proposal.objects.filter(pk=proposal.pk).update(version=proposal.version + 1, need=3)
    response = client.post(url, {**form, "need": "5"}, **HTMX)
    assert response.status_code == 409
    assert response.text.lstrip().startswith('<section id="assessment-panel"')
    assert STALE_TEXT in response.text
    assert Proposal.objects.get(pk=proposal.pk).need == 3


def test_a_save_without_a_version_is_refused(client, plan, project_leader):
    """A form from before versioning (or a hand-made POST) cannot overwrite blindly."""
    client.force_login(project_leader)
    url = reverse("risk_edit", args=[SLUG, "R1"])
    data = {"code": "R1", "title": "Uten versjon", "status": "open"}
    assert client.post(url, data).status_code == 409
    assert Risk.objects.get(programme=plan, code="R1").title != "Uten versjon"


def test_typing_a_year_that_already_has_figures_shows_them_instead_of_replacing(client, plan, project_leader):
    line = CashFlowLine.objects.filter(plan__code="GP-HA02").order_by("year").first()
    client.force_login(project_leader)
    url = reverse("benefit_cash_flow", args=[SLUG, "GP-HA02"])
    data = {"year": line.year, "investment": "0", "operating_cost": "0", "benefit_value": "1"}
    response = client.post(url, data)
    assert response.status_code == 409
    assert f"År {line.year} har allerede tall" in response.text
    assert CashFlowLine.objects.get(pk=line.pk).benefit_value == line.benefit_value


def test_decision_after_a_postponement_is_refused(plan, project_leader, steering_member):
    """A decides to postpone while B, on the same page, records the decision: B must see the new date first."""
    page = reverse("decision_record", args=[SLUG, "BP3"])
    a, b = Client(), Client()
    a.force_login(project_leader)
    b.force_login(steering_member)
    postpone = form_on(a.get(page).text, reverse("decision_postpone", args=[SLUG, "BP3"]))
    decide = form_on(b.get(page).text, page)
    a.post(reverse("decision_postpone", args=[SLUG, "BP3"]), {**postpone, "new_date": "2017-09-01"})
    refused = b.post(page, {**decide, "decision_text": "Vedtatt", "decided_on": "01.03.2017"})
    assert refused.status_code == 409
    point = DecisionPoint.objects.get(programme=plan, code="BP3")
    assert (point.status, point.date, point.decision_text) == ("postponed", date(2017, 9, 1), "")
    assert "01.09.2017" in refused.text  # the editor now shows the postponed date


def test_stale_status_transition_is_refused_with_a_clear_message(plan, project_leader, steering_member):
    proposal = factories.proposal(plan, status=Proposal.Status.SCREENING)
    detail = reverse("proposal_detail", args=[SLUG, proposal.pk])
    url = reverse("proposal_status", args=[SLUG, proposal.pk])
    leader, steering = Client(), Client()
    leader.force_login(project_leader)
    steering.force_login(steering_member)
    form_leader = form_on(leader.get(detail).text, url)
    form_steering = form_on(steering.get(detail).text, url)
    assert form_steering["from_status"] == "screening"
    assert leader.post(url, {**form_leader, "status": "prioritised"}).status_code == 302
    # Rejected would be a legal move from "prioritised" too, but the steering member decided on the old status.
    refused = steering.post(url, {**form_steering, "status": "rejected", "comment": "Nei"})
    assert refused.status_code == 409
    assert "Statusen er endret av en annen bruker i mellomtiden (nå: «Prioritert i årets plan»)" in refused.text
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PRIORITISED
    assert list(proposal.transitions.values_list("to_status", flat=True)) == ["prioritised"]


def test_two_logged_in_browsers_over_http_do_not_overwrite_each_other(live_server, committed_plan):
    """The same race through a real server and two sessions that log in with the login form."""

    def session(username):
        s = requests.Session()
        login = f"{live_server.url}/accounts/login/"
        s.get(login)
        answer = s.post(
            login,
            {"username": username, "password": "demo", "csrfmiddlewaretoken": s.cookies["csrftoken"]},
            headers={"Referer": login},
        )
        assert answer.ok and "Logg ut" in answer.text
        return s

    path = reverse("decision_record", args=[SLUG, "BP4"])
    leader, steering = session("leder"), session("styring")
    form_leader = form_on(leader.get(live_server.url + path).text, path)
    form_steering = form_on(steering.get(live_server.url + path).text, path)
    headers = {"Referer": live_server.url + path}
    today = (date.today() - timedelta(days=1)).strftime("%d.%m.%Y")
    first = leader.post(
        live_server.url + path,
        {
            **form_leader,
            "decision_text": "Leders vedtak",
            "decided_on": today,
            "csrfmiddlewaretoken": leader.cookies["csrftoken"],
        },
        headers=headers,
        allow_redirects=False,
    )
    assert first.status_code == 302
    second = steering.post(
        live_server.url + path,
        {
            **form_steering,
            "decision_text": "Styringsgruppens vedtak",
            "decided_on": today,
            "csrfmiddlewaretoken": steering.cookies["csrftoken"],
        },
        headers=headers,
        allow_redirects=False,
    )
    assert second.status_code == 409
    assert STALE_TEXT in second.text and "Leders vedtak" in second.text
    point = DecisionPoint.objects.get(programme=committed_plan, code="BP4")
    assert (point.decision_text, point.version) == ("Leders vedtak", int(form_leader["version"]) + 1)


@pytest.mark.browser
def test_stale_page_in_a_browser_is_accessible_and_keeps_the_first_save(browser, live_server, committed_plan):
    """Two browser sessions edit risk R2; the second sees the comparison (axe-checked) and the first save stays."""
    from pathlib import Path

    from tests.axe import assert_accessible

    edit = f"{live_server.url}/program/{committed_plan.slug}/risiko/R2/rediger/"

    def logged_in(username):
        context = browser.new_context(viewport={"width": 390, "height": 900}, locale="nb-NO")
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Brukernavn").fill(username)
        page.get_by_label("Passord").fill("demo")
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_url(f"**/program/{committed_plan.slug}/")
        page.goto(edit)
        return context, page

    (context_a, a), (context_b, b) = logged_in("leder"), logged_in("leder")
    a.get_by_label("Risikofaktor").fill("Lagret av første")
    a.get_by_role("button", name="Lagre").click()
    a.wait_for_url("**/risiko/R2/")
    b.get_by_label("Risikofaktor").fill("Skrevet av andre")
    b.get_by_role("button", name="Lagre").click()
    b.get_by_text("Noen andre har endret dette mens du redigerte.").wait_for()
    assert b.get_by_label("Risikofaktor").input_value() == "Lagret av første"
    assert b.locator(".stale-table").get_by_text("Skrevet av andre").is_visible()
    wide = b.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)"
        ".map(e => e.tagName + '.' + e.className + '#' + e.id + ':' + Math.round(e.getBoundingClientRect().right))"
    )
    assert b.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide  # no sideways scrolling
    assert_accessible(b)
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    b.screenshot(path=artifacts / "stale-save-refused.png", full_page=True)
    assert Risk.objects.get(programme=committed_plan, code="R2").title == "Lagret av første"
    context_a.close()
    context_b.close()


def test_saving_one_panel_refreshes_the_version_of_the_other(client, plan, project_leader):
    """The proposal page has several forms for one proposal: saving one must not make the next one stale."""
    proposal = factories.proposal(plan, status=Proposal.Status.PRIORITISED)
    client.force_login(project_leader)
    detail = reverse("proposal_detail", args=[SLUG, proposal.pk])
    assess, council = (reverse(n, args=[SLUG, proposal.pk]) for n in ("proposal_assess", "proposal_council"))
    page = client.get(detail).text
    saved = client.post(assess, {**form_on(page, assess), "need": "4"}, **HTMX)
    assert saved.status_code == 200
    # The answer carries the measure panel out of band, its forms now at the new version.
    assert '<section id="measure-panel" aria-labelledby="measure-heading" hx-swap-oob="true">' in saved.text
    refreshed = form_on(saved.text, council)
    assert refreshed["version"] == str(proposal.version + 1)
    second = client.post(council, {**refreshed, "change_council_note": "Behandlet"}, **HTMX)
    assert second.status_code == 200
    proposal.refresh_from_db()
    assert (proposal.need, proposal.change_council_note, proposal.version) == (4, "Behandlet", proposal.version)


def test_stale_htmx_save_in_the_milestone_editor_comes_back_to_the_editor(client, plan, project_leader):
    url = reverse("milestone_edit", args=[SLUG, "MP1"])
    client.force_login(project_leader)
    form = form_on(client.get(url, **HTMX).text, url)
    Milestone.objects.filter(programme=plan, code="MP1").update(version=int(form["version"]) + 1, evidence="Annen")
    response = client.post(url, {**form, "evidence": "Min"}, **HTMX)
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#editor"
    assert response.text.lstrip().startswith('<section id="milestone-editor"')
    assert STALE_TEXT in response.text and "Annen" in response.text
    assert Milestone.objects.get(programme=plan, code="MP1").evidence == "Annen"

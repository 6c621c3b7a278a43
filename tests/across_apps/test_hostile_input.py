"""Hostile and broken input never takes the site down: bad codes, parallel saves, double submits, odd years,
invisible and bidi characters. Each answer is a Norwegian form error (422) or the normal page, never a 500,
and nothing is saved twice or half."""

import uuid

import pytest
from django.urls import reverse

from benefits.forms import BenefitPlanForm
from benefits.models import BenefitPlan
from measures import views as measure_views
from measures.models import Proposal, RevisionRound
from milestones.models import DecisionPoint, Milestone
from portfolio.forms import StatusReportForm
from portfolio.models import Activity, StatusReport
from risks.forms import RiskForm
from risks.models import Risk
from tests import factories

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
BAD_CODES = ["P/1", "ny", "NY", ".", "", " ", "import", "R 1"]


@pytest.fixture
def leader_client(client, project_leader):
    client.force_login(project_leader)
    return client


def _risk_data(**changes):
    return {"code": "R99", "title": "Leverandøren går konkurs", "status": "open", "activity": "", **changes}


def _plan_data(plan, **changes):
    return {
        "code": "GP-X1",
        "title": "Gevinster av nye nettsider",
        "activity": plan.activities.get(code="HA05").pk,
        "discount_rate": "4,0",
        "analysis_start_year": "2018",
        "analysis_years": "5",
        **changes,
    }


def _milestone_data(plan, **changes):
    return {
        "code": "MP10",
        "title": "Nytt sak- og arkivsystem i drift",
        "activity": plan.activities.get(code="HA05").pk,
        "planned_date": "2018-09-01",
        "status": "planned",
        **changes,
    }


def _point_data(**changes):
    return {"code": "BP60", "title": "Godkjenne planen", "date": "15.03.2018", "forum": "Formannskapet", **changes}


def _activity_data(plan, **changes):
    return {"code": "HA90", "name": "Ny aktivitet", "area": plan.areas.first().pk, **changes}


def _report_data(period_end="2017-03-01"):
    data = {"period_end": period_end, "comment": "", "achievements": "", "next_steps": ""}
    for name, comment in StatusReport.DIMENSIONS.items():
        data[name], data[comment] = "green", ""
    return data


CREATE_FORMS = {
    "risk": ("risk_create", Risk, lambda plan, **c: _risk_data(**c)),
    "plan": ("benefit_plan_create", BenefitPlan, _plan_data),
    "milestone": ("milestone_create", Milestone, _milestone_data),
    "decision_point": ("decision_point_create", DecisionPoint, lambda plan, **c: _point_data(**c)),
    "activity": ("activity_create", Activity, _activity_data),
}


@pytest.mark.parametrize("kind", CREATE_FORMS)
@pytest.mark.parametrize("code", BAD_CODES)
def test_a_code_unsafe_in_a_url_is_refused_by_every_create_form(leader_client, plan, kind, code):
    url_name, model, data = CREATE_FORMS[kind]
    before = model.objects.count()
    response = leader_client.post(reverse(url_name, args=[SLUG]), data(plan, code=code))
    assert response.status_code == 422
    assert model.objects.count() == before
    text = response.text
    assert "Koden" in text or "nummer" in text or "kode" in text.lower()
    assert "This field" not in text and "Enter a valid" not in text


def test_the_register_answers_with_a_code_that_reads_like_a_path(leader_client, plan):
    """What the repair migration leaves (P-1 for P/1) links fine; the register lists it."""
    risk = factories.risk(plan, code="P-1")
    response = leader_client.get(reverse("risk_register", args=[SLUG]))
    assert response.status_code == 200
    assert reverse("risk_detail", args=[SLUG, risk.code]) in response.text


# --- parallel saves ----------------------------------------------------------------------------------------


def _clash_after_validation(monkeypatch, form_class, make_clash):
    """Another user's save lands between this form's validation and its save (once)."""
    original = form_class._post_clean
    done = []

    def post_clean(form):
        original(form)
        if not done:
            done.append(make_clash())

    monkeypatch.setattr(form_class, "_post_clean", post_clean)


def test_parallel_creation_of_a_risk_with_the_same_number(leader_client, plan, monkeypatch):
    _clash_after_validation(
        monkeypatch, RiskForm, lambda: Risk.objects.create(programme=plan, code="R99", title="Den andre")
    )
    response = leader_client.post(reverse("risk_create", args=[SLUG]), _risk_data())
    assert response.status_code == 422
    assert "Det finnes allerede en risiko med nummeret R99 i programmet." in response.text
    assert Risk.objects.filter(programme=plan, code="R99").count() == 1


def test_parallel_creation_of_a_plan_with_the_same_code(leader_client, plan, monkeypatch):
    activity = plan.activities.get(code="HA05")
    _clash_after_validation(
        monkeypatch,
        BenefitPlanForm,
        lambda: BenefitPlan.objects.create(programme=plan, code="GP-X1", title="Den andre", activity=activity),
    )
    response = leader_client.post(reverse("benefit_plan_create", args=[SLUG]), _plan_data(plan))
    assert response.status_code == 422
    assert "Det finnes allerede en plan med koden GP-X1 i programmet." in response.text
    assert BenefitPlan.objects.filter(programme=plan, code="GP-X1").count() == 1


def test_parallel_status_reports_for_the_same_date(leader_client, plan, monkeypatch):
    activity = plan.activities.get(code="HA01")

    def other_report():
        return StatusReport.objects.create(
            activity=activity, period_end="2017-03-01", **dict.fromkeys(StatusReport.DIMENSIONS, "green")
        )

    _clash_after_validation(monkeypatch, StatusReportForm, other_report)
    response = leader_client.post(reverse("status_report_create", args=[SLUG, "HA01"]), _report_data())
    assert response.status_code == 422
    assert "Det finnes allerede en statusrapport for denne datoen." in response.text
    assert StatusReport.objects.filter(activity=activity, period_end="2017-03-01").count() == 1


def test_parallel_opening_of_the_same_round(leader_client, plan, monkeypatch):
    year = 2018  # the demo plan's open round is 2017; 2018 lies in the programme period
    original = RevisionRound._open.__func__

    def racing_open(cls, programme, year_, previous, *, by=None):
        RevisionRound.objects.create(programme=programme, year=year_)  # the other leader's, committed first
        return original(cls, programme, year_, previous, by=by)

    monkeypatch.setattr(RevisionRound, "_open", classmethod(racing_open))
    response = leader_client.post(reverse("round_list", args=[SLUG]), {"year": year})
    assert response.status_code == 422
    assert f"Det finnes allerede en rullering for {year}." in response.text
    assert RevisionRound.objects.filter(programme=plan, year=year).count() == 1


# --- revision rounds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2100, 2040])
def test_a_round_far_ahead_is_refused_and_the_current_round_stays_open(leader_client, plan, year):
    current = RevisionRound.current(plan)
    assert current.status == RevisionRound.Status.OPEN
    response = leader_client.post(reverse("round_list", args=[SLUG]), {"year": year})
    assert response.status_code == 422
    assert "Rulleringen må gjelde et år i programperioden (2016–2019) eller neste år" in response.text
    assert not RevisionRound.objects.filter(programme=plan, year=year).exists()
    current.refresh_from_db()
    assert current.status == RevisionRound.Status.OPEN and current.closed_on is None


def test_next_year_and_years_in_the_period_may_still_be_opened(plan):
    assert RevisionRound.open_new(plan, 2018).year == 2018
    assert RevisionRound.open_new(plan, 2019).year == 2019
    assert RevisionRound.open_new(plan, 2020).year == 2020  # the year after the latest round


# --- the public form ---------------------------------------------------------------------------------------


def _public_post(client, plan, token, **changes):
    data = {
        "title": "Wifi på biblioteket",
        "description": "Dårlig dekning",
        "area": plan.areas.first().pk,
        "submitter_name": "",
        "submitter_email": "",
        "submission_token": token,
        **changes,
    }
    return client.post(reverse("public_proposal_form", args=[SLUG]), data)


def test_the_public_form_carries_a_one_time_token(client, plan):
    page = client.get(reverse("public_proposal_form", args=[SLUG])).text
    assert 'type="hidden" name="submission_token"' in page


def test_three_identical_public_submits_make_one_proposal(client, plan):
    token = str(uuid.uuid4())
    before = Proposal.objects.count()
    thanks = reverse("public_thanks", args=[SLUG])
    for _ in range(3):
        response = _public_post(client, plan, token)
        assert response.status_code == 302 and response["Location"] == thanks
    assert Proposal.objects.count() == before + 1
    assert Proposal.objects.get(submission_token=token).title == "Wifi på biblioteket"


def test_two_public_submits_at_the_same_moment_make_one_proposal(client, plan, monkeypatch):
    token = uuid.uuid4()
    first = Proposal.objects.first()

    def other_request_saves_first(request):
        Proposal.objects.create(
            programme=plan,
            revision_round=first.revision_round,
            area=first.area,
            title="Wifi på biblioteket",
            published=False,
            submission_token=token,
        )
        return False

    monkeypatch.setattr(measure_views, "_over_limit", other_request_saves_first)
    response = _public_post(client, plan, str(token))
    assert response.status_code == 302
    assert Proposal.objects.filter(submission_token=token).count() == 1


def test_a_missing_or_forged_token_still_takes_the_proposal(client, plan):
    before = Proposal.objects.count()
    assert _public_post(client, plan, "").status_code == 302
    assert _public_post(client, plan, "'; DROP TABLE").status_code == 302
    assert Proposal.objects.count() == before + 2


# --- titles --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["\u200b", "\u200b\u200c\u200d\ufeff", " \u2060 ", "\u202e\u202c"])
def test_a_title_of_invisible_characters_is_refused(client, leader_client, plan, title):
    before = (Risk.objects.count(), Proposal.objects.count(), Milestone.objects.count())
    risk = leader_client.post(reverse("risk_create", args=[SLUG]), _risk_data(title=title))
    assert risk.status_code == 422 and "Skriv inn risikofaktoren." in risk.text
    milestone = leader_client.post(reverse("milestone_create", args=[SLUG]), _milestone_data(plan, title=title))
    assert milestone.status_code == 422 and "Skriv milepælen." in milestone.text
    public = _public_post(client, plan, str(uuid.uuid4()), title=title)
    assert public.status_code == 422 and "Dette feltet må fylles ut." in public.text
    assert (Risk.objects.count(), Proposal.objects.count(), Milestone.objects.count()) == before


def test_control_and_bidi_characters_are_taken_out_of_a_title(client, leader_client, plan):
    assert (
        leader_client.post(reverse("risk_create", args=[SLUG]), _risk_data(title="\u202eSvikt\r\ni nett")).status_code
        == 302
    )
    assert Risk.objects.get(programme=plan, code="R99").title == "Svikt i nett"
    token = str(uuid.uuid4())
    assert _public_post(client, plan, token, title="Ny\r\nBcc: x@example.org\u2066").status_code == 302
    assert Proposal.objects.get(submission_token=token).title == "Ny Bcc: x@example.org"


# --- imports -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["P/1", "ny", ".", "R 1"])
def test_a_risk_import_with_a_code_unsafe_in_a_url_saves_nothing(plan, project_leader, code):
    from risks.resources import run_import

    header = "Nr.;Risikofaktor;Beskrivelse;Hovedaktivitet;Eier;Status;Neste gjennomgang;S;K;RF"
    before = Risk.objects.count()
    report = run_import(
        plan, f"{header}\n{code};Ny risiko;;;;;;3;5;\n".encode(), "r.csv", user=project_leader, dry_run=False
    )
    assert report.errors and any("Koden" in str(error) for error in report.errors)
    assert Risk.objects.count() == before


@pytest.mark.parametrize("value", ["²", "١٢", "1e3", "-1", "9" * 40, " 3"])
def test_unicode_digits_and_odd_numbers_in_query_values_are_no_filter_not_a_500(client, plan, project_leader, value):
    """The class of `isdigit()` then `int()`: every query or hidden-form number goes through one parser."""
    client.force_login(project_leader)
    for url in (
        reverse("proposal_list", args=[plan.slug]) + f"?omrade={value}&runde={value}",
        reverse("proposal_ranking", args=[plan.slug]) + f"?runde={value}",
        reverse("benefit_overview", args=[plan.slug]) + f"?eier={value}",
        reverse("plan_changes", args=[plan.slug]) + f"?fra={value}&til={value}",
    ):
        assert client.get(url).status_code == 200, url
    plan_code = plan.benefit_plans.first().code
    assert client.get(reverse("benefit_plan", args=[plan.slug, plan_code]) + f"?aar={value}").status_code == 200

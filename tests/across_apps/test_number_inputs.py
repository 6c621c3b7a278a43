"""Numbers typed the Norwegian way in every form: «50,5», «1 500 000», «1 500 000,-», «−3»; never type=number.

Each numeric field is taken from the real form (as its view builds it), so a form that goes back to Django's
DecimalField or IntegerField, or a widget that draws `type="number"` (where a browser may read «50,5» as 505 or
send nothing at all), fails here.
"""

import re
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse

from benefits.forms import BenefitForm, BenefitPlanForm, CashFlowLineForm, MeasurementForm
from benefits.models import Benefit, BenefitPlan
from measures.forms import AssessmentForm, NewRoundForm, StaffProposalForm
from measures.models import Proposal
from milestones.forms import MeetingSeriesForm
from portfolio.forms import BudgetLineActualForm
from portfolio.models import Activity
from portfolio.setup_forms import AreaForm, BudgetLineForm, PhaseForm, ProgrammeForm
from reports.forms import RevisionReportForm
from tests.across_apps.test_input_properties_forms import CASE_NAMES, _cases, _user

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"\b(the|is|must|Enter|value|field|invalid|required|This|not a|Ensure)\b")


def _forms(plan) -> dict:
    benefit_plan = BenefitPlan.objects.filter(programme=plan).first()
    return {
        "MeasurementForm": MeasurementForm(benefit=benefit_plan.benefits.first()),
        "CashFlowLineForm": CashFlowLineForm(plan=benefit_plan),
        "BenefitForm": BenefitForm(plan=benefit_plan),
        "BenefitPlanForm": BenefitPlanForm(
            programme=plan,
            activities=Activity.objects.filter(programme=plan),
            measures=Proposal.objects.filter(programme=plan),
        ),
        "AssessmentForm": AssessmentForm(),
        "StaffProposalForm": StaffProposalForm(programme=plan),
        "BudgetLineActualForm": BudgetLineActualForm(),
        "BudgetLineForm": BudgetLineForm(programme=plan),
        "NewRoundForm": NewRoundForm(),
        "ProgrammeForm": ProgrammeForm(instance=plan),
        "PhaseForm": PhaseForm(programme=plan),
        "AreaForm": AreaForm(programme=plan),
        "MeetingSeriesForm": MeetingSeriesForm(),
        "RevisionReportForm": RevisionReportForm(programme=plan),
    }


# form, field, whether it takes decimals, whether it takes a negative number (None: the model's validator refuses
# it when the form saves, tests/benefits), whether 1 500 000 fits
DECIMAL_FIELDS = [
    ("MeasurementForm", "value", True, True, True),
    ("BenefitForm", "baseline_value", True, True, True),
    ("BenefitForm", "target_value", True, True, True),
    ("CashFlowLineForm", "investment", False, None, True),
    ("CashFlowLineForm", "operating_cost", False, None, True),
    ("CashFlowLineForm", "benefit_value", False, None, True),
    ("CashFlowLineForm", "realised_benefit_value", False, None, True),
    ("BenefitPlanForm", "discount_rate", True, None, False),
    ("AssessmentForm", "estimated_cost", True, False, True),
    ("AssessmentForm", "estimated_effort_days", True, True, True),
    ("StaffProposalForm", "estimated_cost", True, False, True),
    ("BudgetLineActualForm", "actual_amount", True, False, True),
    ("BudgetLineForm", "planned_amount", True, False, True),
]
WHOLE_FIELDS = [
    ("CashFlowLineForm", "year"),
    ("BenefitForm", "frequency_months"),
    ("BenefitPlanForm", "analysis_start_year"),
    ("BenefitPlanForm", "analysis_years"),
    ("AssessmentForm", "need"),
    ("AssessmentForm", "benefit"),
    ("AssessmentForm", "feasibility_technical"),
    ("AssessmentForm", "feasibility_economic"),
    ("NewRoundForm", "year"),
    ("ProgrammeForm", "status_report_interval_days"),
    ("PhaseForm", "number"),
    ("PhaseForm", "year"),
    ("AreaForm", "number"),
    ("MeetingSeriesForm", "interval_days"),
    ("RevisionReportForm", "year"),
]


def _refused(field: forms.Field, text: str) -> str:
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(text)
    message = " ".join(refused.value.messages)
    assert message and not ENGLISH.search(message.replace(text, " ")), message
    return message


@pytest.mark.parametrize(("form", "name", "decimals", "negative", "large"), DECIMAL_FIELDS)
def test_decimal_fields_read_norwegian_numbers(plan, form, name, decimals, negative, large):
    field = _forms(plan)[form].fields[name]
    if large:
        assert field.clean("1 500 000") == 1500000
        assert field.clean("1\u00a0500\u00a0000") == 1500000  # as the pages show it, copied into the form
        assert field.clean("1 500 000,-") == 1500000
        assert field.clean("1.500.000") == 1500000
    if decimals:
        assert field.clean("50,5") == Decimal("50.5")
        assert field.clean("12.5") == Decimal("12.5")  # a decimal point, as older forms and scripts send it
    else:
        _refused(field, "50,5")
    assert field.clean("3") == 3
    if negative:
        assert field.clean("−3") == -3  # the true minus sign the pages show
        assert field.clean("-3") == -3
    elif negative is False:
        assert "negativ" in _refused(field, "−3")
    _refused(field, "12abc")
    _refused(field, "1e3")


@pytest.mark.parametrize(("form", "name"), WHOLE_FIELDS)
def test_whole_number_fields_take_text_and_refuse_in_norwegian(plan, form, name):
    field = _forms(plan)[form].fields[name]
    valid = 2018 if "year" in name else 3
    assert field.clean(str(valid)) == valid
    assert isinstance(field.clean(str(valid)), int)
    _refused(field, "12abc")
    _refused(field, "3,5")


def test_every_numeric_form_field_is_a_text_input_with_a_number_keyboard(plan):
    for form_name, form in _forms(plan).items():
        for name in form.fields:
            html = str(form[name])
            assert 'type="number"' not in html, (form_name, name)
            if name in {n for f, n, *_ in DECIMAL_FIELDS + WHOLE_FIELDS if f == form_name}:
                assert 'type="text"' in html and "inputmode=" in html, (form_name, name, html)


def test_stored_numbers_are_shown_in_the_form_as_it_reads_them(plan):
    """An edit form shows «1 500 000» and «12,5», which it reads back to the same value."""
    benefit = Benefit.objects.filter(plan__programme=plan).exclude(baseline_value=None).first()
    benefit.baseline_value = Decimal("1500000.50")
    form = BenefitForm(instance=benefit, plan=benefit.plan)
    shown = form["baseline_value"].value()
    assert form.fields["baseline_value"].prepare_value(shown) == "1 500 000,5"
    assert form.fields["baseline_value"].clean("1 500 000,5") == Decimal("1500000.50")


# The pages that draw the forms of the POST-only views of test_input_properties_forms.py.
def _host_pages(plan) -> list[str]:
    slug = plan.slug
    benefit_plan = BenefitPlan.objects.filter(programme=plan).first()
    benefit = benefit_plan.benefits.first()
    proposal = Proposal.objects.filter(programme=plan, status=Proposal.Status.NEEDS_ASSESSMENT).first()
    risk = plan.risks.first()
    return [
        reverse("benefit_detail", args=[slug, benefit_plan.code, benefit.pk]),
        reverse("benefit_plan", args=[slug, benefit_plan.code]),
        reverse("proposal_detail", args=[slug, proposal.pk]),
        reverse("risk_detail", args=[slug, risk.code]),
        reverse("meetings", args=[slug]),
        reverse("moderation_queue", args=[slug]),
        reverse("meeting_agenda", args=[slug]),
        reverse("budget", args=[slug]),
        reverse("revision_reports", args=[slug]),
        reverse("programme_setup", args=[slug]),
    ]


def test_no_form_page_draws_a_browser_number_field(client, plan):
    """Every form page of the property tests, and the pages that carry the POST-only forms, as their users."""
    cases = _cases(plan)
    pages = [(cases[name].url, cases[name].user) for name in CASE_NAMES]
    pages += [(url, "leder") for url in _host_pages(plan)]
    seen = 0
    for url, user in pages:
        client.logout()
        if user:
            client.force_login(_user(user))
        response = client.get(url)
        if response.status_code in (302, 405):
            continue  # POST-only, or a form shown on another page: drawn by one of the pages here
        assert response.status_code == 200, (url, response.status_code)
        assert 'type="number"' not in response.text, url
        seen += 1
    assert seen >= 25, seen

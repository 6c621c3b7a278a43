"""NPV, payback year and realisation %, against hand-computed cases."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benefits.economics import YearFlow, analyse, krone
from benefits.models import Benefit, BenefitPlan, CashFlowLine, add_months

pytestmark = pytest.mark.django_db

D = Decimal


def flows(**by_year):
    return {int(y[1:]): YearFlow(*map(D, amounts)) for y, amounts in by_year.items()}


def test_npv_discounts_from_year_zero_with_the_plans_rate():
    # Investment 1000 in year 1, benefit 600 in years 2 and 3, 10 %:
    # -1000 + 600/1.1 + 600/1.21 = -1000 + 545.4545 + 495.8678 = 41.32
    result = analyse(
        flows(y2020=(1000, 0, 0), y2021=(0, 0, 600), y2022=(0, 0, 600)),
        rate_percent=D("10"),
        start_year=2020,
        years=3,
    )
    assert result.npv.quantize(D("0.01")) == D("41.32")
    assert result.payback_year == 2022
    assert [r.t for r in result.rows] == [0, 1, 2]
    assert [krone(r.cumulative_present_value) for r in result.rows] == [D(-1000), D(-455), D(41)]


def test_rate_zero_makes_npv_the_plain_sum():
    result = analyse(
        flows(y2018=(500, 100, 0), y2019=(0, 100, 400), y2020=(0, 100, 400)),
        rate_percent=D("0"),
        start_year=2018,
        years=3,
    )
    assert result.npv == D(0)
    assert result.total_net == D(0)
    # Cumulative reaches exactly zero in the last year: that counts as paid back.
    assert result.payback_year == 2020


def test_all_zero_plan_has_zero_npv_and_no_payback():
    result = analyse({}, rate_percent=D("4"), start_year=2018, years=5)
    assert result.npv == 0
    assert result.payback_year is None
    assert [r.year for r in result.rows] == [2018, 2019, 2020, 2021, 2022]


def test_costs_only_give_negative_npv_and_no_payback():
    # -100 - 100/1.04 = -196.15
    result = analyse(flows(y2018=(100, 0, 0), y2019=(0, 100, 0)), rate_percent=D("4"), start_year=2018, years=2)
    assert result.npv.quantize(D("0.01")) == D("-196.15")
    assert result.payback_year is None


def test_benefit_without_cost_pays_back_in_its_first_year():
    result = analyse(flows(y2019=(0, 0, 50)), rate_percent=D("4"), start_year=2018, years=3)
    assert result.payback_year == 2019


def test_years_outside_the_period_are_ignored():
    result = analyse(flows(y2017=(999, 0, 0), y2018=(0, 0, 10)), rate_percent=D("4"), start_year=2018, years=1)
    assert result.npv == D(10)


def test_plan_cost_benefit_uses_its_rate_period_and_lines(plan):
    ha03 = BenefitPlan.objects.get(code="GP-HA03")
    # Nets 2018..2022: -820000, -120000, 480000 ×3 at 4 %, hand-computed:
    # -820000 - 115384.62 + 443786.98 + 426718.25 + 410306.01 = 345426.62
    result = ha03.cost_benefit()
    assert krone(result.npv) == D("345427")
    assert result.payback_year == 2022
    ha02 = BenefitPlan.objects.get(code="GP-HA02")
    # -1290000 + 96153.85 + 184911.24 + 177799.27 + 170960.84 = -660174.80
    assert krone(ha02.cost_benefit().npv) == D("-660175")
    assert ha02.cost_benefit().payback_year is None
    ha02.discount_rate = D("0")
    assert ha02.cost_benefit().npv == D(-1290000 + 100000 + 3 * 200000)


def test_analysis_starts_in_the_programme_year_when_not_set(plan):
    p = BenefitPlan.objects.get(code="GP-HA02")
    p.analysis_start_year = None
    p.cash_flow_lines.all().delete()  # drop the example years, so only this line counts
    CashFlowLine.objects.create(plan=p, year=plan.start_date.year, benefit_value=D(100))
    assert p.cost_benefit().rows[0].year == plan.start_date.year
    assert p.cost_benefit().npv == D(100)


def _benefit(baseline, target):
    return Benefit(baseline_value=D(baseline), target_value=D(target))


@pytest.mark.parametrize(
    ("baseline", "target", "value", "expected"),
    [
        ("0", "70", "35", D(50)),  # increase: half-way
        ("60", "35", "60", D(0)),  # reduce: still at baseline
        ("60", "35", "47.5", D(50)),  # reduce: half-way down
        ("60", "35", "35", D(100)),  # reduce: target reached
        ("60", "35", "30", D(120)),  # reduce: beyond the target
        ("60", "35", "70", D(-40)),  # reduce: went the wrong way
    ],
)
def test_realisation_percent_is_progress_from_baseline_to_target(baseline, target, value, expected):
    assert _benefit(baseline, target).realisation_percent(D(value)) == expected


def test_realisation_percent_is_empty_without_measurement_or_target():
    assert _benefit("10", "5").realisation_percent(None) is None
    assert Benefit(baseline_value=D(10)).realisation_percent(D(5)) is None


def test_latest_realisation_uses_the_newest_measurement(plan):
    benefit = Benefit.objects.with_latest().get(indicator="Tid brukt til postmottak og journalføring")  # 60 → 35
    assert benefit.latest_realisation_percent is None
    benefit.measurements.create(measured_on=date(2018, 6, 1), value=D(55))
    benefit.measurements.create(measured_on=date(2018, 12, 1), value=D(50))
    fresh = Benefit.objects.with_latest().get(pk=benefit.pk)
    assert fresh.latest_value == D(50)
    assert fresh.latest_realisation_percent == D(40)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2018, 1, 31), 1) == date(2018, 2, 28)
    assert add_months(date(2018, 11, 15), 3) == date(2019, 2, 15)


amounts = st.integers(min_value=0, max_value=10**9).map(Decimal)


@given(st.lists(st.tuples(amounts, amounts, amounts), min_size=1, max_size=10))
def test_npv_at_rate_zero_is_the_sum_of_nets(rows):
    flows_ = {2018 + i: YearFlow(*row) for i, row in enumerate(rows)}
    result = analyse(flows_, rate_percent=D(0), start_year=2018, years=len(rows))
    assert result.npv == sum((f.net for f in flows_.values()), D(0))


@given(st.lists(st.tuples(amounts, amounts, amounts), min_size=1, max_size=10), st.integers(0, 20))
def test_payback_year_is_the_first_year_cumulative_pv_is_not_negative(rows, rate):
    result = analyse(
        {2018 + i: YearFlow(*row) for i, row in enumerate(rows)}, rate_percent=D(rate), start_year=2018, years=len(rows)
    )
    if result.payback_year is not None:
        paid = next(r for r in result.rows if r.year == result.payback_year)
        assert paid.cumulative_present_value >= 0
    else:
        # Never paid back: every year after the first cost or gain has a negative cumulative PV.
        started = False
        for r in result.rows:
            started = started or any((r.investment, r.operating_cost, r.benefit_value))
            assert not started or r.cumulative_present_value < 0

"""Cost–benefit arithmetic for a benefit plan: yearly cash flow, net present value and payback year.

Pure functions over plain numbers, so the plan page, the export and the PDF share one computation.

Convention (documented in the README): the first analysis year is year t = 0 and is not discounted;
year t is discounted by (1 + r)^t. Amounts are NOK at the price level of the first year. Net cash flow
of a year = benefit value − investment − operating cost. The payback year is the first year in which the
cumulative *discounted* net cash flow is zero or more, once anything at all has been spent or gained;
a plan that never gets there within the analysis period has no payback year.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
ONE_KRONE = Decimal("1")


@dataclass(frozen=True)
class YearFlow:
    """Amounts for one year, as typed by the user (NOK, not discounted)."""

    investment: Decimal = ZERO
    operating_cost: Decimal = ZERO
    benefit_value: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.benefit_value - self.investment - self.operating_cost


@dataclass(frozen=True)
class YearRow:
    year: int
    t: int
    investment: Decimal
    operating_cost: Decimal
    benefit_value: Decimal
    net: Decimal
    discount_factor: Decimal
    present_value: Decimal
    cumulative_present_value: Decimal


@dataclass(frozen=True)
class CostBenefit:
    rate_percent: Decimal
    rows: list[YearRow] = field(default_factory=list)
    npv: Decimal = ZERO
    payback_year: int | None = None
    total_investment: Decimal = ZERO
    total_operating_cost: Decimal = ZERO
    total_benefit_value: Decimal = ZERO
    total_net: Decimal = ZERO


def discount_factor(rate_percent: Decimal, t: int) -> Decimal:
    """1 / (1 + r)^t, with r given in per cent."""
    return ONE_KRONE / (1 + Decimal(rate_percent) / 100) ** t


def krone(amount: Decimal) -> Decimal:
    """Round to whole kroner for display and comparison; sums are kept unrounded until here."""
    return amount.quantize(ONE_KRONE, rounding=ROUND_HALF_UP)


def analyse(flows: Mapping[int, YearFlow], *, rate_percent: Decimal, start_year: int, years: int) -> CostBenefit:
    """The yearly table, NPV and payback year over `years` years from `start_year`.

    Years without a flow count as zero; flows outside the period are ignored (the page says so).
    """
    rate = Decimal(rate_percent)
    rows: list[YearRow] = []
    cumulative = ZERO
    spent_or_gained = False
    payback_year = None
    for t in range(years):
        year = start_year + t
        flow = flows.get(year, YearFlow())
        factor = discount_factor(rate, t)
        pv = flow.net * factor
        cumulative += pv
        spent_or_gained = spent_or_gained or any((flow.investment, flow.operating_cost, flow.benefit_value))
        if payback_year is None and spent_or_gained and cumulative >= 0:
            payback_year = year
        rows.append(
            YearRow(
                year=year,
                t=t,
                investment=flow.investment,
                operating_cost=flow.operating_cost,
                benefit_value=flow.benefit_value,
                net=flow.net,
                discount_factor=factor,
                present_value=pv,
                cumulative_present_value=cumulative,
            )
        )
    return CostBenefit(
        rate_percent=rate,
        rows=rows,
        npv=cumulative,
        payback_year=payback_year,
        total_investment=sum((r.investment for r in rows), ZERO),
        total_operating_cost=sum((r.operating_cost for r in rows), ZERO),
        total_benefit_value=sum((r.benefit_value for r in rows), ZERO),
        total_net=sum((r.net for r in rows), ZERO),
    )


def flows_by_year(lines: Iterable) -> dict[int, YearFlow]:
    """YearFlow per year from objects with year, investment, operating_cost and benefit_value."""
    return {
        line.year: YearFlow(
            investment=line.investment, operating_cost=line.operating_cost, benefit_value=line.benefit_value
        )
        for line in lines
    }

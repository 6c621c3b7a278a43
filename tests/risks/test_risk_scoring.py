import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from risks.models import Band, RiskAssessment, band_for
from tests import factories

pytestmark = pytest.mark.django_db


def test_rf_is_derived_by_the_database(plan):
    risk = factories.risk(plan, s=4, k=3)
    assessment = RiskAssessment.objects.get(risk=risk)
    assert assessment.rf == 12


def test_rescoring_keeps_history_and_register_shows_latest(plan):
    risk = factories.risk(plan, s=5, k=4)
    risk.rescore(2, 3, note="Tiltak virker")
    assert risk.assessments.count() == 2
    latest = type(risk).objects.with_latest().get(pk=risk.pk)
    assert (latest.latest_probability, latest.latest_consequence, latest.latest_rf) == (2, 3, 6)


@pytest.mark.parametrize(("s", "k"), [(6, 1), (0, 3), (3, 6), (3, 0)])
def test_scores_outside_1_to_5_are_refused_by_validation(plan, s, k):
    risk = factories.risk(plan)
    with pytest.raises(ValidationError):
        risk.rescore(s, k)


def test_scores_outside_1_to_5_are_refused_by_the_database(plan):
    risk = factories.risk(plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskAssessment.objects.create(risk=risk, probability=6, consequence=2)


@pytest.mark.parametrize(
    ("rf", "band"),
    [(1, Band.LOW), (7, Band.LOW), (8, Band.MEDIUM), (14, Band.MEDIUM), (15, Band.HIGH), (25, Band.HIGH)],
)
def test_band_edges(rf, band):
    assert band_for(rf) == band


def test_risk_codes_are_unique_within_a_programme(plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.risk(plan, code="R1")

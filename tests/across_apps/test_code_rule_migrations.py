"""The migrations that bring in the code rule and one status report per date, run for real.

Codes stored before the rule (such as "P/1", which made the risk register answer 500 for everyone) are repaired
before the check constraint is added, and the register answers again. Duplicate status reports stop the
migration with a clear message instead of losing one of them.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from portfolio.models import StatusReport
from risks.models import Risk

SLUG = "nordre-land-digitalisering"
RISKS_BEFORE = ("risks", "0002_history_versions")
PORTFOLIO_BEFORE = ("portfolio", "0010_programme_slug_not_reserved")


def _migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    return executor.loader.project_state(list(targets)).apps


def _latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_bad_risk_codes_are_repaired_and_the_register_answers(committed_plan, client, project_leader):
    old_apps = _migrate(RISKS_BEFORE)
    try:
        OldRisk = old_apps.get_model("risks", "Risk")
        first, second, third = OldRisk.objects.filter(programme__slug=SLUG).order_by("pk")[:3]
        OldRisk.objects.filter(pk=first.pk).update(code="P/1")
        OldRisk.objects.filter(pk=second.pk).update(code="ny")
        OldRisk.objects.filter(pk=third.pk).update(code="P 1")  # repairs to P-1 as well: made unique
    finally:
        _latest()
    assert Risk.objects.get(pk=first.pk).code == "P-1"
    assert Risk.objects.get(pk=second.pk).code == "K-ny"
    assert Risk.objects.get(pk=third.pk).code == "P-1-2"
    client.force_login(project_leader)
    response = client.get(reverse("risk_register", args=[SLUG]))
    assert response.status_code == 200
    assert reverse("risk_detail", args=[SLUG, "P-1-2"]) in response.text
    # Backwards is a no-op for the data: the repaired codes stay, and forwards again changes nothing.
    _migrate(RISKS_BEFORE)
    _latest()
    assert Risk.objects.get(pk=first.pk).code == "P-1"


@pytest.mark.django_db(transaction=True)
def test_duplicate_status_reports_stop_the_migration_and_nothing_is_lost(committed_plan):
    old_apps = _migrate(PORTFOLIO_BEFORE)
    try:
        OldActivity = old_apps.get_model("portfolio", "Activity")
        OldReport = old_apps.get_model("portfolio", "StatusReport")
        activity = OldActivity.objects.get(programme__slug=SLUG, code="HA01")
        statuses = dict.fromkeys(("overall", "scope", "time", "cost", "risk"), "green")
        first = OldReport.objects.create(activity=activity, period_end="2017-03-01", **statuses)
        second = OldReport.objects.create(activity=activity, period_end="2017-03-01", **statuses)
        with pytest.raises(RuntimeError, match=rf"per 2017-03-01: {first.pk}, {second.pk}"):
            _latest()
        assert OldReport.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
        OldReport.objects.filter(pk=second.pk).delete()  # what the operator does after reading the message
    finally:
        _latest()
    assert StatusReport.objects.filter(pk=first.pk).exists()
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)

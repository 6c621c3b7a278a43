import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benefits.models import Benefit, BenefitMeasurement
from demo.datagen import DEMO_NOTE, generate
from measures.models import Proposal, ProposalTransition, RevisionRound
from milestones.models import DecisionPoint, Milestone
from portfolio.models import Activity, BudgetLine, Person, Programme, ProgrammeRole, ScheduledMonth, StatusReport
from risks.models import Risk, RiskAssessment

pytestmark = pytest.mark.django_db

MODELS = [
    Programme,
    Activity,
    BudgetLine,
    ScheduledMonth,
    Risk,
    RiskAssessment,
    Proposal,
    ProposalTransition,
    RevisionRound,
    StatusReport,
    DecisionPoint,
    Milestone,
    Benefit,
    BenefitMeasurement,
    Person,
    get_user_model(),
]


def snapshot():
    return {model.__name__: sorted(map(str, model.objects.values_list(flat=False))) for model in MODELS}


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_running_setup_demo_again_changes_nothing(plan):
    call_command("setup_demo", verbosity=0)  # the tests' database holds the plan without the history
    before = snapshot()
    call_command("setup_demo", verbosity=0)
    assert snapshot() == before


def test_setup_demo_twice_gives_the_same_counts_and_the_history_only_once(plan):
    call_command("setup_demo", verbosity=0)
    first = counts()
    call_command("setup_demo", verbosity=0)
    assert counts() == first
    assert first["Proposal"] == 130
    assert Proposal.objects.filter(source_note=DEMO_NOTE).count() == 130 - 33  # on top of the plan's 33


def test_without_history_loads_only_the_plan(plan):
    call_command("setup_demo", "--without-history", verbosity=0)
    assert not StatusReport.objects.exists()
    assert not Proposal.objects.filter(source_note=DEMO_NOTE).exists()
    assert not Person.objects.filter(user__username="prosjekt").exists()


def fixture_rows(name):
    return json.loads((Path(settings.BASE_DIR) / "fixtures" / name).read_text())


def test_the_history_tells_a_whole_programme_period(plan):
    call_command("setup_demo", verbosity=0)
    # Status reports through every year of the programme, from the activities' responsible people.
    years = Counter(StatusReport.objects.filter(activity__programme=plan).values_list("period_end__year", flat=True))
    assert set(years) == {2017, 2018, 2019} and min(years.values()) > 50
    assert not StatusReport.objects.filter(period_end__gt=plan.end_date).exists()
    assert not Activity.objects.filter(programme=plan, responsible=None).exists()
    # Decisions recorded on BP1–BP5, milestones reached with a date and evidence.
    for point in DecisionPoint.objects.filter(programme=plan):
        assert point.status == "decided" and point.decided_on and point.decision_text, point.code
    assert sorted(DecisionPoint.objects.filter(programme=plan).values_list("code", flat=True)) == [
        f"BP{n}" for n in range(1, 6)
    ]
    for milestone in Milestone.objects.filter(programme=plan):
        assert milestone.status == "achieved" and milestone.actual_date and milestone.evidence, milestone.code
    # Benefits are measured, budget lines have actuals (one left unknown, as an honest gap).
    assert BenefitMeasurement.objects.filter(benefit__plan__programme=plan).count() > 30
    lines = BudgetLine.objects.filter(phase__programme=plan)
    # Every line with a planned amount has its actual; some the plan left open stay unknown.
    assert not lines.filter(actual_amount=None).exclude(planned_amount=None).exists()
    assert lines.filter(actual_amount=None).exists()
    # ~130 proposals (the plan says 120–130 came in), in three rounds, across all 15 areas, each area its own.
    proposals = Proposal.objects.filter(programme=plan)
    assert 120 <= proposals.count() <= 130
    assert proposals.values("revision_round").distinct().count() >= 2
    assert proposals.values("area").distinct().count() == 15
    demo = proposals.filter(source_note=DEMO_NOTE)
    assert demo.values("title").distinct().count() == demo.count()  # no idea twice
    assert not demo.filter(is_demo=False).exists()  # flagged: the lists show «demodata»
    assert RevisionRound.objects.filter(programme=plan, status="open").count() == 1


def test_the_plan_itself_stays_as_the_seed_document_says(plan):
    call_command("setup_demo", verbosity=0)
    for row in fixture_rows("nordre_land.json"):
        fields = row["fields"]
        if row["model"] == "portfolio.activity":
            activity = Activity.objects.get(programme=plan, code=fields["code"])
            assert (activity.name, activity.purpose) == (fields["name"], fields["purpose"])
        elif row["model"] == "milestones.decisionpoint":
            point = DecisionPoint.objects.get(programme=plan, code=fields["code"])
            assert (point.title, point.date.isoformat()) == (fields["title"], fields["date"])
        elif row["model"] == "milestones.milestone":
            milestone = Milestone.objects.get(programme=plan, code=fields["code"])
            assert milestone.planned_date.isoformat() == fields["planned_date"]
    planned = sorted(
        str(amount)
        for amount in BudgetLine.objects.filter(phase__programme=plan).values_list("planned_amount", flat=True)
    )
    expected = sorted(
        str(None if f["fields"].get("planned_amount") is None else Decimal(f["fields"]["planned_amount"]))
        for f in fixture_rows("nordre_land.json")
        if f["model"] == "portfolio.budgetline"
    )
    assert planned == expected


def test_the_project_group_demo_user_is_a_person_responsible_for_activities(client, plan, project_member):
    call_command("setup_demo", verbosity=0)
    person = Person.objects.get(user=project_member, organisation=plan.organisation)
    own = set(Activity.objects.filter(programme=plan, responsible=person).values_list("code", flat=True))
    assert own == {"HA05", "HA12"}
    assert StatusReport.objects.filter(activity__code="HA05", author=project_member).exists()
    assert Benefit.objects.filter(owner=person).exists()
    # The role can be tried: the project-group user may now write HA05's status reports, not HA04's.
    client.force_login(project_member)
    assert client.get(reverse("status_report_create", args=[plan.slug, "HA05"])).status_code == 200
    assert client.get(reverse("status_report_create", args=[plan.slug, "HA04"])).status_code == 403


def fingerprint(plan):
    return (
        list(Proposal.objects.filter(programme=plan).order_by("title").values_list("title", "status", "area__number")),
        list(
            StatusReport.objects.filter(activity__programme=plan)
            .order_by("activity__code", "period_end")
            .values_list("activity__code", "period_end", "overall")
        ),
        list(BudgetLine.objects.filter(phase__programme=plan).order_by("pk").values_list("actual_amount")),
    )


def test_the_history_is_deterministic_and_written_in_bulk(plan):
    results = []
    for _ in range(2):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                call_command("setup_demo", verbosity=0)
            results.append(fingerprint(plan))
            transaction.set_rollback(True)
    assert results[0] == results[1]
    # ~900 rows in bulk: the number of queries does not grow with the rows (about 70 today).
    assert len(queries) < 150


def test_generate_data_reuses_the_history_setup_demo_added(plan):
    call_command("setup_demo", verbosity=0)
    assert generate(1) == {}  # the seed already has its history; nothing is added twice


def test_rerun_keeps_the_project_leaders_edits(plan, project_leader):
    activity = plan.activities.get(code="HA05")
    activity.name = "Endret av prosjektleder"
    activity.save()
    project_leader.set_password("nytt-passord-123")
    project_leader.save()
    call_command("setup_demo", verbosity=0)
    activity.refresh_from_db()
    project_leader.refresh_from_db()
    assert activity.name == "Endret av prosjektleder"
    assert project_leader.check_password("nytt-passord-123")


def test_loads_plan_and_users_into_an_empty_database(db):
    Programme.objects.all().delete()
    get_user_model().objects.all().delete()
    call_command("setup_demo", verbosity=0)
    assert Programme.objects.get().activities.count() == 17
    for username in ("leder", "styring", "prosjekt", "ansatt"):
        assert get_user_model().objects.get(username=username).check_password("demo")


def test_demo_users_are_members_of_the_plan_with_one_role_each(
    plan, project_leader, steering_member, project_member, staff
):
    def roles(user):
        return list(ProgrammeRole.objects.filter(user=user).values_list("programme__slug", "role"))

    assert roles(project_leader) == [(plan.slug, "prosjektleder")]
    assert roles(steering_member) == [(plan.slug, "styringsgruppe")]
    assert roles(project_member) == [(plan.slug, "prosjektgruppe")]
    assert roles(staff) == [(plan.slug, "ansatt")]
    # The admin is for installation administrators: no demo user gets into it.
    assert not any(u.is_staff or u.is_superuser for u in (project_leader, steering_member, project_member, staff))


def test_refuses_to_create_demo_users_in_production(db, settings):
    settings.DEMO_ALLOWED = False
    get_user_model().objects.all().delete()
    with pytest.raises(CommandError, match="kjøres ikke i produksjon"):
        call_command("setup_demo", verbosity=0)
    assert not get_user_model().objects.exists()

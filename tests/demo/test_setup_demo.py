import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from measures.models import Proposal
from portfolio.models import Activity, BudgetLine, Programme, ProgrammeRole, ScheduledMonth
from risks.models import Risk, RiskAssessment

pytestmark = pytest.mark.django_db

MODELS = [Programme, Activity, BudgetLine, ScheduledMonth, Risk, RiskAssessment, Proposal, get_user_model()]


def snapshot():
    return {model.__name__: sorted(map(str, model.objects.values_list(flat=False))) for model in MODELS}


def test_running_setup_demo_again_changes_nothing(plan):
    before = snapshot()
    call_command("setup_demo", verbosity=0)
    assert snapshot() == before


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

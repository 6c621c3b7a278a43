"""Roles as Django groups with permissions, per the table in docs/roles.md.

`sync_roles()` creates the groups and (re)sets their permissions; it is safe to run any number
of times and is called by `setup_roles` and `setup_demo`.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import Activity

PROJECT_LEADER = "Prosjektleder"
STEERING_GROUP = "Styringsgruppe"
PROJECT_GROUP = "Prosjektgruppe"
STAFF = "Ansatt"
ALL_ROLES = (PROJECT_LEADER, STEERING_GROUP, PROJECT_GROUP, STAFF)

DOMAIN_APPS = ("portfolio", "measures", "benefits", "risks", "milestones", "reports")

# Model-level permissions. Object-level rules (own proposals, own activities) are enforced in the views.
_READ_ALL = [("view", app, None) for app in DOMAIN_APPS]
ROLE_PERMISSIONS = {
    PROJECT_LEADER: [("add", app, None) for app in DOMAIN_APPS]
    + [("change", app, None) for app in DOMAIN_APPS]
    + [("delete", app, None) for app in DOMAIN_APPS]
    + _READ_ALL
    + [(action, "auth", model) for action in ("add", "change", "view") for model in ("user", "group")]
    + [("view", "auth", "permission")],
    STEERING_GROUP: _READ_ALL
    + [
        ("change", "measures", "proposal"),
        ("add", "measures", "proposaltransition"),
        ("change", "milestones", "decisionpoint"),
    ],
    PROJECT_GROUP: _READ_ALL
    + [
        ("change", "portfolio", "activity"),
        ("add", "portfolio", "scheduledmonth"),
        ("delete", "portfolio", "scheduledmonth"),
        ("add", "portfolio", "statusreport"),
        ("change", "portfolio", "statusreport"),
        ("add", "risks", "risk"),
        ("change", "risks", "risk"),
        ("add", "risks", "riskassessment"),
        ("add", "risks", "mitigation"),
        ("change", "risks", "mitigation"),
        ("change", "benefits", "benefitplan"),
        ("add", "benefits", "benefit"),
        ("change", "benefits", "benefit"),
        ("add", "benefits", "benefitmeasurement"),
    ],
    STAFF: [("add", "measures", "proposal")],
}


def _permissions(specs):
    perms = Permission.objects.select_related("content_type")
    wanted = set()
    for action, app, model in specs:
        for perm in perms.filter(content_type__app_label=app, codename__startswith=f"{action}_"):
            if model is None or perm.content_type.model == model:
                wanted.add(perm)
    return wanted


def sync_roles() -> dict[str, Group]:
    groups = {}
    for name, specs in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions(specs))
        groups[name] = group
    return groups


def user_roles(user) -> set[str]:
    """Names of the roles a user has; a superuser counts as project leader."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_portefolje_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached.add(PROJECT_LEADER)
        user._portefolje_roles = cached
    return cached


def is_project_leader(user) -> bool:
    return PROJECT_LEADER in user_roles(user)


def can_read_programme(user) -> bool:
    """Project leader, steering group and project group read everything in the programme."""
    return bool(user_roles(user) & {PROJECT_LEADER, STEERING_GROUP, PROJECT_GROUP})


def can_edit_activity_items(user, activity) -> bool:
    """May the user edit this activity and its risks, benefits and status reports?

    The project leader may edit everything; a project-group member only what belongs to activities
    they are responsible for or work on (through their Person record).
    """
    roles = user_roles(user)
    if PROJECT_LEADER in roles:
        return True
    if PROJECT_GROUP not in roles or activity is None:
        return False
    person = getattr(user, "person", None)
    if person is None:
        return False
    if activity.responsible_id == person.pk:
        return True
    return activity.working_group.filter(pk=person.pk).exists()


def editable_activities(user, programme):
    """The programme's activities whose items the user may edit: the QuerySet twin of can_edit_activity_items."""
    activities = Activity.objects.filter(programme=programme).order_by("code")
    if is_project_leader(user):
        return activities
    person = getattr(user, "person", None)
    if PROJECT_GROUP not in user_roles(user) or person is None:
        return activities.none()
    return activities.filter(Q(responsible=person) | Q(working_group=person)).distinct()

"""The one access layer: which programme a request is about, and what its user may do there (docs/roles.md).

Every view of a programme's pages starts with `programme_for(request, slug, need)` (or `leader_programme_for`),
the one access check, in the style of Zulip's access_* functions. It loads the programme once per request,
answers 404 when the user holds no role in it (so another programme's slugs and ids reveal nothing), 403 when
the role is not enough, and leaves a `ProgrammeAccess` on `request.access`. Templates ask that object («may
this user edit this?») through the context processor; no code tests role or group names anywhere else.
Objects are then always fetched through the programme (`programme=programme`), so an id of another programme
is a 404 as well.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from common.history import HistoryEntry, history_entries

from .models import Activity, OrganisationMember, Person, Programme, ProgrammeRole
from .roles import DECIDERS, PROJECT_GROUP, PROJECT_LEADER, READERS, STAFF, STEERING_GROUP

# What a view needs of the user's roles in the programme.
MEMBER = "member"  # any role: staff submit proposals and follow their own
READ = "read"  # project leader, steering group, project group
DECIDE = "decide"  # project leader, steering group
LEAD = "lead"  # the project leader

NEEDS = {MEMBER: None, READ: READERS, DECIDE: DECIDERS, LEAD: frozenset({PROJECT_LEADER})}


def roles_in(user, programme: Programme) -> frozenset[str]:
    """The user's roles in `programme`: its ProgrammeRole rows, plus staff for an employee of its organisation.

    Cached on the user object for the request, so asking again costs no query.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = user.__dict__.setdefault("_programme_roles", {})
    if programme.pk not in cache:
        roles = set(ProgrammeRole.objects.filter(user=user, programme=programme).values_list("role", flat=True))
        if OrganisationMember.objects.filter(user=user, organisation_id=programme.organisation_id).exists():
            roles.add(STAFF)
        cache[programme.pk] = frozenset(roles)
    return cache[programme.pk]


@dataclass
class ProgrammeAccess:
    """What one user may do in one programme; on `request.access`, and `access` in templates."""

    user: object
    programme: Programme
    roles: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user, programme: Programme) -> "ProgrammeAccess":
        return cls(user, programme, roles_in(user, programme))

    @property
    def is_member(self) -> bool:
        return bool(self.roles)

    @property
    def is_leader(self) -> bool:
        return PROJECT_LEADER in self.roles

    @property
    def is_steering(self) -> bool:
        return STEERING_GROUP in self.roles

    @property
    def can_read(self) -> bool:
        """Project leader, steering group and project group read everything in the programme."""
        return bool(self.roles & READERS)

    @property
    def can_decide(self) -> bool:
        """The steering group and the project leader decide proposals and decision points."""
        return bool(self.roles & DECIDERS)

    @property
    def can_see_history(self) -> bool:
        """The project leader and the steering group see the audit history on each object's page."""
        return bool(self.roles & DECIDERS)

    @property
    def can_submit(self) -> bool:
        """Anyone with a role in the programme, staff first of all, submits proposals."""
        return self.is_member

    def has(self, need: str) -> bool:
        wanted = NEEDS[need]
        return self.is_member if wanted is None else bool(self.roles & wanted)

    @cached_property
    def person(self):
        """The user's Person record (responsible for activities, member of working groups), or None."""
        if not self.user.is_authenticated:
            return None
        return Person.objects.filter(user=self.user, organisation_id=self.programme.organisation_id).first()

    def can_edit_activity(self, activity: Activity | None) -> bool:
        """May the user edit this activity and its risks, benefits, milestones and status reports?

        The project leader may edit everything; a project-group member only what belongs to activities they
        are responsible for or work on (through their Person record).
        """
        if self.is_leader:
            return True
        if PROJECT_GROUP not in self.roles or activity is None or self.person is None:
            return False
        if activity.programme_id != self.programme.pk:
            return False
        if activity.responsible_id == self.person.pk:
            return True
        return activity.working_group.filter(pk=self.person.pk).exists()

    def editable_activities(self) -> QuerySet:
        """The programme's activities whose items the user may edit: the QuerySet twin of can_edit_activity."""
        activities = Activity.objects.filter(programme=self.programme).order_by("code")
        if self.is_leader:
            return activities
        if PROJECT_GROUP not in self.roles or self.person is None:
            return activities.none()
        return activities.filter(Q(responsible=self.person) | Q(working_group=self.person)).distinct()

    def role_labels(self) -> list[str]:
        return [str(ProgrammeRole.Role(role).label) for role in ProgrammeRole.Role if role in self.roles]


def programmes_for(user) -> QuerySet:
    """The programmes in which the user holds any role (directly, or as staff of the organisation)."""
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(Q(roles__user=user) | Q(organisation__members__user=user)).distinct()


def readable_programme_ids(user) -> set[int]:
    """Ids of the programmes whose pages the user reads (project leader, steering group or project group)."""
    if not user.is_authenticated:
        return set()
    return set(ProgrammeRole.objects.filter(user=user, role__in=READERS).values_list("programme_id", flat=True))


def access_for(request: HttpRequest, programme: Programme) -> ProgrammeAccess:
    """The request's ProgrammeAccess for `programme`, made once per request."""
    access = getattr(request, "access", None)
    if access is None or access.programme.pk != programme.pk:
        access = ProgrammeAccess.of(request.user, programme)
        request.access = access
    return access


def programme_for(request: HttpRequest, slug: str, need: str = READ) -> Programme:
    """The programme of `slug` if the user holds a role there (else 404) that covers `need` (else 403)."""
    access = getattr(request, "access", None)
    if access is not None and access.programme.slug == slug:
        programme = access.programme
    else:
        programme = Programme.objects.select_related("organisation").filter(slug=slug).first()
        if programme is None:
            raise Http404(_("Fant ikke programmet."))
        access = access_for(request, programme)
    if not access.is_member:
        raise Http404(_("Fant ikke programmet."))
    if not access.has(need):
        raise PermissionDenied
    return programme


def leader_programme_for(request: HttpRequest, slug: str) -> Programme:
    """The programme, for its project leader only (reports, imports, moderation, members); 404/403 otherwise."""
    return programme_for(request, slug, LEAD)


def history_for(access: ProgrammeAccess, obj, limit: int = 20) -> list[HistoryEntry] | None:
    """The history rows of `obj` for an object page, or None when the user may not see them."""
    return history_entries(obj, limit) if access.can_see_history else None

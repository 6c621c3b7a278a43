"""What one token may read: the programmes of its user, with the same roles and rules as the pages.

The pages ask `portfolio.access` one programme at a time (`roles_in`, two queries per programme). A list of the
API spans every programme of the user, so the roles are read here for all of them at once (two queries in all)
and each programme's decisions are then made by `ProgrammeAccess`, the pages' own object: a programme the
user holds no role in is invisible (404 for its slug), a reader role reads everything, the project leader also
sees unmoderated proposals, and staff see only the proposals they submitted themselves (docs/roles.md).
`tests/api/test_scoping.py` checks that these roles equal `roles_in` for every programme.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from portfolio.access import ProgrammeAccess
from portfolio.models import OrganisationMember, Programme, ProgrammeRole
from portfolio.roles import STAFF


def roles_by_programme(user) -> dict[int, frozenset[str]]:
    """The user's roles in every programme where they hold one: `roles_in` for all programmes in two queries."""
    if not user.is_authenticated or not user.is_active:
        return {}
    roles: dict[int, set[str]] = {}
    for programme_id, role in ProgrammeRole.objects.filter(user=user).values_list("programme_id", "role"):
        roles.setdefault(programme_id, set()).add(role)
    employed = Programme.objects.filter(
        organisation__in=OrganisationMember.objects.filter(user=user).values("organisation")
    ).values_list("pk", flat=True)
    for programme_id in employed:
        roles.setdefault(programme_id, set()).add(STAFF)
    return {programme_id: frozenset(held) for programme_id, held in roles.items()}


@dataclass
class Scope:
    """The programmes one user may see through the API, and how much of each."""

    user: object
    accesses: dict[int, ProgrammeAccess]

    @classmethod
    def of(cls, user) -> "Scope":
        roles = roles_by_programme(user)
        # Programme objects are needed by ProgrammeAccess only for their id here: no query for them.
        return cls(user, {pk: ProgrammeAccess(user, Programme(pk=pk), held) for pk, held in roles.items()})

    def member_ids(self) -> set[int]:
        return {pk for pk, access in self.accesses.items() if access.is_member}

    def reader_ids(self) -> set[int]:
        return {pk for pk, access in self.accesses.items() if access.can_read}

    def leader_ids(self) -> set[int]:
        return {pk for pk, access in self.accesses.items() if access.is_leader}

    def programme(self, slug: str | None) -> Programme | None:
        """The programme of `slug` if the user holds a role there; 404 as on the pages otherwise (None: no filter)."""
        if slug is None:
            return None
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None or programme.pk not in self.member_ids():
            raise Http404(_("Fant ikke programmet."))
        return programme

    def readable(self, slug: str | None) -> set[int]:
        """Ids of the programmes whose items (activities, risks, …) the user reads, narrowed to `slug` if given.

        A programme the user holds only the staff role in is 403, as its pages are."""
        programme = self.programme(slug)
        readers = self.reader_ids()
        if programme is None:
            return readers
        if programme.pk not in readers:
            raise PermissionDenied(_("Rollen din i programmet gir ikke lesetilgang til dette."))
        return {programme.pk}

    def proposals(self, queryset: QuerySet, slug: str | None) -> QuerySet:
        """The proposals the user sees on the pages: all of them for the project leader, the moderated ones for
        the other readers, their own for staff."""
        programme = self.programme(slug)
        ids = {programme.pk} if programme is not None else self.member_ids()
        leaders, readers = self.leader_ids() & ids, self.reader_ids() & ids
        visible = (
            Q(programme_id__in=leaders)
            | Q(programme_id__in=readers - leaders, published=True)
            | Q(programme_id__in=ids - readers, submitted_by=self.user)
        )
        return queryset.filter(visible)

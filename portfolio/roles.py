"""The four roles a user can hold in a programme, and what each may do (docs/roles.md).

Roles are ProgrammeRole rows, one per user, programme and role; an OrganisationMember is staff («ansatt») in
every programme of the organisation. The sets below are the vocabulary the access layer (access.py) speaks.
"""

from .models import ProgrammeRole

PROJECT_LEADER = ProgrammeRole.Role.PROJECT_LEADER
STEERING_GROUP = ProgrammeRole.Role.STEERING_GROUP
PROJECT_GROUP = ProgrammeRole.Role.PROJECT_GROUP
STAFF = ProgrammeRole.Role.STAFF
ALL_ROLES = tuple(ProgrammeRole.Role)

# Who reads everything in the programme (pages, reports, exports).
READERS = frozenset({PROJECT_LEADER, STEERING_GROUP, PROJECT_GROUP})
# Who decides proposals and decision points, and sees the audit history on object pages.
DECIDERS = frozenset({PROJECT_LEADER, STEERING_GROUP})

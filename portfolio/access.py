"""The access helpers every view calls: they fetch what the user may see, or raise 404/403."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from common.history import HistoryEntry, history_entries

from .models import Programme
from .roles import PROJECT_LEADER, STEERING_GROUP, can_read_programme, is_project_leader, user_roles


def programme_for(request: HttpRequest, slug: str) -> Programme:
    """The programme the user may read, or 404/403."""
    programme = get_object_or_404(Programme, slug=slug)
    if not can_read_programme(request.user):
        raise PermissionDenied
    return programme


def leader_programme_for(request: HttpRequest, slug: str) -> Programme:
    """The programme, for its project leader only (reports, imports, moderation); 404/403 otherwise."""
    programme = programme_for(request, slug)
    if not is_project_leader(request.user):
        raise PermissionDenied
    return programme


def can_see_history(user) -> bool:
    """The project leader and the steering group see the audit history on each object's page."""
    return bool(user_roles(user) & {PROJECT_LEADER, STEERING_GROUP})


def history_for(user, obj, limit: int = 20) -> list[HistoryEntry] | None:
    """The history rows of `obj` for an object page, or None when the user may not see them."""
    return history_entries(obj, limit) if can_see_history(user) else None

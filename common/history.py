"""Audit history for the object pages: who changed what and when (django-simple-history records).

`history_entries(obj)` turns the object's latest historical records into rows for the `_history.html` partial.
It costs one query for the records plus one per kind of related object named in the changes, however long
the history is, because consecutive records are compared in memory rather than through `prev_record`.

Apps above may add rows about an object that live in their own tables (documents/ adds the documents attached to
it and removed from it) with `add_history_source`; each source costs its own queries, again whatever the length.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("Opprettet"), "~": _("Endret"), "-": _("Slettet")}
# Bookkeeping fields that say nothing to a reader of the history.
IGNORED_FIELDS = {"version", "status_reminded_on", "last_reminded_on", "notified_at"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


def _display(model_field, value, related: dict) -> str:
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return str(related.get((model_field.related_model, value), value))
    if isinstance(model_field, models.BooleanField):
        return str(_("ja") if value else _("nei"))
    return str(value)


# Callables (obj, limit) -> list[HistoryEntry] of other apps: rows about `obj` recorded outside its own history.
HISTORY_SOURCES: list[Callable] = []


def add_history_source(source: Callable) -> None:
    """Register a source of extra history rows (called from an AppConfig.ready(); registering twice is harmless)."""
    if source not in HISTORY_SOURCES:
        HISTORY_SOURCES.append(source)


def history_entries(obj, limit: int = 20) -> list[HistoryEntry]:
    """The latest `limit` changes of `obj`, newest first, each with the fields it changed (old → new), together
    with the rows the registered sources give for it."""
    entries = _own_entries(obj, limit)
    for source in HISTORY_SOURCES:
        entries += source(obj, limit)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def _own_entries(obj, limit: int) -> list[HistoryEntry]:
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    model = type(obj)
    pairs = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changed = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=IGNORED_FIELDS)
            changed = [(model._meta.get_field(c.field), c.old, c.new) for c in delta.changes]
        pairs.append((record, changed))

    # Names of related objects, one query per related model.
    wanted: dict[type, set] = {}
    for _record, changed in pairs:
        for model_field, old, new in changed:
            if isinstance(model_field, models.ForeignKey):
                wanted.setdefault(model_field.related_model, set()).update(v for v in (old, new) if v is not None)
    related = {
        (related_model, pk): instance
        for related_model, pks in wanted.items()
        for pk, instance in related_model._default_manager.in_bulk(pks).items()
    }

    entries = []
    for record, changed in pairs:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.get_username()) if user else str(_("systemet")),
                kind=str(HISTORY_TYPES.get(record.history_type, record.history_type)),
                changes=[
                    Change(str(f.verbose_name), _display(f, old, related), _display(f, new, related))
                    for f, old, new in changed
                ],
                reason=record.history_change_reason or "",
            )
        )
    return entries

"""When an object last changed, from the audit history every domain model keeps (django-simple-history).

No model carries an «updated at» field, and the API adds none to other apps' models: each object's newest
history row (`history_date`, written by every save and delete through the ORM) is its last change. Objects read
together with their parts take the newest of the parts' rows too: a risk changes with a new assessment, a
benefit with a new measurement, a proposal with a status change (status moves are recorded as transitions).
Each is one correlated subquery in the list's own query, so a page costs the same number of queries however
long the history is.

What the history does not see, the API cannot either: changes made with `QuerySet.update()` (a moderated
citizen proposal being published is one) and rows loaded without a history record (`changed_at` is then
null, and such rows never match `changed_since`).
"""

from django.db.models import DateTimeField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest


def _newest(history_model, link: str):
    rows = history_model.objects.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Subquery(rows.annotate(newest=Max("history_date")).values("newest")[:1], output_field=DateTimeField())


def last_change(model, **parts):
    """An expression for the newest history date of `model`'s rows, and of parts given as
    `name=(HistoryModel, "link_id")` (the parts' history rows that point at the row)."""
    newest = [_newest(model.history.model, "id")]
    newest += [_newest(history_model, link) for history_model, link in parts.values()]
    if len(newest) == 1:
        return newest[0]
    # GREATEST is NULL on SQLite when any argument is; each argument falls back to the others instead.
    return Greatest(*(Coalesce(expr, *(other for other in newest if other is not expr)) for expr in newest))

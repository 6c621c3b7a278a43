"""Which objects accept documents, and who may see and add them: registered by the object's own app.

Each feature app registers its attachable models in its AppConfig.ready() (as it registers its imports with
portfolio.imports), with the functions that apply that object's own access rule, so a document is never easier
to reach than the object it belongs to: `get` finds the object the way its page does (404 when the user may not
know it exists: another programme's, or a citizen's proposal still under moderation), `may_view` and `may_attach`
answer for the user's roles (403).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Attachable:
    model: type[models.Model]
    key: str  # the object's kind in the documents' URLs, e.g. "beslutningspunkt"
    label: object  # the object in a sentence, e.g. «beslutningspunktet» (lazy translation)
    kind: str  # the kind of document preselected on its upload form (Document.Kind)
    get: Callable  # get(request, programme, pk) -> the object, as its page finds it; Http404 otherwise
    may_view: Callable  # may_view(access, obj) -> bool: may see and download its documents
    may_attach: Callable  # may_attach(access, obj) -> bool: may add documents (and remove their own)
    url: Callable  # url(programme, obj) -> the object's page, where its documents are listed


ATTACHABLES: dict[str, Attachable] = {}


def register(attachable: Attachable) -> None:
    ATTACHABLES[attachable.key] = attachable


def for_model(model) -> Attachable | None:
    """The registration of `model` (or of the model of an instance), or None when it takes no documents."""
    model = model if isinstance(model, type) else type(model)
    return next((a for a in ATTACHABLES.values() if a.model is model), None)


def may_delete(access, attachable: Attachable, owner, document) -> bool:
    """The project leader removes any document; others only one they uploaded, while they may still add one."""
    if access.is_leader:
        return True
    return document.uploaded_by_id == access.user.pk and attachable.may_attach(access, owner)

"""No lost updates: optimistic locking for the edit forms.

A `Versioned` model carries a version number that every save through a `VersionedModelForm` raises by one.
The form sends the version the user started from as a hidden field; saving over a newer version is refused
with a Norwegian message, and the form keeps the stored object (`form.current`) so the page can show what
the other user changed. The check and the bump are one conditional UPDATE inside the save's transaction, so
two editors who submit at the same moment cannot both win.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .parsing import query_int
from .validators import CleanTextFieldsMixin


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("versjon"), default=1, editable=False)

    class Meta:
        abstract = True

    def claim_version(self, expected: int | None) -> bool:
        """Raise the stored version from `expected` by one; False if another save got there first.

        One conditional UPDATE, so of two concurrent saves from the same version only one wins. Call it inside
        the transaction that then writes the change (every edit path does: forms, admin, decisions, toggles).
        """
        if expected is None:
            return False
        claimed = type(self)._default_manager.filter(pk=self.pk, version=expected).update(version=F("version") + 1)
        if claimed:
            self.version = expected + 1
        return bool(claimed)

    def change_if_current(self, expected: int | None, change: Callable[[], None]) -> bool:
        """Run `change()` in the transaction that raises the version from `expected`; False, with nothing run,
        when another save got there first. For edits that are not a ModelForm save (a toggle, a decision)."""
        with transaction.atomic():
            if not self.claim_version(expected):
                return False
            change()
            return True


STALE_MESSAGE = _(
    "Noen andre har endret dette mens du redigerte. Endringen din er ikke lagret. "
    "Se den lagrede versjonen nedenfor, og gjør endringen din på nytt."
)


class StaleVersionError(Exception):
    """Raised when the stored object is newer than the version the form was opened with."""


class VersionedModelForm(CleanTextFieldsMixin, forms.ModelForm):
    """A ModelForm for a `Versioned` model that refuses to overwrite another user's newer change (and whose
    text fields are cleaned, common.validators)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    VERSION_FIELD = "version"  # the form field that carries the version the user started from

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = None  # the stored object, when it is newer than the form's version
        if self.instance.pk is not None and not self.is_bound:
            self.initial[self.VERSION_FIELD] = self.instance.version

    def _stored(self):
        return type(self.instance)._default_manager.filter(pk=self.instance.pk).first()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        submitted = cleaned.get(self.VERSION_FIELD)
        stored = self._stored()
        if stored is None:
            raise forms.ValidationError(_("Dette er slettet av noen andre mens du redigerte."), code="deleted")
        if submitted is None or submitted != stored.version:
            self.current = stored
            raise forms.ValidationError(STALE_MESSAGE, code="stale")
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=False)
        if not commit:
            return instance
        with transaction.atomic():
            self.save_claimed(instance)
            self._save_m2m()
        return instance

    def save_claimed(self, instance) -> None:
        """Save `instance`, first raising its version from the one this form was opened with.

        The check and the bump are one conditional UPDATE: if another save won since clean(), nothing is
        written and StaleVersionError is raised, with the stale message and the stored object on the form.
        """
        with transaction.atomic():
            if not instance._state.adding and not instance.claim_version(self.cleaned_data.get(self.VERSION_FIELD)):
                self.current = self._stored()
                self.add_error(None, forms.ValidationError(STALE_MESSAGE, code="stale"))
                raise StaleVersionError
            instance.save()


class AdminVersionedModelForm(VersionedModelForm):
    """The same check in the Django admin, whose forms may not name the model's non-editable `version` field."""

    version = None
    edit_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    VERSION_FIELD = "edit_version"


@dataclass
class Edit:
    """What became of a submitted edit form: saved, refused with errors, or refused as stale.

    After a stale refusal `form` is a new form opened on the stored object (so the user starts again from the
    other user's version) and `stale` is the refused form, whose `current` and typed values the `_stale.html`
    panel shows side by side. Otherwise `form` is the submitted form and `stale` is None.
    """

    saved: bool
    form: forms.BaseForm
    stale: forms.BaseForm | None = None


def save_edit(
    form,
    restart: Callable[[models.Model], forms.BaseForm] | None = None,
    *,
    on_clash: Callable[[forms.BaseForm], None] | None = None,
) -> Edit:
    """Validate and save a submitted VersionedModelForm (new or existing): the one "someone saved first" branch
    of every edit view.

    After a stale refusal, `restart(stored)` opens a new form on the stored object; by default the same form
    class with only `instance=stored` (give `restart` when the form takes more arguments).

    A unique constraint that the form checked but a parallel save got to first is refused by the database:
    with `on_clash`, that IntegrityError becomes `on_clash(form)` (which adds the Norwegian error to the form)
    and an unsaved Edit, never a server error. Validation runs before the savepoint, which holds only the save.
    """
    saved = False
    if form.is_valid():  # a stale version is a validation error too: `form.current` then holds the stored object
        try:
            with transaction.atomic():
                saved = save_or_stale(form)
        except IntegrityError:
            if on_clash is None:
                raise
            on_clash(form)
            return Edit(saved=False, form=form)
    if saved:
        return Edit(saved=True, form=form)
    if form.current is None:
        return Edit(saved=False, form=form)
    stored = form.current
    return Edit(saved=False, form=restart(stored) if restart else type(form)(instance=stored), stale=form)


def submitted_version(data) -> int | None:
    """The version a plain form (a button) sent in `data["version"]`, or None when missing or not a number."""
    return query_int(data.get("version", ""))


def change_or_stale(form, obj: Versioned, change: Callable[[], None]) -> bool:
    """`obj.change_if_current` with the version a plain form carries; when refused, the form gets the stale
    error and the stored object (`form.current`), as a refused VersionedModelForm has."""
    if obj.change_if_current(form.cleaned_data.get("version"), change):
        return True
    form.current = type(obj)._default_manager.get(pk=obj.pk)
    form.add_error(None, forms.ValidationError(STALE_MESSAGE, code="stale"))
    return False


def save_or_stale(form) -> bool:
    """Save a validated VersionedModelForm; False (with the error on the form) if another save won the race."""
    try:
        form.save()
    except StaleVersionError:
        return False
    return True

"""No lost updates: optimistic locking for the edit forms.

A `Versioned` model carries a version number that every save through a `VersionedModelForm` raises by one.
The form sends the version the user started from as a hidden field; saving over a newer version is refused
with a Norwegian message, and the form keeps the stored object (`form.current`) so the page can show what
the other user changed. The check and the bump are one conditional UPDATE inside the save's transaction, so
two editors who submit at the same moment cannot both win.
"""

from django import forms
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


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


STALE_MESSAGE = _(
    "Noen andre har endret dette mens du redigerte. Endringen din er ikke lagret. "
    "Se den lagrede versjonen nedenfor, og gjør endringen din på nytt."
)


class StaleVersionError(Exception):
    """Raised when the stored object is newer than the version the form was opened with."""


class VersionedModelForm(forms.ModelForm):
    """A ModelForm for a `Versioned` model that refuses to overwrite another user's newer change."""

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


def save_or_stale(form) -> bool:
    """Save a validated VersionedModelForm; False (with the error on the form) if another save won the race."""
    try:
        form.save()
    except StaleVersionError:
        return False
    return True

from django import forms
from django.contrib import messages
from simple_history.admin import SimpleHistoryAdmin

from .versioning import STALE_MESSAGE, AdminVersionedModelForm, StaleVersionError, Versioned, VersionedModelForm


class VersionedHistoryAdmin(SimpleHistoryAdmin):
    """The admin of every domain model: audit history, and no lost updates on the models that carry a version.

    The change form of a Versioned model is a VersionedModelForm, so saving over someone else's newer change
    (in the admin or in the app) is refused with the same Norwegian message as in the app.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        if issubclass(self.model, Versioned) and self.form is forms.ModelForm:
            kwargs.setdefault("form", AdminVersionedModelForm)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if not (change and isinstance(form, VersionedModelForm)):
            return super().save_model(request, obj, form, change)
        try:
            form.save_claimed(obj)
        except StaleVersionError:
            # Only when another save landed between validation and here, within this request.
            messages.error(request, STALE_MESSAGE)

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.uploads import DOCUMENT_TYPES, check_document
from common.validators import CleanTextFieldsMixin

from .models import TITLE_MAX, Document, shorten_name


class DocumentForm(CleanTextFieldsMixin, forms.Form):
    """A document to attach: its file (type, size and content checked), a title and its kind."""

    file = forms.FileField(
        label=_("Fil"),
        error_messages={"required": _("Velg en fil."), "empty": _("Filen er tom."), "invalid": _("Velg en fil.")},
        widget=forms.FileInput(attrs={"accept": ",".join(DOCUMENT_TYPES)}),
    )
    title = forms.CharField(
        label=_("Tittel"),
        max_length=TITLE_MAX,
        required=False,
        help_text=_("Står tittelen tom, brukes filnavnet."),
        error_messages={"max_length": _("Tittelen kan ha høyst %(limit_value)d tegn.")},
    )
    kind = forms.ChoiceField(
        label=_("Type dokument"),
        choices=Document.Kind.choices,
        error_messages={"required": _("Velg type dokument."), "invalid_choice": _("Velg en av typene i listen.")},
    )

    def __init__(self, *args, **kwargs):
        # Ids of their own: the form sits on pages whose own forms have fields named title and kind too.
        kwargs.setdefault("auto_id", "document-%s")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The type stored and served is decided by the checks, never taken from what the browser said.
        self.mime_type = check_document(upload, settings.DOCUMENT_MAX_BYTES)
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None and not cleaned.get("title"):
            cleaned["title"] = shorten_name(upload.name.rpartition(".")[0] or upload.name, TITLE_MAX)
        return cleaned

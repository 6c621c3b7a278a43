"""Input rules shared by every app: codes that are safe in a URL, and text without hidden tricks.

A code (of an activity, risk, milestone, decision point, benefit plan) is a segment of its page's URL, so it
may hold only letters A–Z/a–z, digits, "-", "_" and ".", must start with a letter or a digit (so "." and ".."
never become a path segment the browser folds away), and may not be a fixed segment that sits beside a code in
the apps' URLs ("ny", "import", …). The rule is applied in three places: the model field's validators (forms
and imports get it from there), a check constraint in the database, and `repair_codes`, which the migrations
run over the codes stored before the rule existed.

Text is cleaned of control characters and bidi controls (which can make a title read backwards) in three
places too: every form's text fields (`CleanTextFieldsMixin`, part of `VersionedModelForm`), the import's
`TextWidget`, and on every save of a model of the project's apps (`clean_stored_text`, connected by
common.apps), which is what covers the admin, commands and any later path. A title made only of invisible
characters counts as empty.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_NOT_IN_A_CODE = re.compile(r"[^A-Za-z0-9._-]")

# Every fixed path segment that sits beside a `<str:code>` in the apps' urls.py (risiko/ny/, risiko/import/,
# plan/ny/, beslutning/ny/, milepael/ny/, aktivitet/ny/), and the segments that follow a code, so that a code
# never reads as one of them. Compared without regard to case. tests/common/test_validators.py checks that
# every segment beside a code in the URLconf is here.
RESERVED_CODES = frozenset(
    {
        "ny",
        "nytt",
        "ny-serie",
        "rediger",
        "fjern",
        "import",
        "eksport",
        "status",
        "vurder",
        "tiltak",
        "utfort",
        "utsett",
        "gevinst",
        "kontantstrom",
        "maling",
    }
)

CODE_MESSAGE = _(
    "Koden kan bare ha bokstaver fra A til Z (ikke æ, ø eller å), sifre, bindestrek (-), understrek (_) "
    "og punktum (.), og må begynne med en bokstav eller et siffer."
)
RESERVED_MESSAGE = _("Koden «%(code)s» er reservert. Velg en annen kode.")


def validate_code(value: str) -> None:
    """Refuse a code that is not safe as a URL segment, or that is a reserved word (Norwegian messages)."""
    if not isinstance(value, str) or not _CODE.match(value):
        raise ValidationError(CODE_MESSAGE, code="invalid_code")
    if value.lower() in RESERVED_CODES:
        raise ValidationError(RESERVED_MESSAGE, code="reserved", params={"code": value})


def repaired_code(code: str, max_length: int) -> str:
    """`code` made valid: disallowed characters become "-", a code not starting with a letter or digit or
    that is a reserved word gets the prefix "K-" (an empty code becomes "K"), cut to `max_length`."""
    code = _NOT_IN_A_CODE.sub("-", code or "")
    if not code:
        code = "K"
    elif not code[0].isascii() or not code[0].isalnum() or code.lower() in RESERVED_CODES:
        code = f"K-{code}"
    code = code[:max_length]
    if code.lower() in RESERVED_CODES:  # cut back to a reserved word ("K-" + a long code never is, but be sure)
        code = f"K{code}"[:max_length]
    return code


def repair_codes(model, field: str = "code", scope: str = "programme_id") -> int:
    """Make every stored code of `model` valid and unique within its `scope` (case-insensitively); returns how
    many rows changed. Valid codes are kept as they are; a repaired one that would clash gets "-2", "-3", …

    For migrations (pass the historical model) and tests. Plain UPDATEs by primary key: it runs the same on
    SQLite and PostgreSQL.
    """
    max_length = model._meta.get_field(field).max_length
    rows = list(model._default_manager.order_by(scope, "pk").values_list("pk", scope, field))
    taken: dict[object, set[str]] = {}
    bad = []
    for pk, owner, code in rows:
        if code and _CODE.match(code) and code.lower() not in RESERVED_CODES:
            taken.setdefault(owner, set()).add(code.lower())
        else:
            bad.append((pk, owner, code))
    for pk, owner, code in bad:
        used = taken.setdefault(owner, set())
        base = repaired_code(code, max_length)
        candidate, number = base, 2
        while candidate.lower() in used:
            suffix = f"-{number}"
            candidate = base[: max_length - len(suffix)] + suffix
            number += 1
        used.add(candidate.lower())
        model._default_manager.filter(pk=pk).update(**{field: candidate})
    return len(bad)


# Characters that change how the text around them is laid out, or break a line: control characters (C0, DEL,
# C1), the line and paragraph separators, and every directional formatting character of the Unicode bidi
# algorithm (UAX #9): the embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make a
# title read backwards on the page and in the PDF, and the marks LRM, RLM and ALM (U+200E, U+200F, U+061C),
# which show nothing and which the renderers order text well without.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# In free text: every kind of line break becomes "\n" (Windows' \r\n, old Macs' lone \r, and what Python's
# splitlines() also reads as one); tabs and line breaks stay, the other control characters go.
_LINE_BREAK = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f]")
# Characters that show nothing: a title made only of these (and whitespace) is empty.
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u3164\u115f\u1160\uffa0]")


def _is_blank(text: str) -> bool:
    return not "".join(
        ch for ch in _INVISIBLE.sub("", text) if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Zs")
    )


def clean_single_line(text: str | None, *, required: bool = True, message=None) -> str:
    """`text` as one clean line: control characters and line breaks become a space, bidi controls are removed,
    whitespace is trimmed. A required text that shows nothing (only whitespace and invisible characters such as
    zero-width spaces) is refused with `message` (by default «Skriv en tittel.»); an optional one becomes ""."""
    text = _BIDI.sub("", _CONTROL.sub(" ", text or "")).strip()
    if _is_blank(text):
        if required:
            raise ValidationError(message or _("Skriv en tittel."), code="blank")
        return ""
    return text


def clean_text(text: str | None) -> str:
    """Free text of several lines made safe to store and show: line breaks become "\n", tabs and line breaks
    stay, other control characters and the bidi controls are removed, and a text that shows nothing (only
    whitespace and invisible characters) becomes "". Letters of every script, and the zero-width (non-)joiners
    some scripts and emoji need, are kept. Leading and trailing spaces are kept: a form field strips them."""
    text = _BIDI.sub("", _CONTROL_IN_TEXT.sub("", _LINE_BREAK.sub("\n", text or "")))
    return "" if _is_blank(text) else text


def _cleans_text(field) -> bool:
    """A form field whose typed text is cleaned: every CharField (EmailField, SlugField, … too), not JSON, not
    a password (which is checked, never shown, and may hold any character)."""
    return (
        isinstance(field, forms.CharField)
        and not isinstance(field, forms.JSONField)
        and not isinstance(field.widget, forms.PasswordInput)
    )


class CleanTextFieldsMixin:
    """For a form: every text field's input is cleaned before the field checks it.

    A field drawn as a text area goes through `clean_text`; any other text field (and those named in
    `single_line_fields`) through `clean_single_line`. A text that shows nothing becomes empty first, so a
    required field made only of invisible characters gets the field's own "required" message, and the field's
    validators and the form's clean_<field>() (a uniqueness check, say) see the text that will be stored.
    `VersionedModelForm` has it; put it first on any other form with text fields.
    """

    single_line_fields: tuple[str, ...] = ()

    def full_clean(self):
        # Here rather than in __init__: a form's own __init__ may add fields or change widgets after ours.
        for name, field in self.fields.items():
            if _cleans_text(field) and not getattr(field, "text_cleaned", False):
                field.clean = _cleaning(field.clean, field, single_line=name in self.single_line_fields)
                field.text_cleaned = True
        super().full_clean()


def _cleaning(clean, field, *, single_line: bool):
    def cleaned(value):
        if isinstance(value, str):
            if single_line or not isinstance(field.widget, forms.Textarea):
                value = clean_single_line(value, required=False)
            else:
                value = clean_text(value)
        return clean(value)

    return cleaned


class SingleLineFieldsMixin(CleanTextFieldsMixin):
    """The same mixin under the name the forms of plain `ModelForm`s use; `single_line_fields` names the fields
    that stay one line even if drawn as a text area. (A separate class, so that a form may name it before
    `VersionedModelForm`, which has `CleanTextFieldsMixin` already.)"""


# Model fields of the project's own apps whose text is cleaned on every save (common.apps connects it to
# pre_save), so that imports, the admin, commands and any later API store what the forms store. A model may
# name fields to leave alone in `raw_text_fields` (a token or a hash, say).
PROJECT_APP_LABELS: set[str] = set()
_TEXT_FIELDS: dict[type, tuple[tuple[str, bool], ...]] = {}


def _text_fields(model) -> tuple[tuple[str, bool], ...]:
    """(attribute name, is multi-line) of the model's text fields: CharField (and its subclasses) one line,
    TextField several; never the primary key."""
    if model not in _TEXT_FIELDS:
        skipped = set(getattr(model, "raw_text_fields", ()))
        _TEXT_FIELDS[model] = tuple(
            (field.attname, isinstance(field, models.TextField))
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and not field.primary_key
            and field.name not in skipped
        )
    return _TEXT_FIELDS[model]


def clean_stored_text(sender, instance, update_fields=None, **kwargs) -> None:
    """pre_save receiver: the instance's text fields as `clean_single_line` (without the "required" check) and
    `clean_text` make them. Only for models of the project's apps (`PROJECT_APP_LABELS`)."""
    if sender._meta.app_label not in PROJECT_APP_LABELS:
        return
    for attname, multi_line in _text_fields(sender):
        if update_fields is not None and attname not in update_fields:
            continue
        value = getattr(instance, attname)
        if isinstance(value, str) and value:
            setattr(instance, attname, clean_text(value) if multi_line else clean_single_line(value, required=False))

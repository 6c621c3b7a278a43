"""Input rules shared by every app: codes that are safe in a URL, and single-line text without hidden tricks.

A code (of an activity, risk, milestone, decision point, benefit plan) is a segment of its page's URL, so it
may hold only letters A–Z/a–z, digits, "-", "_" and ".", must start with a letter or a digit (so "." and ".."
never become a path segment the browser folds away), and may not be a fixed segment that sits beside a code in
the apps' URLs ("ny", "import", …). The rule is applied in three places: the model field's validators (forms
and imports get it from there), a check constraint in the database, and `repair_codes`, which the migrations
run over the codes stored before the rule existed.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
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
# C1), the line and paragraph separators, and the bidi embeddings, overrides and isolates (U+202A–U+202E,
# U+2066–U+2069), which can make a title read backwards.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
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


class SingleLineFieldsMixin:
    """For a form: the fields named in `single_line_fields` go through `clean_single_line`.

    A required field that shows nothing gets the field's own "required" message (so every form keeps its
    wording); an optional one becomes empty. Put the mixin before the form class.
    """

    single_line_fields: tuple[str, ...] = ()

    def clean(self):
        for name in self.single_line_fields:
            if name not in self.fields or name not in self.cleaned_data:
                continue
            field = self.fields[name]
            try:
                self.cleaned_data[name] = clean_single_line(
                    self.cleaned_data[name], required=field.required, message=field.error_messages.get("required")
                )
            except ValidationError as error:
                self.add_error(name, error)
        return super().clean()

"""E-mails rendered from templates: `<prefix>_subject.txt` and `<prefix>_body.txt`, sent from DEFAULT_FROM_EMAIL."""

import re

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

# Control characters (CR, LF, tab, form feed, NEL, …) and the Unicode line and paragraph separators: any of them
# in a subject could break the header (or be folded as a line break), so each run becomes one space.
_NOT_IN_A_SUBJECT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """`text` as a single header-safe line: line breaks and control characters become a space, ends stripped."""
    return _NOT_IN_A_SUBJECT.sub(" ", text).strip()


def send_templated_mail(template_prefix: str, context: dict, to: list[str], *, fail_silently: bool = False) -> int:
    """Render `<template_prefix>_subject.txt` and `_body.txt` with `context` and send them to `to`.

    The subject is collapsed to one line; the body is sent as rendered. Returns what `send_mail` returns
    (the number of messages sent). The templates are plain text: they turn autoescaping off themselves.
    """
    subject = one_line(render_to_string(f"{template_prefix}_subject.txt", context))
    body = render_to_string(f"{template_prefix}_body.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=fail_silently)

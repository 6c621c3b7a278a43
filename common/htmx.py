"""One recipe for pages with forms, whether htmx asks for a piece or the browser for the whole page.

- `render_page` renders the full page, or for an htmx request only the named partial of the same template
  (django-template-partials), so every partial also exists inside a full page that works without JavaScript.
- `form_status` is the answer's status: 409 Conflict when the save was refused because another user saved
  first, 422 Unprocessable Content when the form has errors, 200 otherwise. htmx is configured once, in
  base.html's `htmx-config`, to swap 409 and 422 answers like 200 ones, so the form with its errors appears in
  place whichever way it was sent.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest, template: str, context: dict, *, partial: str | None = None, status: int = 200
) -> HttpResponse:
    """`template`, or only its partial `partial` when htmx asks (with the same context and status)."""
    name = f"{template}#{partial}" if partial and request.htmx else template
    return render(request, name, context, status=status)


def form_status(form=None, *, stale=None) -> int:
    """409 after a refused stale save, 422 when `form` has errors, else 200."""
    if stale is not None:
        return 409
    if form is not None and form.errors:
        return 422
    return 200

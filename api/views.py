"""The pages where a user makes and revokes their own personal access tokens for the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.htmx import form_status

from .forms import TokenForm
from .models import PersonalAccessToken

MAX_USABLE_TOKENS = 20  # per user: enough for every report and script, few enough to keep track of


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens, and a form for a new one; a new token is shown once, on the page that made it."""
    form = TokenForm(request.POST or None)
    created = raw = None
    if request.method == "POST" and form.is_valid():
        if PersonalAccessToken.objects.usable().filter(user=request.user).count() >= MAX_USABLE_TOKENS:
            form.add_error(
                None,
                _("Du har allerede %(max)s gyldige nøkler. Trekk tilbake en du ikke bruker først.")
                % {"max": MAX_USABLE_TOKENS},
            )
        else:
            created, raw = PersonalAccessToken.issue(request.user, form.cleaned_data["name"], form.cleaned_data["days"])
            messages.success(request, _("Nøkkelen «%(name)s» er laget. Kopier den nå.") % {"name": created.name})
            form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "raw_token": raw,
        "tokens": PersonalAccessToken.objects.filter(user=request.user),
    }
    return render(request, "api/tokens.html", context, status=form_status(form) if form.is_bound else 200)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another user's is 404); it stops working at once."""
    token = get_object_or_404(PersonalAccessToken, pk=pk, user=request.user)
    if token.revoke():
        messages.success(request, _("Nøkkelen «%(name)s» er trukket tilbake.") % {"name": token.name})
    return redirect("api_tokens")

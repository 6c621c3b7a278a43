"""The login and logout pages, and the two halves of an OpenID Connect login (start, callback).

Anything that goes wrong in a login through the provider (a refused or missing state, a nonce that does not
match, the user saying no, a provider that is down) ends on a Norwegian error page, logged out, never a 500.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import admin, auth, messages
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from . import provider
from .backends import OidcBackend
from .models import AmbiguousEmail

logger = logging.getLogger(__name__)

BACKEND = "sso.backends.OidcBackend"


def _login_context() -> dict:
    return {
        "sso_enabled": provider.is_enabled(),
        "provider_name": provider.provider_name(),
        "password_login": settings.PASSWORD_LOGIN,
    }


def login(request: HttpRequest) -> HttpResponse:
    """Django's login page, with «Logg inn med …» when SSO is on; without the password form when it is off."""
    if request.method == "POST" and not settings.PASSWORD_LOGIN:
        context = {**_login_context(), "password_refused": True}
        return render(request, "registration/login.html", context, status=403)
    return LoginView.as_view(extra_context=_login_context())(request)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own password form, unless password login is off: then our login page (SSO) is the door."""
    if settings.PASSWORD_LOGIN:
        return admin.site.login(request)
    return redirect(f"{reverse('login')}?{urlencode({'next': request.GET.get('next', reverse('admin:index'))})}")


def _error(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    name = provider.provider_name() or _("innloggingstjenesten")
    texts = {
        "denied": _("Innloggingen ble avbrutt eller avvist hos %(provider)s. Du er ikke logget inn.")
        % {"provider": name},
        "state": _(
            "Svaret fra innloggingen hørte ikke til denne nettleseren, eller det er for gammelt. Av sikkerhetshensyn "
            "er du ikke logget inn. Start innloggingen på nytt."
        ),
        "refused": _(
            "Svaret fra %(provider)s kunne ikke godkjennes, så du er ikke logget inn. Start innloggingen på nytt; "
            "fortsetter feilen, kontakt IT-avdelingen."
        )
        % {"provider": name},
        "unavailable": _("Vi får ikke kontakt med %(provider)s akkurat nå. Prøv igjen om litt.") % {"provider": name},
        "inactive": _("Brukerkontoen din er deaktivert. Kontakt prosjektlederen eller IT-avdelingen."),
        "ambiguous": _(
            "Flere brukere i Portefølje har e-postadressen din, så vi vet ikke hvem av dem du er. "
            "Kontakt IT-avdelingen."
        ),
    }
    context = {**_login_context(), "message": texts[reason]}
    return render(request, "sso/error.html", context, status=status)


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with a fresh state, nonce and PKCE challenge kept in the session."""

    def __init__(self, **kwargs):
        # The library reads the authorization endpoint here; ours may need discovery, done in get().
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)

    def get(self, request):
        if not provider.is_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.endpoints()["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        except provider.ProviderUnavailable:
            return _error(request, "unavailable", 503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request):
        # The provider's pages in the user's language; the level of assurance where one is required.
        params = {"ui_locales": translation.get_language() or settings.LANGUAGE_CODE}
        if settings.OIDC_ACR_VALUES:
            params["acr_values"] = settings.OIDC_ACR_VALUES
        return params


@require_safe
def callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code (or an error) and the state we gave it."""
    if not provider.is_enabled():
        raise Http404
    states = request.session.get("oidc_states")
    states = states if isinstance(states, dict) else {}
    state = request.GET.get("state", "")
    # Each state is used once, whatever the outcome: a replayed answer finds nothing.
    pending = states.pop(state, None) if state else None
    request.session["oidc_states"] = states
    if request.GET.get("error"):
        logger.info("OpenID Connect login refused by the provider: %s", request.GET.get("error"))
        return _error(request, "denied", 403)
    if not isinstance(pending, dict) or not request.GET.get("code"):
        logger.warning("OpenID Connect callback with an unknown or missing state")
        return _error(request, "state", 400)

    backend = OidcBackend()
    try:
        user = backend.authenticate(request, nonce=pending.get("nonce"), code_verifier=pending.get("code_verifier"))
    except provider.ProviderUnavailable:
        return _error(request, "unavailable", 503)
    except AmbiguousEmail:
        logger.warning("OpenID Connect login matched several users by e-mail")
        return _error(request, "ambiguous", 403)
    except (SuspiciousOperation, jwt.PyJWTError, requests.HTTPError, ValueError) as error:
        # A nonce that does not match, a bad signature, a code the provider will not redeem, a foreign token.
        logger.warning("OpenID Connect login refused: %s", error)
        return _error(request, "refused", 400)
    except requests.RequestException as error:
        logger.warning("OpenID Connect provider unreachable during login: %s", error)
        return _error(request, "unavailable", 503)
    if user is None:
        return _error(request, "refused", 400)
    if not user.is_active:
        return _error(request, "inactive", 403)

    next_url = request.session.pop("oidc_login_next", None)  # checked by the start view
    auth.login(request, user, backend=BACKEND)
    # After login, which may have started a new session: what logout needs to end the provider's session too,
    # kept from the login so that logging out needs no call to the provider.
    request.session["oidc_id_token"] = backend.id_token
    request.session["oidc_end_session_endpoint"] = backend.end_session_endpoint
    if backend.created:
        # The project leader finds a new user by e-mail or username on the members page: tell them which.
        messages.info(
            request,
            _(
                "Velkommen! Du er registrert i Portefølje med brukernavnet «%(username)s». Be prosjektlederen "
                "om tilgang til programmet ditt, og oppgi brukernavnet eller e-postadressen din."
            )
            % {"username": user.get_username()},
        )
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _provider_logout_url(request: HttpRequest) -> str:
    """The provider's end_session_endpoint for this session's login, or "" (logged in by password, none known)."""
    id_token, end_session = request.session.get("oidc_id_token"), request.session.get("oidc_end_session_endpoint")
    if not id_token or not end_session:
        return ""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
        }
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Logs out here, and at the provider too when the login came from one that can end its session."""
    provider_url = _provider_logout_url(request)
    auth.logout(request)
    # Added after logout, which empties the session: the message goes into the new, anonymous one.
    messages.success(request, _("Du er logget ut."))
    if not provider_url:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    # A page that moves on by itself (the Refresh header; a link for when it does not) rather than a redirect:
    # the Content Security Policy's form-action lets a form's redirect go only to this site, and the logout
    # button is a form.
    response = render(request, "sso/logging_out.html", {"provider_url": provider_url, **_login_context()})
    response["Refresh"] = f"0;url={provider_url}"
    return response

"""The OpenID Connect provider: whether SSO is configured, and its endpoints (from the settings or discovered).

Discovery happens the first time a login needs it, not at start-up, and its answer is kept per process for an
hour. A provider that cannot be reached is tried again after half a minute at the earliest, so a provider that
is down costs one timeout now and then, never one per request, and never touches pages other than the login.
"""

import logging
import threading
import time

import requests
from django.conf import settings

logger = logging.getLogger(__name__)

DISCOVERY_TTL = 3600  # seconds a discovery document is kept
RETRY_AFTER = 30  # seconds before an unreachable provider is asked again

# Setting -> key of the discovery document (OpenID Connect Discovery 1.0, and RP-Initiated Logout).
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}
REQUIRED = ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT")

_documents: dict[str, tuple[float, dict | None]] = {}
_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be fetched, or lacks what a login needs."""


def is_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID and (settings.OIDC_ISSUER or settings.OIDC_OP_AUTHORIZATION_ENDPOINT))


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME


def endpoints() -> dict[str, str]:
    """Each OIDC_OP_* setting, plus "issuer": set ones as they are, the others from discovery."""
    configured = {name: getattr(settings, name, "") for name in ENDPOINTS}
    discovered: dict = {}
    if settings.OIDC_ISSUER and not all(configured.values()):
        discovered = _discover(settings.OIDC_ISSUER)
    found = {name: configured[name] or discovered.get(key) or "" for name, key in ENDPOINTS.items()}
    missing = [name for name in REQUIRED if not found[name]]
    if missing:
        raise ProviderUnavailable(f"no {', '.join(missing)} configured or discovered")
    found["issuer"] = discovered.get("issuer") or settings.OIDC_ISSUER
    return found


def _discover(issuer: str) -> dict:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    now = time.monotonic()
    with _lock:
        kept = _documents.get(url)
    if kept and kept[0] > now:
        if kept[1] is None:
            raise ProviderUnavailable(f"{url} was unreachable a moment ago")
        return kept[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict):
            raise ValueError("not a JSON object")
    except (requests.RequestException, ValueError) as error:
        logger.warning("OpenID Connect discovery failed for %s: %s", url, error)
        with _lock:
            _documents[url] = (now + RETRY_AFTER, None)
        raise ProviderUnavailable(str(error)) from error
    with _lock:
        _documents[url] = (now + DISCOVERY_TTL, document)
    return document

"""The authentication backend of an OpenID Connect login: mozilla-django-oidc's, matched to users our way.

The library exchanges the code for tokens, checks the ID token's signature against the provider's keys and
its nonce, and reads the userinfo endpoint. On top of that we check the token's audience and issuer, take the
endpoints from sso.provider, and match users by subject or verified e-mail (OidcIdentity.user_for).
"""

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import provider
from .models import OidcIdentity


class OidcBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Django builds the backend again for every request of a logged-in user (get_user), so nothing here
        # may read the provider's endpoints: that could mean a network call. authenticate() does it.
        self.UserModel = get_user_model()
        self.id_token = self.end_session_endpoint = ""
        self.created = False  # whether this login created its user

    def authenticate(self, request, **kwargs):
        """Only the callback of our login (which passes the nonce); any other login (a password) is not ours."""
        if request is None or "nonce" not in kwargs or not provider.is_enabled():
            return None
        found = provider.endpoints()  # ProviderUnavailable goes up to the callback view
        self.issuer = found["issuer"]
        self.OIDC_OP_TOKEN_ENDPOINT = found["OIDC_OP_TOKEN_ENDPOINT"]
        self.OIDC_OP_USER_ENDPOINT = found["OIDC_OP_USER_ENDPOINT"]
        self.OIDC_OP_JWKS_ENDPOINT = found["OIDC_OP_JWKS_ENDPOINT"]
        self.end_session_endpoint = found["OIDC_OP_LOGOUT_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def get_token(self, payload):
        token = super().get_token(payload)
        if not isinstance(token, dict) or not token.get("id_token"):
            raise SuspiciousOperation("The token response has no ID token.")
        return token

    def _verify_jws(self, payload, key):
        """As the library's, with a minute's leeway on exp, nbf and iat: the provider's clock and ours differ a
        little, and Entra ID's tokens are not valid before the second they are issued."""
        algorithm = jwt.get_unverified_header(payload).get("alg")
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"The token is signed with {algorithm!r}, not {self.OIDC_RP_SIGN_ALGO!r}.")
        return jwt.decode(payload, key, algorithms=[algorithm], options={"verify_aud": False}, leeway=60)

    def verify_token(self, token, **kwargs):
        """The library checks signature, expiry and nonce; the ID token must also be meant for us, from them."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        if self.issuer and payload.get("iss") != self.issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def retrieve_matching_jwk(self, token):
        header = jwt.get_unverified_header(token)
        if "kid" in header:
            return super().retrieve_matching_jwk(token)
        # A token may leave out the key id (RFC 7515, 4.1.4); then only a provider with a single signing key
        # for the token's algorithm says unambiguously which key to check it with.
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        keys = [
            key
            for key in response.json().get("keys", [])
            if key.get("use", "sig") == "sig" and key.get("alg", header.get("alg")) == header.get("alg")
        ]
        if len(keys) != 1:
            raise SuspiciousOperation("The ID token names no key, and the provider has more than one.")
        return jwt.PyJWK(keys[0])

    def store_tokens(self, access_token, id_token):
        # Kept on the backend: the callback view puts the ID token in the session after login (logout needs it
        # as id_token_hint), because logging in may start a new session.
        self.id_token = id_token

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo endpoint's on top where the provider has one and it is not
        switched off (Entra ID's userinfo lacks e.g. preferred_username and oid, which its ID token has)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and settings.OIDC_USERINFO:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("The userinfo answer is about another subject.")  # OIDC Core 5.3.2
            claims.update(userinfo)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        accepted = settings.OIDC_ACR_VALUES.split()
        if accepted and payload.get("acr") not in accepted:
            raise SuspiciousOperation(f"The login's level of assurance {payload.get('acr')!r} is not accepted.")
        claims = self.get_userinfo(access_token, id_token, payload)
        subject = str(claims.get(settings.OIDC_CLAIM_SUBJECT) or "")
        if not subject:
            raise SuspiciousOperation(f"The provider sent no {settings.OIDC_CLAIM_SUBJECT} claim.")
        email = claims.get(settings.OIDC_CLAIM_EMAIL)
        email = email.strip() if isinstance(email, str) and "@" in email and len(email) <= 254 else ""
        first_name, last_name = _names(claims)
        user, self.created = OidcIdentity.user_for(
            issuer=self.issuer or settings.OIDC_ISSUER,
            subject=subject,
            email=email,
            email_verified=settings.OIDC_TRUST_EMAIL or claims.get("email_verified") in (True, "true"),
            first_name=first_name,
            last_name=last_name,
        )
        return user


def _names(claims: dict) -> tuple[str, str]:
    """Given and family name where the provider sends them, else the full name split at its last word."""
    given, family = claims.get("given_name"), claims.get("family_name")
    if isinstance(given, str) and isinstance(family, str) and (given or family):
        return given.strip(), family.strip()
    name = claims.get(settings.OIDC_CLAIM_NAME)
    if not isinstance(name, str) or not name.strip():
        return "", ""
    *first, last = name.split()
    return (" ".join(first), last) if first else (last, "")

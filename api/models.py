"""Personal access tokens: how Power BI, Excel and scripts read the API as their user (docs: README, API)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What every token starts with, so that a leaked one is recognisable (by secret scanners and by people).
TOKEN_PREFIX = "pf_"
# How many characters after TOKEN_PREFIX the token list shows, to tell a user's tokens apart.
VISIBLE_CHARS = 6


def hash_token(raw: str) -> str:
    """The stored form of a token: its SHA-256. A token is 32 random bytes, so no salt or slow hash is needed."""
    return hashlib.sha256(raw.encode()).hexdigest()


class PersonalAccessTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Neither revoked nor expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class PersonalAccessToken(models.Model):
    """A user's key to the read-only API. Only a hash of the token is stored: it is shown once, when made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("bruker")
    )
    name = models.CharField(_("navn"), max_length=100, help_text=_("Hva nøkkelen brukes til, for eksempel Power BI."))
    prefix = models.CharField(_("begynner med"), max_length=20, editable=False)
    token_hash = models.CharField(_("nøkkelens sjekksum"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    expires_at = models.DateTimeField(_("utløper"))
    last_used_at = models.DateTimeField(_("sist brukt"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("trukket tilbake"), null=True, blank=True)

    objects = PersonalAccessTokenQuerySet.as_manager()

    raw_text_fields = ("prefix", "token_hash")  # stored exactly as made (common.validators.clean_stored_text)

    class Meta:
        verbose_name = _("tilgangsnøkkel")
        verbose_name_plural = _("tilgangsnøkler")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, days: int) -> tuple["PersonalAccessToken", str]:
        """A new token for `user`, valid for `days`; returns it with the raw token, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[: len(TOKEN_PREFIX) + VISIBLE_CHARS],
            token_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> "PersonalAccessToken | None":
        """The usable token of an active user that `raw` is, with its user; None for anything else."""
        if not raw or len(raw) > 200:
            return None
        token = cls.objects.usable().select_related("user").filter(token_hash=hash_token(raw)).first()
        if token is None or not token.user.is_active:
            return None
        return token

    def touch(self, now=None) -> None:
        """Record use, at most once a minute: a page of a Power BI refresh need not write every time."""
        now = now or timezone.now()
        if self.last_used_at is None or now - self.last_used_at > timedelta(minutes=1):
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def revoke(self) -> bool:
        """Revoke the token; True if this call did it (a conditional update, so twice is harmless)."""
        now = timezone.now()
        done = type(self).objects.filter(pk=self.pk, revoked_at__isnull=True).update(revoked_at=now)
        if done:
            self.revoked_at = now
        return bool(done)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

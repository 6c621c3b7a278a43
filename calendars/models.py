"""A user's personal calendar feed: one secret address per user, replaced or revoked on the calendar page."""

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The address carries the random key signed with SECRET_KEY (Django's signing, with this salt). The database keeps
# only the key: a copy of the database (a backup, an admin's query) gives no working address without the
# SECRET_KEY, yet the page can show the user their address again (a calendar app on a second device needs it),
# which a stored hash could not. SECRET_KEY_FALLBACKS keep addresses working while the secret key is rotated.
SALT = "calendars.feed"
SEPARATOR = "."  # not in the URL-safe base64 alphabet of the key and the signature


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=SEPARATOR)


class CalendarFeedQuerySet(models.QuerySet):
    def by_token(self, token: str):
        """The active user's feed the token names, or None: a bad signature, a revoked key or any other string."""
        try:
            key = _signer().unsign(token)
        except signing.BadSignature:
            return None
        return self.select_related("user").filter(key=key, user__is_active=True).first()


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("bruker")
    )
    key = models.CharField(_("nøkkel"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    last_fetched_at = models.DateTimeField(_("sist hentet"), null=True, blank=True, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")

    def __str__(self):
        return str(self.user)

    @classmethod
    def renew(cls, user) -> "CalendarFeed":
        """A new secret address for the user; the old one (if any) stops working at once."""
        # One row per user, updated in place: a double click cannot leave two addresses (or a unique-key error).
        feed, _created = cls.objects.update_or_create(
            user=user,
            defaults={"key": secrets.token_urlsafe(32), "created_at": timezone.now(), "last_fetched_at": None},
        )
        return feed

    @property
    def token(self) -> str:
        return _signer().sign(self.key)

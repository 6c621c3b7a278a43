"""Which provider account belongs to which user: the issuer and subject of an OpenID Connect login."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AmbiguousEmail(Exception):
    """More than one user has the e-mail address of a first login: linking either could give away an account."""


class OidcIdentity(models.Model):
    """A provider's account (issuer + subject) that logs in as this user.

    Only the subject is kept, never the provider's other claims: for ID-porten that is the pairwise `sub`, not
    the national identity number (`pid`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities", verbose_name=_("bruker")
    )
    issuer = models.CharField(_("utsteder"), max_length=255)
    subject = models.CharField(_("subjekt"), max_length=255)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("sist innlogget"), default=timezone.now)

    class Meta:
        verbose_name = _("innloggingskonto")
        verbose_name_plural = _("innloggingskontoer")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="sso_unique_issuer_subject")]

    def __str__(self) -> str:
        return f"{self.user} ({self.issuer})"

    @classmethod
    @transaction.atomic
    def user_for(
        cls, *, issuer: str, subject: str, email: str = "", email_verified: bool = False, first_name="", last_name=""
    ):
        """The user this login is, and whether it was created now: by subject; else, the first time, by verified
        e-mail; else a new user.

        A new user gets no role (the project leader grants roles on the members page) and no usable password.
        Matching by e-mail includes deactivated users, so that deactivating someone cannot be undone by a first
        login through the provider (the callback refuses inactive users).
        """
        users = get_user_model().objects
        email = email if email_verified else ""  # an address the provider does not vouch for is not used at all
        identity = cls.objects.select_for_update().select_related("user").filter(issuer=issuer, subject=subject)
        identity = identity.first()
        created = False
        if identity:
            user = identity.user
            identity.last_login_at = timezone.now()
            identity.save(update_fields=["last_login_at"])
        else:
            matches = list(users.filter(email__iexact=email)[:2]) if email else []
            if len(matches) > 1:
                raise AmbiguousEmail(email)
            try:
                with transaction.atomic():
                    user = matches[0] if matches else None
                    if user is None:
                        user = users.create_user(_free_username(users, email, issuer, subject), email=email)
                        created = True
                    cls.objects.create(user=user, issuer=issuer, subject=subject)
            except IntegrityError:
                # The same person's first login in another tab linked the subject a moment earlier: use that.
                user, created = cls.objects.select_related("user").get(issuer=issuer, subject=subject).user, False
        _refresh(user, email, first_name, last_name)
        return user, created


def _free_username(users, email: str, issuer: str, subject: str) -> str:
    """The e-mail address if no user has it as username, else a name made from the identity (never the pid)."""
    if email and len(email) <= 150 and not users.filter(username__iexact=email).exists():
        return email
    return "sso-" + hashlib.sha256(f"{issuer}|{subject}".encode()).hexdigest()[:16]


def _refresh(user, email: str, first_name: str, last_name: str) -> None:
    """The provider keeps names and addresses current: take changed ones over (never blank one out)."""
    changed = {
        field: value[:150] if field != "email" else value
        for field, value in (("email", email), ("first_name", first_name), ("last_name", last_name))
        if value and getattr(user, field) != value
    }
    for field, value in changed.items():
        setattr(user, field, value)
    if changed:
        user.save(update_fields=list(changed))

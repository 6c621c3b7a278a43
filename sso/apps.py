from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    """Single sign-on with OpenID Connect."""

    name = "sso"
    verbose_name = _("Innlogging")

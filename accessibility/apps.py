from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessibilityConfig(AppConfig):
    """The accessibility statement (tilgjengelighetserklæring) and barrier reports."""

    name = "accessibility"
    verbose_name = _("Tilgjengelighet")

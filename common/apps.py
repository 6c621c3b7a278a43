from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Shared mechanisms with no domain knowledge: an app only for its templates and template tags."""

    name = "common"
    verbose_name = _("Felles")

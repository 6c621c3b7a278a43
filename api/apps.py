from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Read-only API under /api/v1/ with personal access tokens."""

    name = "api"
    verbose_name = _("API")

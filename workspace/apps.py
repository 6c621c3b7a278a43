from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """Pages that span the feature apps: the dashboard, the activity page and the steering group's agenda."""

    name = "workspace"
    verbose_name = _("Arbeidsflate")

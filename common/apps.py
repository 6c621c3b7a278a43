from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """Shared mechanisms with no domain knowledge: an app only for its templates and template tags, and the
    one place that cleans stored text (common.validators.clean_stored_text)."""

    name = "common"
    verbose_name = _("Felles")

    def ready(self):
        from django.apps import apps
        from django.conf import settings
        from django.db.models.signals import pre_save

        from .validators import PROJECT_APP_LABELS, clean_stored_text

        # The project's own apps are those INSTALLED_APPS lists from "common" on (docs/architecture.md);
        # Django's and third-party apps' models are left as their code expects them.
        installed = list(settings.INSTALLED_APPS)
        ours = set(installed[installed.index(self.name) :])
        PROJECT_APP_LABELS.update(
            config.label
            for config in apps.get_app_configs()
            if config.name in ours or f"{type(config).__module__}.{type(config).__name__}" in ours
        )
        pre_save.connect(clean_stored_text, dispatch_uid="common.clean_stored_text")

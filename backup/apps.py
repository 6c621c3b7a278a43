from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Backup and restore of one programme as a file (export_programme / import_programme)."""

    name = "backup"
    verbose_name = _("Sikkerhetskopi")

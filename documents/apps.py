from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Files attached to the objects of a programme (decision bases, documentation)."""

    name = "documents"
    verbose_name = _("Dokumenter")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risiko")

    def ready(self):
        from portfolio import imports

        from . import resources

        # Large sheets are imported by a worker (portfolio.imports); this is what it runs for risks.
        imports.register(
            "risikoer", imports.Importer(_("risikoer"), resources.run_import, "risk_register", "risk_import")
        )

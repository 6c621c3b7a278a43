from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Forslag og tiltak")

    def ready(self):
        from portfolio import imports

        from . import resources

        # Large sheets are imported by a worker (portfolio.imports); this is what it runs for proposals.
        imports.register(
            "forslag",
            imports.Importer(_("forslag"), resources.run_import, "proposal_list", "proposal_import"),
        )

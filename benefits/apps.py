from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = _("Gevinstrealisering")

    def ready(self):
        from functools import partial

        from portfolio import imports

        from . import resources

        # Large sheets are imported by a worker (portfolio.imports); what it runs for each kind of benefit sheet.
        for kind, label in (("gevinster", _("gevinster")), ("malinger", _("målinger"))):
            run = partial(resources.run_import, kind)
            imports.register(kind, imports.Importer(label, run, "benefit_overview", "benefit_import"))

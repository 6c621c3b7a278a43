from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    name = "benefits"
    verbose_name = _("Gevinstrealisering")

    def ready(self):
        from functools import partial

        from django.shortcuts import get_object_or_404
        from django.urls import reverse

        from common.history import add_history_source
        from documents import attachments
        from documents.models import Document
        from portfolio import imports

        from . import resources
        from .models import BenefitPlan, measurement_history

        # Large sheets are imported by a worker (portfolio.imports); what it runs for each kind of benefit sheet.
        for kind, label in (("gevinster", _("gevinster")), ("malinger", _("målinger"))):
            run = partial(resources.run_import, kind)
            imports.register(kind, imports.Importer(label, run, "benefit_overview", "benefit_import"))

        # Corrections and deletions of measurements appear in the benefit's audit history.
        add_history_source(measurement_history)

        # A benefit plan's documents: seen by those who read the plan, added by whoever edits it (the rule of
        # benefits.views.can_edit: the activity the plan is about).
        attachments.register(
            attachments.Attachable(
                model=BenefitPlan,
                key="gevinstplan",
                label=_("gevinstplanen"),
                kind=Document.Kind.ATTACHMENT,
                get=lambda request, programme, pk: get_object_or_404(
                    BenefitPlan.objects.select_related("activity", "measure__activity"), programme=programme, pk=pk
                ),
                may_view=lambda access, plan: access.can_read,
                may_attach=lambda access, plan: access.can_edit_activity(plan.subject_activity),
                url=lambda programme, plan: reverse("benefit_plan", args=[programme.slug, plan.code]),
            )
        )

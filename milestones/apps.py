from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MilestonesConfig(AppConfig):
    name = "milestones"
    verbose_name = _("Beslutningspunkter og milepæler")

    def ready(self):
        from django.shortcuts import get_object_or_404
        from django.urls import reverse

        from documents import attachments
        from documents.models import Document

        from .models import DecisionPoint, Milestone

        # A decision point's basis (beslutningsgrunnlag): everyone who reads the plan sees it, those who decide
        # (the steering group and the project leader) add to it, as they record the decision.
        attachments.register(
            attachments.Attachable(
                model=DecisionPoint,
                key="beslutningspunkt",
                label=_("beslutningspunktet"),
                kind=Document.Kind.DECISION_BASIS,
                get=lambda request, programme, pk: get_object_or_404(DecisionPoint, programme=programme, pk=pk),
                may_view=lambda access, point: access.can_read,
                may_attach=lambda access, point: access.can_decide,
                url=lambda programme, point: reverse("decision_record", args=[programme.slug, point.code]),
            )
        )
        # A milestone's documentation: added by whoever edits the milestone (the project leader, and the project
        # group for its own activities' milestones).
        attachments.register(
            attachments.Attachable(
                model=Milestone,
                key="milepael",
                label=_("milepælen"),
                kind=Document.Kind.DOCUMENTATION,
                get=lambda request, programme, pk: get_object_or_404(
                    Milestone.objects.select_related("activity"), programme=programme, pk=pk
                ),
                may_view=lambda access, milestone: access.can_read,
                may_attach=lambda access, milestone: access.can_edit_activity(milestone.activity),
                url=lambda programme, milestone: reverse("milestone_edit", args=[programme.slug, milestone.code]),
            )
        )

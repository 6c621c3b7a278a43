from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Forslag og tiltak")

    def ready(self):
        from django.urls import reverse

        from documents import attachments
        from documents.models import Document
        from portfolio import imports

        from . import resources, views
        from .models import Proposal

        # Large sheets are imported by a worker (portfolio.imports); this is what it runs for proposals.
        imports.register(
            "forslag",
            imports.Importer(_("forslag"), resources.run_import, "proposal_list", "proposal_import"),
        )
        # Documents of a proposal are part of its case work: found as its page finds it (so a citizen's proposal
        # under moderation stays hidden), seen by those who read the programme (not by a staff submitter, who
        # sees only the proposal's public part), added by the project leader, who assesses it. A submitter
        # cannot change a proposal once sent, and so cannot attach to it either.
        attachments.register(
            attachments.Attachable(
                model=Proposal,
                key="forslag",
                label=_("forslaget"),
                kind=Document.Kind.ATTACHMENT,
                get=views._proposal_for,
                may_view=lambda access, proposal: access.can_read,
                may_attach=lambda access, proposal: access.is_leader,
                url=lambda programme, proposal: reverse("proposal_detail", args=[programme.slug, proposal.pk]),
            )
        )

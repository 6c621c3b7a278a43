from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Files attached to the objects of a programme: decision bases, documentation, attachments."""

    name = "documents"
    verbose_name = _("Dokumenter")

    def ready(self):
        from django.shortcuts import get_object_or_404
        from django.urls import reverse

        from common.history import add_history_source
        from portfolio.models import StatusReport

        from . import attachments
        from .models import Document, document_history

        # Uploads and removals of documents show in the history section of the object they belong to.
        add_history_source(document_history)

        # Status reports belong to the programme core, a layer below this app, which therefore cannot register
        # them itself; the rule is the report page's own (portfolio.status_views): readers see a report, whoever
        # writes the activity's reports adds to them.
        attachments.register(
            attachments.Attachable(
                model=StatusReport,
                key="statusrapport",
                label=_("statusrapporten"),
                kind=Document.Kind.ATTACHMENT,
                get=lambda request, programme, pk: get_object_or_404(
                    StatusReport.objects.select_related("activity"), activity__programme=programme, pk=pk
                ),
                may_view=lambda access, report: access.can_read,
                may_attach=lambda access, report: access.can_edit_activity(report.activity),
                url=lambda programme, report: reverse(
                    "status_report_detail", args=[programme.slug, report.activity.code, report.pk]
                ),
            )
        )

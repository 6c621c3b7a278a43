"""Proposals in and out of spreadsheets (django-import-export), with the Norwegian headers and number and
date formats of docs/spreadsheets.md. `run_import` is the one import path: the web page, the admin and
`manage.py import_proposals` all call it, so they report the same rows the same way."""

import tablib
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.instance_loaders import CachedInstanceLoader

from common.spreadsheets import (
    AmountWidget,
    DateWidget,
    IdWidget,
    ImportReport,
    LookupWidget,
    ScoreWidget,
    TextWidget,
    cell_text,
    import_rows,
    neutralise,
    prepare_sheet,
)
from portfolio.models import Activity, Area

from .models import Proposal, RevisionRound

# Header → model attribute, in the order of docs/spreadsheets.md (and of the export).
COLUMNS = {
    "ID": "id",
    "Tittel": "title",
    "Beskrivelse": "description",
    "Hovedområde": "area",
    "Hovedaktivitet": "activity",
    "Enhet": "unit",
    "Innsender": "submitter_name",
    "Innsendertype": "submitter_type",
    "Status": "status",
    "Runde": "revision_round",
    "Behov": "need",
    "Nytte": "benefit",
    "Teknisk gjennomførbarhet": "feasibility_technical",
    "Økonomisk gjennomførbarhet": "feasibility_economic",
    "Kostnadsestimat": "estimated_cost",
    "Innsendt": "submitted_on",
}
REQUIRED_COLUMNS = ("Tittel", "Hovedområde")
HEADER_OF = {attribute: header for header, attribute in COLUMNS.items()}


class ProposalResource(resources.ModelResource):
    id = fields.Field(attribute="id", column_name="ID", widget=IdWidget())
    # Declared so that they hold objects (not `<name>_id`): their widgets look them up per programme.
    area = fields.Field(attribute="area", column_name="Hovedområde")
    activity = fields.Field(attribute="activity", column_name="Hovedaktivitet")
    revision_round = fields.Field(attribute="revision_round", column_name="Runde")

    class Meta:
        model = Proposal
        fields = tuple(COLUMNS.values())
        import_id_fields = ("id",)
        instance_loader_class = CachedInstanceLoader
        skip_diff = True
        # The widgets check every value and full_clean() would cost a query per foreign key and
        # constraint per row; validate_instance() below runs the query-free field checks.
        clean_model_instances = False

    def __init__(self, programme=None, user=None):
        """`programme` scopes the lookups of an import; the admin's export (any programme) passes None."""
        super().__init__()
        self.programme = programme
        self.user = user
        areas = list(Area.objects.filter(programme=programme))
        activities = Activity.objects.filter(programme=programme)
        rounds = RevisionRound.objects.filter(programme=programme)
        statuses = {label: value for value, label in Proposal.Status.choices} | {
            value: value for value in Proposal.Status.values
        }
        types = {value: value for value in Proposal.SubmitterType.values} | {
            label: value for value, label in Proposal.SubmitterType.choices
        }
        table = {
            "area": LookupWidget(
                {a.name: a for a in areas} | {a.number: a for a in areas},
                lambda a: a.name,
                _("Finner ikke hovedområdet «%(value)s»; bruk navnet eller nummeret 1–15."),
            ),
            "activity": LookupWidget(
                {a.code: a for a in activities}, lambda a: a.code, _("Finner ikke hovedaktiviteten «%(value)s».")
            ),
            "revision_round": LookupWidget(
                {r.year: r for r in rounds},
                lambda r: r.year,
                _("Det finnes ingen rullering for «%(value)s»."),
                default=RevisionRound.current(programme),
            ),
            "status": LookupWidget(
                statuses,
                lambda s: Proposal.Status(s).label,
                _("Ukjent status «%(value)s»."),
                default=Proposal.Status.SUBMITTED,
            ),
            "submitter_type": LookupWidget(
                types, lambda t: t, _("Innsendertype må være «ansatt» eller «innbygger»."), default="ansatt"
            ),
            "estimated_cost": AmountWidget(),
            "submitted_on": DateWidget(),
        }
        for name in ("need", "benefit", "feasibility_technical", "feasibility_economic"):
            table[name] = ScoreWidget()
        for name in ("title", "description", "unit", "submitter_name"):
            table[name] = TextWidget()
        for name, widget in table.items():
            self.fields[name].widget = widget
            self.fields[name].column_name = HEADER_OF[name]
            # import-export binds foreign keys to `<name>_id`; the lookup widgets deal in objects.
            self.fields[name].attribute = name

    def get_queryset(self):
        return Proposal.objects.filter(programme=self.programme).select_related("area", "activity", "revision_round")

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is None and cell_text(row.get("ID")):
            raise ValidationError(
                {"id": _("Det finnes ikke noe forslag med ID %(id)s.") % {"id": cell_text(row["ID"])}}
            )
        return instance

    def init_instance(self, row=None):
        # Defaults for columns the sheet leaves out; the model supplies the rest (status, type, date).
        return Proposal(programme=self.programme, revision_round=self.fields["revision_round"].widget.default)

    def after_init_instance(self, instance, new, row, **kwargs):
        # Remember the stored status, so a changed status becomes a recorded transition; and the stored link
        # and moderation, so that the import links only accepted measures and never touches a hidden proposal.
        instance._stored_status = None if new else instance.status
        instance._stored_activity_id = None if new else instance.activity_id
        instance._stored_published = True if new else instance.published

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not instance.title and "title" not in errors:
            errors["title"] = ValidationError(_("Tittel må fylles ut."))
        if instance.area_id is None and "area" not in errors:
            errors["area"] = ValidationError(_("Hovedområde må fylles ut."))
        if instance.revision_round_id is None and "revision_round" not in errors:
            errors["revision_round"] = ValidationError(_("Det finnes ingen åpen rullering; fyll ut Runde."))
        old = instance._stored_status
        if old is not None and old != instance.status and instance.status not in Proposal.TRANSITIONS[old]:
            errors["status"] = ValidationError(
                _("Kan ikke endre status fra «%(old)s» til «%(new)s».")
                % {"old": Proposal.Status(old).label, "new": Proposal.Status(instance.status).label}
            )
        if not instance._stored_published:
            # A citizen's proposal the project leader has not approved: an import neither shows nor links it.
            instance.published = False
            errors["id"] = ValidationError(_("Forslaget er ikke godkjent for visning ennå."))
        if (
            instance.activity_id is not None
            and instance.activity_id != instance._stored_activity_id
            and not instance.is_measure
            and not {"activity", "status"} & set(errors)
        ):
            # The web form's rule (measures.forms.ActivityForm), with the status the row leaves.
            errors["activity"] = ValidationError(
                _("Bare forslag som er tatt inn i planen kan knyttes til en aktivitet.")
            )
        if instance.submitted_on and "submitted_on" not in errors and instance.submitted_on > timezone.localdate():
            # A proposal made on the web is dated the day it is sent.
            errors["submitted_on"] = ValidationError(_("Innsendt-datoen kan ikke være fram i tid."))
        try:
            # Lengths and 1–5 ranges; foreign keys were resolved from the programme's own tables above.
            instance.clean_fields(exclude=[*errors, "programme", "revision_round", "area", "activity", "carried_from"])
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        old = instance._stored_status
        if old is not None and old != instance.status:
            instance.record_transition(old, instance.status, by=self.user, comment=_("Endret ved import fra regneark."))

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return [neutralise(value) for value in super().export_resource(instance, selected_fields, **kwargs)]


def export_dataset(programme, queryset=None) -> tablib.Dataset:
    resource = ProposalResource(programme)
    queryset = resource.get_queryset() if queryset is None else queryset
    return resource.export(queryset.select_related("area", "activity", "revision_round").order_by("id"))


def export_file(programme, queryset, file_format: str) -> bytes:
    dataset = export_dataset(programme, queryset)
    if file_format == "xlsx":
        return dataset.export("xlsx")
    # Semicolons and a BOM: what Excel with Norwegian settings opens directly.
    return ("\ufeff" + dataset.export("csv", delimiter=";")).encode("utf-8")


def run_import(programme, content: bytes, filename: str, *, user=None, dry_run: bool, progress=None) -> ImportReport:
    """Import a whole sheet or nothing. With dry_run, report what would happen and roll back."""
    headers, data, report = prepare_sheet(content, filename, COLUMNS, REQUIRED_COLUMNS, id_column="ID")
    if report.errors:
        return report
    return import_rows(
        ProposalResource(programme, user=user),
        headers,
        data,
        HEADER_OF,
        report,
        dry_run=dry_run,
        add_id="ID",
        progress=progress,
    )

"""Backup and restore of one whole programme as a JSON file (`export_programme` / `import_programme`).

The file holds the programme, its organisation (name, slug, organisation number, colour: a section of its
own, not a field of the programme) and every object that belongs to the programme, in the order of `PARTS`,
including the users' roles in it (`ProgrammeRole`). It contains no database ids: each object has a `ref`,
its position in its list (ordered by id), and a reference to another object of the programme is that
object's `ref`. People are referenced by name (they are people of the programme's organisation) and users
by username, so a file can be restored into another database (another server, or an empty one after
`migrate`). Importing creates the objects in the file's order, so exporting again gives the same file.

The import can also make a copy: under another slug (`slug=`) and in another organisation (`organisation=`,
a name; created when missing). People are always looked up and created in the organisation the programme is
imported into, never taken from another organisation.

What is not in the file: the audit history (django-simple-history rows; the import records one
"created" entry per object instead), users' passwords, the organisation's logo and its staff
(`OrganisationMember`), and — unless asked for with `with_files` — the stored files: the PDF files of revision
reports and the files of the documents attached to the programme's objects (only their names are kept, which
is enough to restore into the same installation, whose storage still holds them).

A document names the object it belongs to through a generic reference (`GENERIC`): the file holds that object's
model label and its `ref`, not the content type's and object's database ids.

Version 1 files (before organisations: the programme had a `municipality` field, and the report models were
labelled `portfolio.*`) are still read.

The import is all-or-nothing: any error rolls the whole transaction back and raises `BackupError`
with a Norwegian message.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import validate_slug
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from benefits.models import Benefit, BenefitMeasurement, BenefitPlan, CashFlowLine
from documents.models import Document
from measures.models import Proposal, ProposalTransition, RevisionRound
from milestones.models import DecisionPoint, Meeting, MeetingSeries, Milestone
from portfolio.models import (
    Activity,
    Area,
    BudgetLine,
    Membership,
    Organisation,
    Person,
    Phase,
    Programme,
    ProgrammeRole,
    ScheduledMonth,
    StatusReport,
)
from reports.models import PlanSnapshot, RevisionReport
from risks.models import Mitigation, Risk, RiskAssessment

FORMAT = "portefolje-programme"
FORMAT_VERSION = 2
OLDEST_VERSION = 1  # still read: see `_upgrade_from_version_1`
CHANGE_REASON = "Importert fra sikkerhetskopi"

# (model, lookup from the model to its programme), in an order where every reference points backwards.
PARTS = [
    (Phase, "programme"),
    (Area, "programme"),
    (Activity, "programme"),
    (Membership, "programme"),
    (ProgrammeRole, "programme"),
    (ScheduledMonth, "activity__programme"),
    (BudgetLine, "phase__programme"),
    (StatusReport, "activity__programme"),
    (RevisionRound, "programme"),
    (Proposal, "programme"),
    (ProposalTransition, "proposal__programme"),
    (Risk, "programme"),
    (RiskAssessment, "risk__programme"),
    (Mitigation, "risk__programme"),
    (DecisionPoint, "programme"),
    (Milestone, "programme"),
    (MeetingSeries, "programme"),
    (Meeting, "series__programme"),
    (BenefitPlan, "programme"),
    (Benefit, "plan__programme"),
    (BenefitMeasurement, "benefit__plan__programme"),
    (CashFlowLine, "plan__programme"),
    (RevisionReport, "programme"),
    (PlanSnapshot, "programme"),
    (Document, "programme"),  # last: a document may belong to an object of any kind above
]
# Models that point at an object of the programme through a generic reference: (content type field, id field).
GENERIC = {Document: ("content_type", "object_id")}
PART_MODELS = {model for model, _lookup in PARTS}
USER_FIELDS = ("username", "first_name", "last_name", "email")
PERSON_FIELDS = ("title", "unit", "email")
ORGANISATION_FIELDS = ("name", "slug", "organisation_number", "colour")
# Version 1 labels of models that have since moved to another app.
LEGACY_LABELS = {
    "portfolio.revisionreport": "reports.revisionreport",
    "portfolio.plansnapshot": "reports.plansnapshot",
}


class BackupError(Exception):
    """The file cannot be imported (or the programme exported); the message is for the user, in Norwegian."""


def _label(model) -> str:
    return model._meta.label_lower


def _fields(model):
    """The concrete fields that go into the file: all but the id, derived (generated) fields, the programme and
    the organisation (which has its own section in the file)."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not isinstance(f, models.GeneratedField)
        and not (f.is_relation and f.related_model in (Programme, Organisation))
    ]


def _dump_value(f, value):
    if value is None:
        return None
    if isinstance(f, models.FileField):
        return value.name or ""
    if isinstance(f, models.JSONField):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (bool, int, str)):
        return value
    return str(value)  # Decimal: as text, so no precision is lost


# --- export -------------------------------------------------------------------------------------------------


def export_programme(programme: Programme, *, with_files: bool = False) -> dict:
    """The programme and everything in it as plain JSON data (see the module docstring)."""
    User = get_user_model()
    refs: dict[type, dict[int, int]] = {}  # model -> {database id: ref}
    user_ids: set[int] = set()
    person_ids: set[int] = set()
    files: dict[str, str] = {}
    objects: dict[str, list] = {}

    def reference(f, target_id):
        if target_id is None:
            return None
        target = f.related_model
        if target is User:
            user_ids.add(target_id)
            return target_id  # replaced by the username below
        if target is Person:
            person_ids.add(target_id)
            return target_id  # replaced by the name below
        try:
            return refs[target][target_id]
        except KeyError:
            raise BackupError(
                _("%(model)s %(id)s hører ikke til programmet, men brukes av det.")
                % {"model": target._meta.verbose_name, "id": target_id}
            ) from None

    raw_objects: dict[str, list] = {}
    for model, lookup in PARTS:
        queryset = model.objects.filter(**{lookup: programme}).order_by("pk")
        m2m = [f for f in model._meta.many_to_many if f.related_model is Person]
        if m2m:
            queryset = queryset.prefetch_related(*(f.name for f in m2m))
        refs[model] = {}
        rows = []
        generic = GENERIC.get(model, ())
        for obj in queryset:
            if generic and _generic_target(obj, generic, refs) is None:
                continue  # its object is gone (deleted): a document nobody can reach any more
            position = len(rows) + 1
            refs[model][obj.pk] = position
            row = {"ref": position}
            for f in _fields(model):
                if f.name in generic:
                    row[f.name] = _generic_target(obj, generic, refs)[generic.index(f.name)]
                elif f.is_relation:
                    row[f.name] = reference(f, getattr(obj, f.attname))
                else:
                    row[f.name] = _dump_value(f, getattr(obj, f.attname))
                    if with_files and isinstance(f, models.FileField) and row[f.name]:
                        files[row[f.name]] = _read_file(getattr(obj, f.attname))
            for f in m2m:
                ids = [related.pk for related in getattr(obj, f.name).all()]
                person_ids.update(ids)
                row[f.name] = ids
            rows.append((row, model))
        raw_objects[_label(model)] = rows

    organisation = programme.organisation
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids).select_related("user", "organisation")}
    for person in people.values():
        # People are written by name, as people of the programme's organisation: one of another organisation
        # would be taken for someone else (or made one of this organisation's people) on import.
        if person.organisation_id != organisation.pk:
            raise BackupError(
                _(
                    "Personen «%(name)s» brukes i programmet, men hører til %(other)s, ikke til programmets "
                    "organisasjon %(organisation)s. Rett dette før programmet eksporteres."
                )
                % {"name": person.name, "other": person.organisation.name, "organisation": organisation.name}
            )
    user_ids.update(p.user_id for p in people.values() if p.user_id)
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}

    # Now that every person and user is known, replace their ids by name and username.
    for label, rows in raw_objects.items():
        objects[label] = []
        for row, model in rows:
            for f in _fields(model):
                if f.is_relation and row[f.name] is not None:
                    if f.related_model is User:
                        row[f.name] = users[row[f.name]].username
                    elif f.related_model is Person:
                        row[f.name] = people[row[f.name]].name
            for f in model._meta.many_to_many:
                if f.related_model is Person:
                    row[f.name] = sorted(people[pk].name for pk in row[f.name])
            objects[label].append(row)

    data = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "organisation": {name: getattr(organisation, name) for name in ORGANISATION_FIELDS},
        "programme": {f.name: _dump_value(f, getattr(programme, f.attname)) for f in _fields(Programme)},
        "users": sorted(
            ({name: getattr(user, name) for name in USER_FIELDS} for user in users.values()),
            key=lambda u: u["username"],
        ),
        "people": sorted(
            (
                {
                    "name": person.name,
                    **{name: getattr(person, name) for name in PERSON_FIELDS},
                    "user": person.user.username if person.user_id else None,
                }
                for person in people.values()
            ),
            key=lambda p: p["name"],
        ),
        "objects": objects,
    }
    if with_files:
        data["files"] = files
    return data


def _generic_target(obj, generic: tuple[str, str], refs: dict) -> tuple[str, int] | None:
    """(model label, ref) of the object `obj` points at generically, or None when it is not in the programme."""
    type_field, id_field = generic
    target = ContentType.objects.get_for_id(getattr(obj, f"{type_field}_id")).model_class()
    ref = refs.get(target, {}).get(getattr(obj, id_field))
    return None if ref is None else (_label(target), ref)


def _read_file(fieldfile) -> str | None:
    """The file's content as base64, or None when the file is gone from the storage."""
    try:
        with fieldfile.open("rb") as handle:
            return base64.b64encode(handle.read()).decode("ascii")
    except (FileNotFoundError, OSError):
        return None


def dumps(data: dict) -> str:
    """The file's text: UTF-8 JSON with sorted keys, so the same programme always gives the same text."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# --- import -------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    programme: Programme
    counts: dict[str, int] = field(default_factory=dict)  # verbose_name_plural -> number created
    created_users: list[str] = field(default_factory=list)
    created_people: list[str] = field(default_factory=list)
    created_organisation: bool = False
    replaced: bool = False


def loads(text: str) -> dict:
    """Parse and check the file's header; raises BackupError with a Norwegian message.

    A version 1 file is returned in the shape of version 2 (see `_upgrade_from_version_1`).
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BackupError(
            _("Filen er ikke gyldig JSON (linje %(line)s, kolonne %(col)s): den kan være avkortet eller skadet.")
            % {"line": error.lineno, "col": error.colno}
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(_("Filen er ikke en programeksport fra Portefølje."))
    version = data.get("version")
    if isinstance(version, bool) or version not in range(OLDEST_VERSION, FORMAT_VERSION + 1):
        raise BackupError(
            _(
                "Filen har formatversjon %(found)s, men denne versjonen av Portefølje leser bare versjon "
                "%(oldest)s til %(newest)s."
            )
            % {"found": version, "oldest": OLDEST_VERSION, "newest": FORMAT_VERSION}
        )
    for key, kind in (("programme", dict), ("users", list), ("people", list), ("objects", dict)):
        if not isinstance(data.get(key), kind):
            raise BackupError(_("Filen mangler delen «%(key)s» eller den har feil form.") % {"key": key})
    if version == 1:
        _upgrade_from_version_1(data)
    organisation = data.get("organisation")
    if not isinstance(organisation, dict) or not isinstance(organisation.get("name"), str):
        raise BackupError(_("Filen mangler delen «%(key)s» eller den har feil form.") % {"key": "organisation"})
    return data


def _upgrade_from_version_1(data: dict) -> None:
    """Version 1 → 2, in place: the programme's `municipality` becomes the organisation (found or created by
    name on import), and the report models get the labels of the app they have moved to."""
    municipality = data["programme"].pop("municipality", None)
    if not isinstance(municipality, str) or not municipality.strip():
        raise BackupError(
            _("Filen mangler delen «%(key)s» eller den har feil form.") % {"key": "programme.municipality"}
        )
    data["organisation"] = {"name": municipality.strip()}
    data["objects"] = {LEGACY_LABELS.get(label, label): rows for label, rows in data["objects"].items()}
    data["version"] = FORMAT_VERSION


def import_programme(
    data: dict,
    *,
    replace: bool = False,
    dry_run: bool = False,
    slug: str | None = None,
    organisation: str | None = None,
) -> ImportResult:
    """Create the programme of `data` (from `loads`) in one transaction: all of it, or nothing.

    `slug` imports the file as a new programme under that slug (a programme with the file's slug is left as it
    is). With `replace`, an existing programme with the (new) slug is deleted first, in the same transaction.
    `organisation` is the name of the organisation the programme is imported into (created when there is none
    by that name); without it, the file's organisation is used (found by slug, else by name, else created).
    People are looked up, and created, in that organisation only. Users the file refers to who do not exist
    here are created inactive, without a usable password.
    """
    if slug is None:
        slug = data["programme"].get("slug")
    _check_slug(slug)
    try:
        with transaction.atomic():
            existing = Programme.objects.filter(slug=slug).first()
            if existing is not None and not replace:
                raise BackupError(
                    _("Programmet «%(slug)s» finnes allerede. Bruk --replace for å erstatte det.") % {"slug": slug}
                )
            if existing is not None:
                existing.delete()
            target, created_organisation = _organisation(data, organisation)
            result = _create_all(data, target, slug, write_files=not dry_run)
            result.created_organisation = created_organisation
            result.replaced = existing is not None
            if dry_run:
                transaction.set_rollback(True)
    except BackupError:
        raise
    except (ValidationError, DatabaseError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise BackupError(
            _("Filen kunne ikke leses inn, ingenting er lagret: %(error)s") % {"error": _why(error)}
        ) from None
    return result


def _check_slug(slug) -> None:
    try:
        if not isinstance(slug, str) or len(slug) > Programme._meta.get_field("slug").max_length:
            raise ValidationError("")
        validate_slug(slug)
    except ValidationError:
        raise BackupError(
            _(
                "«%(slug)s» er ikke et gyldig kortnavn for et program: bruk bare bokstavene a–z (uten æ, ø og å), "
                "tall, bindestrek og understrek, høyst 80 tegn."
            )
            % {"slug": slug}
        ) from None


def _organisation(data: dict, name: str | None) -> tuple[Organisation, bool]:
    """The organisation to import into, and whether it was created.

    With `name`: the organisation of that name, else a new one (with only its name). Without: the file's
    organisation, found by slug, else by name, else created from the file's section.
    """
    if name is not None:
        name = name.strip()
        if not name:
            raise BackupError(_("Navnet på organisasjonen kan ikke være tomt."))
        found = Organisation.objects.filter(name=name).first()
        return (found, False) if found is not None else (_new_organisation({"name": name}), True)
    entry = data["organisation"]
    slug = entry.get("slug")
    found = Organisation.objects.filter(slug=slug).first() if slug else None
    if found is None:
        found = Organisation.objects.filter(name=entry["name"].strip()).first()
    return (found, False) if found is not None else (_new_organisation(entry), True)


def _new_organisation(entry: dict) -> Organisation:
    name = entry["name"].strip()
    slug = entry.get("slug")
    if not slug or Organisation.objects.filter(slug=slug).exists():
        slug = _unique_organisation_slug(name)
    organisation = Organisation(name=name, slug=slug)
    for key in ("organisation_number", "colour"):
        if entry.get(key):
            setattr(organisation, key, entry[key])
    organisation.full_clean()
    organisation._change_reason = CHANGE_REASON
    organisation.save()
    return organisation


def _unique_organisation_slug(name: str) -> str:
    """A free slug made from the name; æ and ø are spelt out first, as slugify would otherwise drop them."""
    spelt = name.translate(str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O"}))
    base = slugify(spelt)[:70].strip("-") or "organisasjon"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _why(error: Exception) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        return " ".join(error.messages)
    if isinstance(error, KeyError):
        return _("mangler feltet %(key)s") % {"key": error.args[0] if error.args else ""}
    return str(error)


def _create_all(data: dict, organisation: Organisation, slug: str, *, write_files: bool = True) -> ImportResult:
    users = _users(data)
    people, created_people = _people(data, users, organisation)
    programme = _build(
        Programme, {**data["programme"], "slug": slug}, {}, users, people, None, organisation=organisation
    )
    result = ImportResult(programme=programme, created_users=users.created, created_people=created_people)
    result.counts[str(Programme._meta.verbose_name_plural)] = 1
    files = (data.get("files") or {}) if write_files else {}
    created: dict[type, dict[int, models.Model]] = {}
    known = {_label(model) for model in PART_MODELS}
    unknown = set(data["objects"]) - known
    if unknown:
        raise BackupError(_("Filen inneholder ukjente objekttyper: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    # A copy under a new slug (perhaps in another municipality) starts without members: the roles in the file
    # are the original's, and nobody gets into the copy until its project leader or an administrator says so.
    is_copy = slug != data["programme"].get("slug")
    for model, _lookup in PARTS:
        rows = [] if is_copy and model is ProgrammeRole else data["objects"].get(_label(model), [])
        created[model] = {}
        for row in rows:
            where = f"{model._meta.verbose_name} nr. {row.get('ref', '?') if isinstance(row, dict) else '?'}"
            try:
                obj = _build(model, row, created, users, people, programme, files=files)
            except (ValidationError, DatabaseError, KeyError, TypeError, ValueError, AttributeError) as error:
                raise BackupError(
                    _("Filen kunne ikke leses inn, ingenting er lagret: %(where)s: %(error)s")
                    % {"where": where, "error": _why(error)}
                ) from None
            created[model][row["ref"]] = obj
        result.counts[str(model._meta.verbose_name_plural)] = len(rows)
    return result


class _Users(dict):
    created: list[str]


def _users(data: dict) -> _Users:
    """username -> user; missing users are created inactive and without a usable password."""
    User = get_user_model()
    users = _Users()
    users.created = []
    listed = {entry["username"]: entry for entry in data["users"]}
    for user in User.objects.filter(username__in=listed):
        users[user.username] = user
    for username, entry in sorted(listed.items()):
        if username in users:
            continue
        user = User(**{name: entry.get(name, "") for name in USER_FIELDS}, is_active=False)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        users[username] = user
        users.created.append(username)
    return users


def _people(data: dict, users: dict, organisation: Organisation) -> tuple[dict, list[str]]:
    """name -> person of `organisation`; its people (by name) are kept as they are, others are created in it.

    People of other organisations are never used. A user who already is a person of the organisation is not
    linked to a second one: the new person gets no user account.
    """
    listed = {entry["name"]: entry for entry in data["people"]}
    people = {p.name: p for p in Person.objects.filter(organisation=organisation, name__in=listed)}
    linked = set(Person.objects.filter(organisation=organisation, user__isnull=False).values_list("user_id", flat=True))
    created = []
    for name, entry in sorted(listed.items()):
        if name in people:
            continue
        user = _user(users, entry.get("user"))
        if user is not None and user.pk in linked:
            user = None  # the account already belongs to someone else in this organisation
        person = Person(
            organisation=organisation, name=name, user=user, **{key: entry.get(key) or "" for key in PERSON_FIELDS}
        )
        person.full_clean()
        person._change_reason = CHANGE_REASON
        person.save()
        if user is not None:
            linked.add(user.pk)
        people[name] = person
        created.append(name)
    return people, created


def _user(users: dict, username):
    if username is None:
        return None
    try:
        return users[username]
    except KeyError:
        raise ValidationError(
            _("brukeren «%(name)s» er brukt, men står ikke i listen over brukere") % {"name": username}
        ) from None


def _build(model, row: dict, created: dict, users: dict, people: dict, programme, files=None, organisation=None):
    """Create one object from its row; references are resolved through `created`, `users` and `people`."""
    if not isinstance(row, dict):
        raise TypeError(_("et objekt må være et JSON-objekt"))
    User = get_user_model()
    obj = model()
    later = {}  # auto_now_add fields: save() would overwrite them with the time of the import
    generic = GENERIC.get(model, ())
    for f in _fields(model):
        value = row[f.name]
        if f.name in generic:
            continue  # set below, from both fields at once
        if f.is_relation:
            if value is None:
                target = None
            elif f.related_model is User:
                target = _user(users, value)
            elif f.related_model is Person:
                target = people[value]
            else:
                target = created[f.related_model][value]
            setattr(obj, f.name, target)
        elif isinstance(f, models.FileField):
            setattr(obj, f.attname, _restore_file(value, files or {}))
        else:
            value = f.to_python(value)
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                later[f.attname] = value
            setattr(obj, f.attname, value)
    if generic:
        _set_generic_target(obj, generic, row, created)
    concrete = model._meta.concrete_fields
    if programme is not None and any(f.related_model is Programme for f in concrete):
        obj.programme = programme
    if organisation is not None and any(f.related_model is Organisation for f in concrete):
        obj.organisation = organisation
    obj.full_clean(validate_unique=False, validate_constraints=False)  # the database checks those
    obj._change_reason = CHANGE_REASON
    obj.save()
    if later:
        model.objects.filter(pk=obj.pk).update(**later)
        for name, value in later.items():
            setattr(obj, name, value)
    for f in model._meta.many_to_many:
        if f.related_model is Person and f.name in row:
            getattr(obj, f.name).set([people[name] for name in row[f.name]])
    return obj


def _set_generic_target(obj, generic: tuple[str, str], row: dict, created: dict) -> None:
    """Point `obj` at the object the row names by model label and ref, which must be one created from the file."""
    type_field, id_field = generic
    label, ref = row[type_field], row[id_field]
    models_by_label = {_label(model): model for model in created}
    if label not in models_by_label or ref not in created[models_by_label[label]]:
        raise ValueError(_("det finnes ikke noe %(label)s nr. %(ref)s i filen") % {"label": label, "ref": ref})
    target = created[models_by_label[label]][ref]
    setattr(obj, type_field, ContentType.objects.get_for_model(target))
    setattr(obj, id_field, target.pk)


def _restore_file(name: str, files: dict) -> str:
    """The file's name; with its content in the file, the file is written unless an equal one is there."""
    if not name or files.get(name) is None:
        return name or ""
    try:
        content = base64.b64decode(files[name], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(_("innholdet i filen %(name)s er ikke gyldig base64") % {"name": name}) from None
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            if handle.read() == content:
                return name
    return default_storage.save(name, ContentFile(content))

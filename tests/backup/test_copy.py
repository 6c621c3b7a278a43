"""A backup file imported as a copy: another slug, another organisation; and version 1 files still read."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from backup import programme_file as backup
from portfolio.models import Activity, Membership, Organisation, Person, Programme, ProgrammeRole
from reports.models import PlanSnapshot, RevisionReport
from risks.models import Risk

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
NEW_ORGANISATION = "Søndre Land kommune"


def export_to(path, slug=SLUG) -> dict:
    call_command("export_programme", slug, str(path), stderr=io.StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def import_file(path, *args) -> str:
    out = io.StringIO()
    call_command("import_programme", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def part_counts(programme: Programme) -> dict[str, int]:
    """How many objects of each part of the backup the programme has."""
    return {backup._label(model): model.objects.filter(**{lookup: programme}).count() for model, lookup in backup.PARTS}


def people_of(organisation) -> list[tuple]:
    return list(Person.objects.filter(organisation=organisation).order_by("name").values_list("pk", "name", "user_id"))


def everything() -> dict:
    """Counts of all rows an import could add."""
    models = [Organisation, Programme, Person, get_user_model()] + [model for model, _lookup in backup.PARTS]
    return {model._meta.label: model.objects.count() for model in models}


def test_import_with_slug_and_organisation_makes_a_copy_in_a_new_organisation(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    data = export_to(path)
    nordre_land = rich_plan.organisation
    original_counts = part_counts(rich_plan)
    original_people = people_of(nordre_land)
    original_file = backup.dumps({**data, "exported_at": None})
    assert not Organisation.objects.filter(name=NEW_ORGANISATION).exists()

    output = import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION)

    copy = Programme.objects.get(slug="kopi")
    soendre_land = copy.organisation
    assert soendre_land.name == NEW_ORGANISATION and soendre_land != nordre_land
    assert soendre_land.slug == "sondre-land-kommune"
    assert "ny organisasjon: Søndre Land kommune" in output and "kortnavn: kopi" in output
    # The same programme, object for object ...
    assert copy.name == rich_plan.name and copy.start_date == rich_plan.start_date
    # Nobody from the original is a member of the copy: its roles are granted anew (grant_role, Medlemmer).
    assert part_counts(copy) == {**original_counts, "portfolio.programmerole": 0}
    assert original_counts["measures.proposal"] > 0 and original_counts["risks.risk"] > 0
    assert original_counts["portfolio.programmerole"] == 4
    # ... with its own people, in Søndre Land: the same names, none of them Nordre Land's.
    assert sorted(p["name"] for p in data["people"]) == [name for _pk, name, _user in people_of(soendre_land)]
    copied_people = set(Person.objects.filter(organisation=soendre_land))
    used = {m.person for m in Membership.objects.filter(programme=copy)}
    used |= {a.responsible for a in Activity.objects.filter(programme=copy) if a.responsible_id}
    used |= {p for a in Activity.objects.filter(programme=copy) for p in a.working_group.all()}
    used |= {r.owner for r in Risk.objects.filter(programme=copy) if r.owner_id}
    assert used and used <= copied_people
    report = RevisionReport.objects.get(programme=copy, year=2017)
    assert PlanSnapshot.objects.get(programme=copy).report == report
    # The original is untouched: the same counts, the same people, the same file.
    rich_plan.refresh_from_db()
    assert rich_plan.organisation == nordre_land
    assert part_counts(rich_plan) == original_counts
    assert people_of(nordre_land) == original_people
    assert backup.dumps({**export_to(tmp_path / "igjen.json"), "exported_at": None}) == original_file


def test_the_copy_exports_like_the_original_but_for_its_slug_and_organisation(rich_plan, tmp_path):
    ProgrammeRole.objects.filter(programme=rich_plan).delete()  # a copy starts without members (tested above)
    path = tmp_path / "program.json"
    original = export_to(path)
    import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION)

    copy = export_to(tmp_path / "kopi.json", slug="kopi")

    assert copy["programme"] == {**original["programme"], "slug": "kopi"}
    assert copy["organisation"]["name"] == NEW_ORGANISATION
    assert (copy["objects"], copy["people"], copy["users"]) == (
        original["objects"],
        original["people"],
        original["users"],
    )


def test_importing_the_same_copy_twice_is_refused_and_changes_nothing(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    export_to(path)
    import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION)
    before = everything()

    with pytest.raises(CommandError, match="Programmet «kopi» finnes allerede. Bruk --replace"):
        import_file(path, "--slug", "kopi", "--organisation", "Enda en kommune")

    assert everything() == before
    assert not Organisation.objects.filter(name="Enda en kommune").exists()


def test_replace_with_slug_replaces_the_copy_and_not_the_original(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    export_to(path)
    import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION)
    original = part_counts(rich_plan)
    Risk.objects.filter(programme__slug="kopi").first().delete()

    output = import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION, "--replace")

    assert "er erstattet" in output and "ny organisasjon" not in output
    assert part_counts(Programme.objects.get(slug="kopi")) == {**original, "portfolio.programmerole": 0}
    assert part_counts(rich_plan) == original
    assert Organisation.objects.filter(name=NEW_ORGANISATION).count() == 1


def test_a_copy_in_the_same_organisation_uses_its_people(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    export_to(path)
    people = people_of(rich_plan.organisation)

    output = import_file(path, "--slug", "kopi")

    copy = Programme.objects.get(slug="kopi")
    assert copy.organisation == rich_plan.organisation
    assert people_of(rich_plan.organisation) == people
    assert "nye personer" not in output and "ny organisasjon" not in output
    assert part_counts(copy) == {**part_counts(rich_plan), "portfolio.programmerole": 0}


def test_people_are_never_taken_from_another_organisation(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    export_to(path)
    soendre_land = Organisation.objects.create(name=NEW_ORGANISATION, slug="sondre-land")
    name = Membership.objects.filter(programme=rich_plan).order_by("pk").first().person.name
    there = Person.objects.create(organisation=soendre_land, name=name, title="Finnes fra før")

    import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION)

    copy = Programme.objects.get(slug="kopi")
    assert copy.organisation == soendre_land
    members = {m.person for m in Membership.objects.filter(programme=copy)}
    assert there in members  # the person of that name in Søndre Land
    assert all(person.organisation == soendre_land for person in members)
    assert Person.objects.filter(organisation=soendre_land, name=name).count() == 1


def test_a_user_is_not_linked_to_two_people_of_one_organisation(rich_plan, tmp_path, project_leader):
    person = Membership.objects.filter(programme=rich_plan).order_by("pk").first().person
    person.user = project_leader
    person.save()
    path = tmp_path / "program.json"
    data = export_to(path)
    assert {"name": person.name, "user": "leder"}.items() <= next(
        p for p in data["people"] if p["name"] == person.name
    ).items()
    soendre_land = Organisation.objects.create(name=NEW_ORGANISATION, slug="sondre-land")
    other = Person.objects.create(organisation=soendre_land, name="Noen andre", user=project_leader)

    import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION)

    copied = Person.objects.get(organisation=soendre_land, name=person.name)
    assert copied.user is None
    assert list(Person.objects.filter(organisation=soendre_land, user=project_leader)) == [other]
    person.refresh_from_db()
    assert person.user == project_leader  # in Nordre Land, as before


def test_a_user_becomes_a_person_in_each_organisation(rich_plan, tmp_path, project_leader):
    person = Membership.objects.filter(programme=rich_plan).order_by("pk").first().person
    person.user = project_leader
    person.save()
    path = tmp_path / "program.json"
    export_to(path)

    import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION)

    copied = Person.objects.get(organisation__name=NEW_ORGANISATION, name=person.name)
    assert copied.user == project_leader and copied != person


def test_without_organisation_the_files_organisation_is_found_by_slug_or_created(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    data = export_to(path)
    import_file(path, "--slug", "kopi")
    assert Programme.objects.get(slug="kopi").organisation == rich_plan.organisation

    data["organisation"] = {"name": "Ny kommune", "slug": "ny", "organisation_number": "123456789", "colour": "#123456"}
    path.write_text(backup.dumps(data), encoding="utf-8")
    import_file(path, "--slug", "kopi-2")

    created = Programme.objects.get(slug="kopi-2").organisation
    assert (created.name, created.slug, created.organisation_number, created.colour) == (
        "Ny kommune",
        "ny",
        "123456789",
        "#123456",
    )


def test_dry_run_of_a_copy_creates_no_organisation(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    export_to(path)
    before = everything()

    output = import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION, "--dry-run")

    assert "Ingenting er lagret" in output
    assert everything() == before


@pytest.mark.parametrize("slug", ["kopi av planen", "søndre", "kopi/1", "", "x" * 81])
def test_an_invalid_slug_is_refused_in_norwegian(rich_plan, tmp_path, slug):
    path = tmp_path / "program.json"
    export_to(path)
    before = everything()
    with pytest.raises(CommandError, match="ikke et gyldig kortnavn"):
        import_file(path, "--slug", slug, "--organisation", NEW_ORGANISATION)
    assert everything() == before


def test_an_empty_organisation_name_is_refused(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    export_to(path)
    with pytest.raises(CommandError, match="Navnet på organisasjonen kan ikke være tomt"):
        import_file(path, "--slug", "kopi", "--organisation", "  ")
    assert not Programme.objects.filter(slug="kopi").exists()


def as_version_1(data: dict) -> dict:
    """A version 1 file, as Portefølje wrote it before organisations: the organisation's name is the programme's
    `municipality`, the report models are `portfolio.*`, and there are no programme roles."""
    old = json.loads(json.dumps(data))
    old["version"] = 1
    old["programme"]["municipality"] = old.pop("organisation")["name"]
    objects = old["objects"]
    objects.pop("portfolio.programmerole")
    for name in ("revisionreport", "plansnapshot"):
        objects[f"portfolio.{name}"] = objects.pop(f"reports.{name}")
    return old


def test_a_version_1_file_is_still_read(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    data = export_to(path)
    counts = part_counts(rich_plan)
    path.write_text(backup.dumps(as_version_1(data)), encoding="utf-8")
    Programme.objects.get(slug=SLUG).delete()

    output = import_file(path)

    assert "er lest inn" in output and "ny organisasjon" not in output
    plan = Programme.objects.get(slug=SLUG)
    assert plan.organisation.slug == "nordre-land"  # found by name
    assert part_counts(plan) == {**counts, "portfolio.programmerole": 0}
    report = RevisionReport.objects.get(programme=plan, year=2017)
    assert report.snapshots.get().data == {"activities": {"HA01": {"x": 1}}}


def test_a_version_1_file_as_a_copy_in_a_new_organisation(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    path.write_text(backup.dumps(as_version_1(export_to(path))), encoding="utf-8")

    import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION)

    copy = Programme.objects.get(slug="kopi")
    assert copy.organisation.name == NEW_ORGANISATION
    assert RevisionReport.objects.filter(programme=copy).count() == 1
    assert Person.objects.filter(organisation=copy.organisation).exists()


def test_a_version_1_file_creates_its_municipality_when_missing(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    old = as_version_1(export_to(path))
    old["programme"]["municipality"] = "Østre Toten kommune"
    path.write_text(backup.dumps(old), encoding="utf-8")

    import_file(path, "--slug", "toten")

    organisation = Programme.objects.get(slug="toten").organisation
    assert (organisation.name, organisation.slug) == ("Østre Toten kommune", "ostre-toten-kommune")


def test_a_version_1_file_without_municipality_gets_a_norwegian_error(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    old = as_version_1(export_to(path))
    del old["programme"]["municipality"]
    path.write_text(backup.dumps(old), encoding="utf-8")
    with pytest.raises(CommandError, match="Filen mangler delen «programme.municipality»"):
        import_file(path, "--slug", "kopi")


def test_export_refuses_a_person_of_another_organisation(rich_plan):
    stranger = Person.objects.create(organisation=Organisation.objects.create(name="Annen", slug="annen"), name="X")
    activity = Activity.objects.filter(programme=rich_plan).first()
    activity.responsible = stranger
    activity.save()
    with pytest.raises(CommandError, match="Personen «X» brukes i programmet, men hører til Annen"):
        call_command("export_programme", SLUG, stdout=io.StringIO())


def test_roles_and_who_granted_them_survive_the_round_trip(rich_plan, tmp_path, project_leader, outsider):
    ProgrammeRole.objects.create(user=outsider, programme=rich_plan, role="prosjektgruppe", granted_by=project_leader)
    path = tmp_path / "program.json"
    data = export_to(path)
    granted = {(r["user"], r["role"]): r for r in data["objects"]["portfolio.programmerole"]}
    assert granted[("utenfor", "prosjektgruppe")]["granted_by"] == "leder"
    at = ProgrammeRole.objects.get(user=outsider, programme=rich_plan).granted_at

    import_file(path, "--replace")

    role = ProgrammeRole.objects.get(user=outsider, programme__slug=SLUG)
    assert (role.role, role.granted_by, role.granted_at) == ("prosjektgruppe", project_leader, at)
    import_file(path, "--slug", "kopi", "--organisation", NEW_ORGANISATION)
    assert not ProgrammeRole.objects.filter(programme__slug="kopi").exists()

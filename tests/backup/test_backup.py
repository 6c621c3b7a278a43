"""Backup and restore of a whole programme: export → delete → import → export gives the same file."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from backup import programme_file as backup
from benefits.models import Benefit
from measures.models import Proposal, RevisionRound
from portfolio.models import Activity, ImportJob, Organisation, OrganisationMember, Person, Programme
from reports.models import RevisionReport
from risks.models import Risk
from tests import factories

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"


def export(**options) -> dict:
    out = io.StringIO()
    call_command("export_programme", SLUG, stdout=out, **options)
    return json.loads(out.getvalue())


def canonical(data: dict) -> dict:
    """The export without the moment it was made: what must be equal before and after a round trip."""
    return {key: value for key, value in data.items() if key != "exported_at"}


def import_file(path, *args) -> str:
    out = io.StringIO()
    call_command("import_programme", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_every_model_of_a_programme_is_in_the_export():
    """A new model in an app must be added to backup.PARTS, or it would silently be missing from backups."""
    # Not parts of a programme: the programme itself, the organisation with its people and staff, and the
    # bookkeeping of background imports (an import's outcome is in the rows it imported).
    covered = backup.PART_MODELS | {Programme, Person, Organisation, OrganisationMember, ImportJob}
    for label in ("portfolio", "documents", "measures", "risks", "milestones", "benefits", "reports"):
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                assert model in covered, f"{model._meta.label} mangler i backup.programme_file.PARTS"


def test_round_trip_export_delete_import_gives_the_same_programme(rich_plan, tmp_path):
    before = export()
    path = tmp_path / "program.json"
    path.write_text(backup.dumps(before), encoding="utf-8")
    risk_code = Risk.objects.filter(programme=rich_plan).order_by("code").first().code
    rf_before = list(
        Risk.objects.get(programme=rich_plan, code=risk_code)
        .assessments.order_by("assessed_on", "id")
        .values_list("assessed_on", "rf")
    )

    Programme.objects.get(slug=SLUG).delete()
    assert not Proposal.objects.exists()
    output = import_file(path)
    after = export()

    assert canonical(after) == canonical(before)
    assert "er lest inn" in output and "forslag til tiltak:" in output
    # Specific values survived, not only "something equal": the life cycle in order, the RF history, ...
    plan = Programme.objects.get(slug=SLUG)
    proposal = Proposal.objects.get(programme=plan, title="Digital søknad om SFO-plass")
    assert proposal.status == Proposal.Status.PRIORITISED
    assert proposal.submitted_by.username == "ansatt"
    assert [(t.from_status, t.to_status, t.by.username, t.comment) for t in proposal.transitions.all()] == [
        ("submitted", "screening", "leder", "Ser på den"),
        ("screening", "prioritised", "styring", "Prioritert av SG"),
    ]
    risk = Risk.objects.get(programme=plan, code=risk_code)
    rf_after = list(risk.assessments.order_by("assessed_on", "id").values_list("assessed_on", "rf"))
    assert rf_after == rf_before
    assert rf_after[-2:] == [(date(2018, 3, 1), 20), (date(2018, 9, 1), 6)]
    benefit = Benefit.objects.filter(plan__programme=plan).order_by("pk").first()
    assert list(benefit.measurements.values_list("value", flat=True)) == [Decimal("12.50"), Decimal("20.00")]
    activity = Activity.objects.get(programme=plan, code="HA04")
    assert sorted(activity.working_group.values_list("name", flat=True)) == list(
        Person.objects.order_by("name").values_list("name", flat=True)[:3]
    )
    status = activity.status_reports.get(period_end=date(2018, 5, 31))
    assert (status.time, status.author.username, status.comment) == ("red", "leder", "Forsinket levering")
    report = RevisionReport.objects.get(programme=plan, year=2017)
    assert report.state == "done" and report.pdf.name.endswith(".pdf")
    assert report.snapshots.get().data == {"activities": {"HA01": {"x": 1}}}
    # The import is recorded in the audit history of the new objects.
    assert proposal.history.earliest().history_change_reason == backup.CHANGE_REASON


def test_export_has_no_database_ids_and_a_format_version(rich_plan):
    data = export()
    assert data["format"] == "portefolje-programme" and data["version"] == 2
    text = json.dumps(data)
    assert '"id"' not in text and '"programme_id"' not in text
    assert {"leder", "styring", "ansatt"} <= {user["username"] for user in data["users"]}
    assert all("password" not in user for user in data["users"])


def test_import_into_an_empty_database_creates_people_and_inactive_users(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    call_command("export_programme", SLUG, str(path), stderr=io.StringIO())
    before = canonical(json.loads(path.read_text(encoding="utf-8")))
    Programme.objects.all().delete()
    Person.objects.all().delete()
    Organisation.objects.all().delete()
    get_user_model().objects.all().delete()

    err = io.StringIO()
    call_command("import_programme", str(path), stdout=io.StringIO(), stderr=err)

    assert canonical(export()) == before
    leader = get_user_model().objects.get(username="leder")
    assert not leader.is_active and not leader.has_usable_password()
    assert "brukeren «leder» fantes ikke" in err.getvalue()
    assert Person.objects.filter(user=leader).exists() == any(p["user"] == "leder" for p in before["people"])


def test_import_refuses_an_existing_programme_without_replace(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    path.write_text(backup.dumps(export()), encoding="utf-8")
    count = Proposal.objects.count()
    with pytest.raises(CommandError, match="finnes allerede. Bruk --replace"):
        import_file(path)
    assert Proposal.objects.count() == count


def test_replace_round_trip_deletes_what_was_added_since(rich_plan, tmp_path):
    before = export()
    path = tmp_path / "program.json"
    path.write_text(backup.dumps(before), encoding="utf-8")
    factories.proposal(rich_plan, title="Lagt til etter eksporten", revision_round=RevisionRound.objects.first())

    output = import_file(path, "--replace")

    assert "er erstattet" in output
    assert canonical(export()) == canonical(before)
    assert not Proposal.objects.filter(title="Lagt til etter eksporten").exists()
    assert Programme.objects.filter(slug=SLUG).count() == 1


def test_dry_run_saves_nothing(rich_plan, tmp_path):
    path = tmp_path / "program.json"
    path.write_text(backup.dumps(export()), encoding="utf-8")
    Programme.objects.get(slug=SLUG).delete()
    output = import_file(path, "--dry-run")
    assert "Ingenting er lagret" in output
    assert not Programme.objects.filter(slug=SLUG).exists()


def test_with_files_restores_the_pdf_on_a_new_server(rich_plan, tmp_path, media_root):
    data = export(with_files=True)
    name = RevisionReport.objects.get(programme=rich_plan, year=2017).pdf.name
    assert data["files"][name]
    path = tmp_path / "program.json"
    path.write_text(backup.dumps(data), encoding="utf-8")
    Programme.objects.get(slug=SLUG).delete()
    (media_root / name).unlink()  # a new server: the file is not there

    import_file(path)

    report = RevisionReport.objects.get(year=2017, programme__slug=SLUG)
    with report.pdf.open("rb") as handle:
        assert handle.read() == b"%PDF-1.7 test"


def _counts() -> dict:
    return {model: model.objects.count() for model in (Programme, Proposal, Risk, Person, get_user_model())}


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda text: text[: len(text) // 2], "ikke gyldig JSON"),  # truncated
        (lambda text: "{nei", "ikke gyldig JSON"),
        (lambda text: text.replace('"version": 2', '"version": 99'), "formatversjon 99"),
        (lambda text: json.dumps({"format": "noe annet"}), "ikke en programeksport"),
        (lambda text: text.replace('"username": "styring"', '"username": "styring2"'), "brukeren «styring»"),
        (lambda text: text.replace('"probability": 4', '"probability": 9'), "risikovurdering nr."),
    ],
    ids=["truncated", "not-json", "wrong-version", "not-an-export", "missing-user", "bad-value"],
)
def test_a_bad_file_gets_a_norwegian_error_and_changes_nothing(rich_plan, tmp_path, mangle, message):
    text = backup.dumps(export())
    Programme.objects.get(slug=SLUG).delete()  # so that only the file's faults can stop the import
    path = tmp_path / "program.json"
    path.write_text(mangle(text), encoding="utf-8")
    before = _counts()
    with pytest.raises(CommandError, match=message):
        import_file(path)
    assert _counts() == before


def test_commands_exit_non_zero_with_a_message(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    path = tmp_path / "tull.json"
    path.write_text("{", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_programme", str(path), "--skip-checks"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "VAR_DIR": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "ikke gyldig JSON" in result.stderr


def test_export_of_an_unknown_programme_is_refused():
    with pytest.raises(CommandError, match="Fant ikke programmet «finnes-ikke»"):
        call_command("export_programme", "finnes-ikke", stdout=io.StringIO())


def test_a_value_the_database_refuses_rolls_everything_back(rich_plan, tmp_path):
    data = export()
    data["objects"]["portfolio.phase"][1]["number"] = data["objects"]["portfolio.phase"][0]["number"]
    Programme.objects.get(slug=SLUG).delete()
    path = tmp_path / "program.json"
    path.write_text(backup.dumps(data), encoding="utf-8")
    before = _counts()
    with pytest.raises(CommandError, match="fase nr. 2"):
        import_file(path)
    assert _counts() == before
    assert not Programme.objects.filter(slug=SLUG).exists()

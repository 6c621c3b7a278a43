"""`manage.py revision_report` writes the report synchronously and refuses bad input in Norwegian."""

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from reports.models import RevisionReport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_command_writes_the_pdf(plan, tmp_path, capsys):
    output = tmp_path / "rapport.pdf"
    call_command("revision_report", "--year", "2017", "--output", str(output), "--program", plan.slug)
    reader = PdfReader(output)
    assert len(reader.pages) > 1
    assert "Rulleringsrapport 2017" in reader.pages[0].extract_text()
    assert "Skrev rulleringsrapporten for 2017" in capsys.readouterr().out
    # The same code path as the task: the run is recorded like an ordered report.
    assert RevisionReport.objects.get(programme=plan, year=2017).state == RevisionReport.State.DONE


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "tjuesytten"], "Ugyldig år «tjuesytten»"),
        (["--year", "2030"], "Året 2030 ligger utenfor programmet"),
        (["--year", "2017", "--program", "finnes-ikke"], "Fant ikke programmet «finnes-ikke»"),
    ],
)
def test_command_refuses_bad_input(plan, tmp_path, args, message):
    output = tmp_path / "rapport.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("revision_report", *args, "--output", str(output))
    assert not output.exists()
    assert not RevisionReport.objects.exists()


def test_command_refuses_a_missing_output_folder(plan, tmp_path):
    with pytest.raises(CommandError, match="finnes ikke"):
        call_command("revision_report", "--year", "2017", "--output", str(tmp_path / "nei" / "r.pdf"))

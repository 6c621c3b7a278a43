"""Large imports run as a background job: the request stores and queues, the page follows, all or nothing.

Here Celery runs eagerly (no REDIS_URL): a queued job runs when the request's transaction commits, which
`django_capture_on_commit_callbacks(execute=True)` reproduces. With `execute=False` the job stays queued, as
it does when the web request has answered and no worker has taken it yet. tests/config/test_worker.py runs a
large import through a real worker.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from common import spreadsheets
from measures.models import Proposal
from portfolio import imports
from portfolio.models import ImportJob
from portfolio.tasks import requeue_stuck_import_jobs, run_import_job
from risks.models import Risk
from tests import factories

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
HEADER = "Tittel;Hovedområde;Enhet;Kostnadsestimat;Innsendt"


def proposal_sheet(n: int, bad_rows=()) -> bytes:
    lines = [HEADER]
    for i in range(n):
        area = "Finnes ikke" if i + 2 in bad_rows else "Velferdsteknologi"
        lines.append(f"Stort forslag {i};{area};Helse/Omsorg;1 500;15.03.2017")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def background(settings):
    """Every upload counts as large, and batches are small, so a few rows show the batching and progress."""
    settings.IMPORT_BACKGROUND_BYTES = 10
    original = spreadsheets.IMPORT_BATCH_ROWS
    spreadsheets.IMPORT_BATCH_ROWS = 3
    yield
    spreadsheets.IMPORT_BATCH_ROWS = original


@pytest.fixture
def leader(client, project_leader):
    client.force_login(project_leader)
    return client


def upload(client, url_name, content: bytes, name="forslag.csv", **data):
    return client.post(reverse(url_name, args=[SLUG]), {"file": SimpleUploadedFile(name, content), **data})


def test_the_request_only_queues_the_import_and_the_page_shows_it_waiting(background, leader, plan):
    before = Proposal.objects.count()
    response = upload(leader, "proposal_import", proposal_sheet(10))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("import_job", args=[SLUG, job.pk])
    assert Proposal.objects.count() == before  # nothing imported inside the request
    page = leader.get(response.url)
    assert page.status_code == 200
    assert "I kø" in page.text
    assert "every 1s" in page.text  # htmx keeps asking while the job is unfinished


def test_a_preview_job_saves_nothing_and_its_confirmation_imports_everything_once(
    background, leader, plan, django_capture_on_commit_callbacks
):
    before = Proposal.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(leader, "proposal_import", proposal_sheet(10))
    preview = ImportJob.objects.get()
    page = leader.get(response.url)
    assert page.status_code == 200
    assert "Forhåndsvisning: 10 nye og 0 endrede rader" in page.text
    assert "Stort forslag 9" in page.text
    assert "every 1s" not in page.text  # finished: no more polling
    assert Proposal.objects.count() == before

    confirm_url = reverse("import_job_confirm", args=[SLUG, preview.pk])
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = leader.post(confirm_url)
    job = ImportJob.objects.get(confirms=preview)
    assert confirmed.url == reverse("import_job", args=[SLUG, job.pk])
    assert "Importert: 10 nye og 0 endrede rader." in leader.get(confirmed.url).text
    assert Proposal.objects.count() == before + 10

    # A second click (or a second project leader) follows the first confirmation instead of importing again.
    with django_capture_on_commit_callbacks(execute=True):
        again = leader.post(confirm_url)
    assert again.url == confirmed.url
    assert ImportJob.objects.filter(confirms=preview).count() == 1
    assert Proposal.objects.count() == before + 10


def test_errors_in_any_batch_are_reported_with_the_sheets_row_numbers_and_nothing_is_kept(
    background, leader, plan, django_capture_on_commit_callbacks
):
    before = Proposal.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(leader, "proposal_import", proposal_sheet(10, bad_rows=(3, 9)))
    job = ImportJob.objects.get()
    assert [row for row, _column, _message in job.errors] == [3, 9]  # batches of 3 rows: the 1st and the 3rd
    page = leader.get(response.url)
    assert page.status_code == 422
    assert "2 feil – ingenting er lagret" in page.text
    assert '<td class="num">9</td><td>Hovedområde</td>' in page.text
    assert "Bekreft import" not in page.text
    assert leader.post(reverse("import_job_confirm", args=[SLUG, job.pk])).status_code == 409
    assert Proposal.objects.count() == before


def test_a_running_job_shows_how_far_it_has_come(background, leader, plan):
    job = ImportJob.objects.create(
        programme=plan, kind="forslag", filename="stor.csv", file="imports/stor.csv", state=ImportJob.State.RUNNING
    )
    url = reverse("import_job", args=[SLUG, job.pk])
    assert "Leser og kontrollerer filen" in leader.get(url).text
    imports._progress_reporter(job.pk)(4000, 20000)  # what the import calls after each batch
    page = leader.get(url, HTTP_HX_REQUEST="true")
    assert page.text.lstrip().startswith('<section id="job-state"')  # only the partial for htmx
    assert '<progress value="4000" max="20000">' in page.text
    assert "4\xa0000 av 20\xa0000 rader er behandlet." in page.text


def test_risks_and_benefits_go_through_the_same_job(background, leader, plan, django_capture_on_commit_callbacks):
    sheet = b"Nr.;Risikofaktor;S;K\nN1;Stor risiko;2;3\nN2;Enda en;1;1\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(leader, "risk_import", sheet, name="risikoer.csv")
    assert response.status_code == 302
    assert "Importert: 2 nye og 0 endrede rader." in leader.get(response.url).text
    assert Risk.objects.filter(programme=plan, code__in=["N1", "N2"]).count() == 2

    plan_ = factories.benefit_plan(plan, plan.activities.get(code="HA05"))
    benefit = plan_.benefits.first()
    sheet = f"Gevinst-ID;Dato;Verdi\n{benefit.pk};31.12.2018;5\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(leader, "benefit_import", sheet, name="m.csv", kind="malinger", dry_run="on")
    page = leader.get(response.url)
    assert "Forhåndsvisning: 1 nye og 0 endrede rader" in page.text
    assert not benefit.measurements.exists()


def test_a_job_whose_file_is_gone_fails_with_a_norwegian_message(background, leader, plan):
    job = ImportJob.objects.create(programme=plan, kind="forslag", filename="borte.csv", file="imports/borte.csv")
    assert run_import_job.apply(args=[job.pk]).get() is False
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    page = leader.get(reverse("import_job", args=[SLUG, job.pk]))
    assert page.status_code == 422
    assert "Ingenting er lagret" in page.text


def test_a_job_runs_once_and_lost_or_dead_jobs_are_queued_again(background, leader, plan):
    with_file = ImportJob(programme=plan, kind="forslag", filename="f.csv")
    with_file.file.save("f.csv", SimpleUploadedFile("f.csv", proposal_sheet(2)))
    assert imports.run(with_file.pk) is True
    assert imports.run(with_file.pk) is False  # claimed and done: a repeated message does nothing
    with_file.refresh_from_db()
    assert (with_file.state, with_file.new_rows) == (ImportJob.State.DONE, 2)

    lost = ImportJob(programme=plan, kind="forslag", filename="f.csv")
    lost.file.save("f.csv", SimpleUploadedFile("f.csv", proposal_sheet(3)))
    dead = ImportJob(programme=plan, kind="forslag", filename="f.csv", state=ImportJob.State.RUNNING)
    dead.file.save("f.csv", SimpleUploadedFile("f.csv", proposal_sheet(4)))
    fresh = ImportJob.objects.create(programme=plan, kind="forslag", filename="f.csv", file="imports/f.csv")
    ImportJob.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - timedelta(minutes=5))
    ImportJob.objects.filter(pk=dead.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert sorted(requeue_stuck_import_jobs.apply().get()) == sorted([lost.pk, dead.pk])
    lost.refresh_from_db()
    dead.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.state, lost.new_rows, dead.state, dead.new_rows) == ("done", 3, "done", 4)
    assert fresh.state == ImportJob.State.QUEUED  # just queued: a worker will take it


def test_a_job_is_the_project_leaders_of_its_own_programme(background, client, plan, steering_member, project_leader):
    job = ImportJob.objects.create(programme=plan, kind="forslag", filename="f.csv", file="imports/f.csv")
    other = factories.programme(slug="annet-program")
    stranger = get_user_model().objects.create_user("fremmed", password="x")
    factories.grant(stranger, other, "prosjektleder")
    client.force_login(steering_member)
    assert client.get(reverse("import_job", args=[SLUG, job.pk])).status_code == 403
    client.force_login(stranger)
    assert client.get(reverse("import_job", args=[SLUG, job.pk])).status_code == 404
    assert client.get(reverse("import_job", args=["annet-program", job.pk])).status_code == 404
    client.force_login(project_leader)
    assert client.get(reverse("import_job", args=[SLUG, job.pk + 1000])).status_code == 404


def test_a_small_upload_is_still_imported_in_the_request(leader, plan):
    response = upload(leader, "proposal_import", proposal_sheet(2))
    assert response.status_code == 200
    assert "Forhåndsvisning av forslag.csv: 2 nye og 0 endrede forslag" in response.text
    assert not ImportJob.objects.exists()

"""The project leader orders revision reports, follows their state with htmx and downloads the PDF."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import RevisionReport
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"
LIST_URL = reverse("revision_reports", args=[SLUG])


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_project_leader_orders_a_report_and_downloads_it(
    client, plan, project_leader, django_capture_on_commit_callbacks
):
    client.force_login(project_leader)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(LIST_URL, {"year": "2017", "recommendations": "Satse på velferdsteknologi."})
    assert response.status_code == 302
    assert len(callbacks) == 1  # queued on commit, not before
    report = RevisionReport.objects.get()
    assert (report.year, report.requested_by, report.state) == (2017, project_leader, RevisionReport.State.DONE)
    assert report.recommendations == "Satse på velferdsteknologi."

    page = client.get(LIST_URL)
    assert "Ferdig" in page.text
    download_url = reverse("revision_report_download", args=[SLUG, report.pk])
    assert download_url in page.text

    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_year_outside_the_programme_is_refused(client, plan, project_leader):
    client.force_login(project_leader)
    response = client.post(LIST_URL, {"year": "2030", "recommendations": ""})
    assert response.status_code == 422
    assert "Året må ligge i programmet, 2016–2019." in response.text
    assert not RevisionReport.objects.exists()


def test_status_partial_polls_until_the_report_is_finished(client, plan, project_leader):
    client.force_login(project_leader)
    report = RevisionReport.objects.create(programme=plan, year=2017, requested_by=project_leader)
    url = reverse("revision_report_status", args=[SLUG, report.pk])

    waiting = client.get(url, HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200
    assert "I kø" in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text
    assert "<html" not in waiting.text

    RevisionReport.objects.filter(pk=report.pk).update(state=RevisionReport.State.FAILED, error="Noe gikk galt.")
    failed = client.get(url, HTTP_HX_REQUEST="true")
    assert "Feilet" in failed.text
    assert "Noe gikk galt." in failed.text
    assert "hx-trigger" not in failed.text


def test_status_without_htmx_goes_to_the_list(client, plan, project_leader):
    client.force_login(project_leader)
    report = RevisionReport.objects.create(programme=plan, year=2017, requested_by=project_leader)
    response = client.get(reverse("revision_report_status", args=[SLUG, report.pk]))
    assert response.status_code == 302
    assert response["Location"] == LIST_URL


def test_download_of_an_unfinished_report_is_404(client, plan, project_leader):
    client.force_login(project_leader)
    report = RevisionReport.objects.create(programme=plan, year=2017, requested_by=project_leader)
    assert client.get(reverse("revision_report_download", args=[SLUG, report.pk])).status_code == 404


@pytest.mark.parametrize("user_fixture", ["steering_member", "project_member"])
def test_steering_and_project_group_read_the_reports_but_do_not_order_them(
    client, plan, project_leader, request, user_fixture
):
    report = RevisionReport.objects.create(
        programme=plan, year=2017, requested_by=project_leader, state=RevisionReport.State.DONE
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    client.force_login(request.getfixturevalue(user_fixture))
    page = client.get(LIST_URL)
    assert page.status_code == 200
    assert reverse("revision_report_download", args=[SLUG, report.pk]) in page.text
    assert "Lag rapport" not in page.text
    download = client.get(reverse("revision_report_download", args=[SLUG, report.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.post(LIST_URL, {"year": "2017"}).status_code == 403
    assert RevisionReport.objects.count() == 1


@pytest.mark.parametrize(("user_fixture", "status"), [("staff", 403), ("outsider", 404)])
def test_staff_and_non_members_get_no_reports(client, plan, project_leader, request, user_fixture, status):
    report = RevisionReport.objects.create(programme=plan, year=2017, requested_by=project_leader)
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(LIST_URL).status_code == status
    assert client.post(LIST_URL, {"year": "2017"}).status_code == status
    assert (
        client.get(reverse("revision_report_status", args=[SLUG, report.pk]), HTTP_HX_REQUEST="true").status_code
        == status
    )
    assert client.get(reverse("revision_report_download", args=[SLUG, report.pk])).status_code == status
    assert RevisionReport.objects.count() == 1


def test_anonymous_is_sent_to_login(client, plan):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_nav_links_to_reports_for_everyone_who_reads_the_programme(
    client, plan, project_leader, steering_member, project_member, staff
):
    programme_url = reverse("programme", args=[SLUG])
    for user in (project_leader, steering_member, project_member):
        client.force_login(user)
        assert LIST_URL in client.get(programme_url).text
    client.force_login(staff)
    assert LIST_URL not in client.get(reverse("my_proposals", args=[SLUG])).text


def test_report_list_query_count_does_not_grow_with_reports(client, plan, project_leader):
    """Guards against a query per row for the requesting user."""
    client.force_login(project_leader)
    users = [get_user_model().objects.create_user(f"pl{n}") for n in range(5)]

    def add_report(user):
        RevisionReport.objects.create(
            programme=plan, year=2017, requested_by=user, state=RevisionReport.State.DONE, size=12345, pdf="x.pdf"
        )

    add_report(users[0])
    few = count_queries(client, LIST_URL)
    for user in users[1:]:
        add_report(user)
    assert count_queries(client, LIST_URL) == few

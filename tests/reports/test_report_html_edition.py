"""The HTML edition: the same report from the same data and content template, built and stored with the PDF,
downloadable next to it by exactly those who may download the PDF, and readable at a phone's width."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from reports import revision_report as reports
from reports.models import RevisionReport
from reports.tasks import build_revision_report

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_task_stores_the_html_edition_next_to_the_pdf(client, plan, project_leader, media_root):
    report = RevisionReport.objects.create(programme=plan, year=2017, requested_by=project_leader)
    assert build_revision_report.delay(report.pk).get() is True
    report.refresh_from_db()
    assert report.state == RevisionReport.State.DONE
    assert report.pdf and report.html
    assert len(list(media_root.rglob("*.html"))) == 1

    client.force_login(project_leader)
    page = client.get(reverse("revision_reports", args=[SLUG]))
    html_url = reverse("revision_report_html", args=[SLUG, report.pk])
    assert html_url in page.text and "Last ned HTML-utgave" in page.text

    download = client.get(html_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "text/html; charset=utf-8"
    assert download["Content-Disposition"] == f'attachment; filename="rulleringsrapport-2017-{report.pk}.html"'
    text = b"".join(download.streaming_content).decode()
    assert text.startswith("<!doctype html>") and '<html lang="nb">' in text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert "<title>Rulleringsrapport 2017 – Digitalisering i Nordre Land kommune</title>" in text
    # Self-contained for the website: no link to our server's styles, scripts or images.
    assert not re.search(r'(?:href|src)="/', text)


def test_both_editions_carry_the_same_content(plan):
    data = reports.gather(plan, 2017, recommendations="Fortsett arbeidet.")
    pdf_edition, web_edition = reports.render_html(data), reports.render_html(data, edition="html")

    def content(html):
        start, end = html.index('<header class="cover">'), html.rindex("</section>")
        return html[start:end]

    assert content(pdf_edition) == content(web_edition)
    assert 'class="page-header"' in pdf_edition and 'class="page-header"' not in web_edition


@pytest.mark.parametrize("user_fixture", ["steering_member", "project_member"])
def test_whoever_reads_the_pdf_gets_the_html(client, plan, project_leader, request, user_fixture):
    report = RevisionReport.objects.create(
        programme=plan, year=2017, requested_by=project_leader, state=RevisionReport.State.DONE
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    report.html.save("r.html", ContentFile(b"<!doctype html><html lang=nb></html>"), save=True)
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("revision_report_download", args=[SLUG, report.pk])).status_code == 200
    download = client.get(reverse("revision_report_html", args=[SLUG, report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"<!doctype html>")


@pytest.mark.parametrize(("user_fixture", "status"), [("staff", 403), ("outsider", 404)])
def test_staff_and_non_members_get_no_html(client, plan, project_leader, request, user_fixture, status):
    report = RevisionReport.objects.create(
        programme=plan, year=2017, requested_by=project_leader, state=RevisionReport.State.DONE
    )
    report.html.save("r.html", ContentFile(b"<!doctype html>"), save=True)
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("revision_report_html", args=[SLUG, report.pk])).status_code == status


def test_a_report_from_before_the_html_edition_offers_only_the_pdf(client, plan, project_leader):
    report = RevisionReport.objects.create(
        programme=plan, year=2017, requested_by=project_leader, state=RevisionReport.State.DONE
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    client.force_login(project_leader)
    page = client.get(reverse("revision_reports", args=[SLUG]))
    assert reverse("revision_report_download", args=[SLUG, report.pk]) in page.text
    assert "Last ned HTML-utgave" not in page.text
    assert client.get(reverse("revision_report_html", args=[SLUG, report.pk])).status_code == 404

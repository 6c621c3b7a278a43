"""Reporting a barrier: anyone may, the report is stored once and e-mailed to the chosen programme's project
leaders and the installation's administrators, and nobody of another programme hears of it."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from accessibility.models import BarrierReport
from accessibility.tasks import deliver_barrier_report, send_pending_barrier_reports
from portfolio.roles import PROJECT_LEADER, STEERING_GROUP
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("accessibility_statement")


@pytest.fixture
def people(plan, project_leader, steering_member):
    """The plan's project leader, a steering member, an administrator, and another programme with its leader."""
    User = get_user_model()
    project_leader.email = "leder@nordre-land.example"
    project_leader.save()
    steering_member.email = "styring@nordre-land.example"
    steering_member.save()
    admin = User.objects.create_superuser("drift", "drift@kommune.example", "x")
    User.objects.create_superuser("gammel", "gammel@kommune.example", "x", is_active=False)
    other = factories.programme(name="Søndre Velferd", slug="sondre-velferd")
    other_leader = User.objects.create_user("leder2", "leder2@sondre.example", "x")
    factories.grant(other_leader, other, PROJECT_LEADER)
    factories.grant(steering_member, other, STEERING_GROUP)
    return {"admin": admin, "other": other, "other_leader": other_leader}


def form_data(**overrides):
    return {
        "location": "/program/nordre-land-digitalisering/risiko/",
        "description": "Risikokartet kan ikke brukes med skjermleser.",
        "name": "Kari",
        "email": "kari@example.no",
        "submission_token": str(uuid.uuid4()),
        **overrides,
    }


def test_an_anonymous_report_is_stored_and_reaches_the_project_leader_and_the_administrator(
    client, plan, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(programme=plan.pk))
    assert response.status_code == 302 and response["Location"] == reverse("accessibility_thanks")
    report = BarrierReport.objects.get()
    assert (report.programme, report.name, report.email) == (plan, "Kari", "kari@example.no")
    assert report.notified_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["drift@kommune.example", "leder@nordre-land.example"]
    assert "Risikokartet kan ikke brukes med skjermleser." in message.body
    assert plan.name in message.body and "kari@example.no" in message.body
    assert "\n" not in message.subject and "/program/nordre-land-digitalisering/risiko/" in message.subject
    receipt = client.get(response["Location"])
    assert "Takk for meldingen!" in receipt.text


def test_nothing_goes_to_another_programme_or_to_members_who_do_not_lead(
    client, plan, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(programme=plan.pk))
    sent = mail.outbox[0]
    everything = " ".join([*sent.to, *sent.cc, *sent.bcc, sent.subject, sent.body])
    for word in ("leder2@sondre.example", "styring@nordre-land.example", "gammel@kommune.example", "Søndre Velferd"):
        assert word not in everything


def test_a_report_for_the_other_programme_goes_to_its_leader_not_the_plans(
    client, plan, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(programme=people["other"].pk))
    assert sorted(mail.outbox[0].to) == ["drift@kommune.example", "leder2@sondre.example"]
    assert plan.name not in mail.outbox[0].body


def test_a_report_without_a_programme_goes_to_the_administrators_and_admins(
    client, plan, people, settings, django_capture_on_commit_callbacks
):
    settings.ADMINS = [("Drift", "IT@Kommune.example"), ("Drift igjen", "drift@kommune.example")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(name="", email=""))
    assert response.status_code == 302
    assert sorted(mail.outbox[0].to, key=str.lower) == ["drift@kommune.example", "IT@Kommune.example"]
    assert "Avsenderen oppga ingen e-post" in mail.outbox[0].body


def test_the_same_form_sent_twice_is_one_report_and_one_email(client, plan, people, django_capture_on_commit_callbacks):
    data = form_data(programme=plan.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, data)
        second = client.post(URL, data)
    assert first.status_code == second.status_code == 302
    assert BarrierReport.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_email_is_sent_once_even_when_the_task_runs_twice(client, plan, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(programme=plan.pk))
    report = BarrierReport.objects.get()
    assert deliver_barrier_report(report.pk) is False
    assert send_pending_barrier_reports() == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_by_the_sweep(client, plan, people, settings):
    report = BarrierReport.objects.create(location="/", description="Knappen svarer ikke.", programme=plan)
    settings.EMAIL_BACKEND = "tests.accessibility.broken_mail.Backend"
    with pytest.raises(OSError):
        deliver_barrier_report(report.pk)
    report.refresh_from_db()
    assert report.notified_at is None  # the claim was released
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    BarrierReport.objects.filter(pk=report.pk).update(created_at=report.created_at - timedelta(minutes=11))
    assert send_pending_barrier_reports() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"location": ""}, "Skriv hvor du fant feilen"),
        ({"description": "   "}, "Beskriv hva som skjedde."),
        ({"email": "ikke-en-adresse"}, "Skriv en gyldig e-postadresse."),
        ({"programme": "999999"}, "Velg et program fra listen."),
        ({"programme": "abc"}, "Velg et program fra listen."),
        ({"location": "x" * 501}, "Skriv høyst 500 tegn."),
    ],
)
def test_bad_input_gets_a_norwegian_error_and_saves_nothing(client, plan, people, data, message):
    response = client.post(URL, form_data(**data))
    assert response.status_code == 422
    assert message in response.text
    assert not BarrierReport.objects.exists()
    assert not mail.outbox


def test_an_empty_post_is_refused_cleanly(client, plan):
    response = client.post(URL, {})
    assert response.status_code == 422
    assert "Beskriv hva som skjedde." in response.text
    assert not BarrierReport.objects.exists()


def test_the_honeypot_is_thanked_and_nothing_is_saved(client, plan, people):
    response = client.post(URL, form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not BarrierReport.objects.exists() and not mail.outbox


def test_a_flood_from_one_address_is_stopped(client, plan, people):
    for _ in range(10):
        assert client.post(URL, form_data()).status_code == 302
    response = client.post(URL, form_data())
    assert response.status_code == 429
    assert "Prøv igjen om en time" in response.text
    assert BarrierReport.objects.count() == 10


def test_a_logged_in_user_reports_the_same_way(
    client, plan, people, project_leader, django_capture_on_commit_callbacks
):
    client.force_login(project_leader)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, form_data(programme=plan.pk)).status_code == 302
    assert BarrierReport.objects.count() == 1 and len(mail.outbox) == 1


def test_an_oversized_anonymous_report_is_refused_unread(client, plan, settings):
    settings.ANONYMOUS_MAX_BODY_BYTES = 1024
    response = client.post(URL, form_data(description="x" * 4000))
    assert response.status_code == 413
    assert not BarrierReport.objects.exists()

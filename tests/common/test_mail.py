"""E-mails are rendered from text templates, and a subject always arrives as one header-safe line."""

import pytest
from django.conf import settings
from django.utils import timezone, translation

from common.mail import one_line, send_templated_mail
from measures.models import Proposal, ProposalTransition
from measures.tasks import send_status_email
from tests import factories

S = Proposal.Status
TITLE = "Ny\r\nskjemaløsning\u2028for\tSFO"


@pytest.mark.parametrize(
    "text",
    ["Ny\nsøknad", "Ny\r\nsøknad", "Ny\rsøknad", "Ny\u2028søknad", "Ny\u2029søknad", "Ny\tsøknad", "Ny\x85søknad"],
)
def test_line_breaks_and_control_characters_become_one_space(text):
    assert one_line(f"\n {text}\r\n") == "Ny søknad"


@pytest.mark.django_db
def test_status_email_subject_is_one_line_and_body_comes_from_the_templates(plan, mailoutbox):
    proposal = factories.proposal(plan, title=TITLE, submitter_email="innbygger@example.org")
    transition = ProposalTransition.objects.create(
        proposal=proposal,
        from_status=S.SUBMITTED,
        to_status=S.SCREENING,
        at=timezone.now(),
        comment="Vi ser på det & kommer <tilbake>",
    )

    with translation.override("nb"):  # another test may have left English active in this thread
        assert send_status_email(transition.pk) is True

    (message,) = mailoutbox
    assert message.subject == "Forslaget ditt «Ny skjemaløsning for SFO» har fått ny status"
    assert len(message.subject.splitlines()) == 1
    assert not any(c in message.subject for c in "\r\n\t\u2028")
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.to == ["innbygger@example.org"]
    # The body is the template's text as it was built before, unescaped (plain text), with the title as stored
    # (a title is one line when saved: common.validators.clean_stored_text).
    assert message.body == (
        "Status for forslaget «Ny skjemaløsning for SFO» er endret fra «Innsendt» til «Under vurdering».\n"
        "\n"
        "Kommentar: Vi ser på det & kommer <tilbake>"
    )
    # The message serialises: the subject cannot break the headers.
    assert "Subject:" in message.message().as_string()


def test_templated_mail_renders_subject_and_body_in_the_active_language(mailoutbox):
    context = {"title": "Ny\nSFO", "old": "Submitted", "new": "Under review", "comment": ""}
    with translation.override("en"):
        sent = send_templated_mail("measures/email/status_changed", context, ["a@example.org"])
    assert sent == 1
    (message,) = mailoutbox
    assert message.subject == "Your proposal “Ny SFO” has a new status"
    assert message.body == "The status of the proposal “Ny\nSFO” has changed from “Submitted” to “Under review”."

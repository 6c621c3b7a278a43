"""Every error message a form can show survives Django filling in its figures.

Django formats a validator's message with `message % params` (min_value, max_value, max_length, max_digits, …),
so a literal «%» in a Norwegian message («over 100 %.») raised ValueError and turned a refused value into a 500
(found by hypothesis: «١٢٣» as a discount rate). This walks every message of every field of every form, in both
languages, and formats it the way Django does.
"""

import pytest
from django.utils import translation

from tests.utils import project_form_classes


class AnyParam(dict):
    """Params as Django passes them: any named figure is there."""

    def __missing__(self, key):
        return 1


def messages_of(field):
    for code, message in field.error_messages.items():
        yield code, message
    for validator in getattr(field, "validators", []):
        message = getattr(validator, "message", None)
        if message is not None:
            yield getattr(validator, "code", type(validator).__name__), message


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_form_message_formats_with_its_params(language):
    forms = project_form_classes()
    assert "benefits.forms.BenefitPlanForm" in forms, sorted(forms)
    broken = []
    with translation.override(language):
        for form_name, form_class in forms.items():
            for field_name, field in form_class.base_fields.items():
                for code, message in messages_of(field):
                    try:
                        str(message) % AnyParam()
                    except (ValueError, TypeError) as error:
                        broken.append(f"{form_name}.{field_name} [{code}]: {str(message)!r} ({error})")
    assert not broken, "\n".join(broken)


def test_discount_rate_over_the_limit_is_a_norwegian_error(client, plan, project_leader):
    """The example hypothesis found: a rate above 100 typed with Arabic-Indic digits is refused, not a 500."""
    from django.urls import reverse

    from portfolio.models import Activity

    client.force_login(project_leader)
    activity = Activity.objects.filter(programme=plan).first()
    url = reverse("benefit_plan_create", args=[plan.slug])
    data = {"code": "G99", "title": "Ny plan", "activity": activity.pk, "discount_rate": "١٢٣", "analysis_years": "5"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Renten kan ikke være over 100" in response.content.decode()

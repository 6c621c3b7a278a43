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
    """The example hypothesis found («١٢٣» read as 123, over the 100 % limit) gave a 500. Now the rate's own
    limit message is shown, and digits of other scripts are refused as no number, as the imports refuse them."""
    from django.urls import reverse

    from portfolio.models import Activity

    client.force_login(project_leader)
    activity = Activity.objects.filter(programme=plan).first()
    url = reverse("benefit_plan_create", args=[plan.slug])
    data = {"code": "G99", "title": "Ny plan", "activity": activity.pk, "analysis_years": "5"}
    over = client.post(url, {**data, "discount_rate": "123"})
    assert over.status_code == 422
    assert over.context["form"].errors["discount_rate"] == ["Renten kan ikke være over 100 %."]
    arabic = client.post(url, {**data, "discount_rate": "١٢٣"})
    assert arabic.status_code == 422
    assert arabic.context["form"].errors["discount_rate"] == ["Skriv et tall, for eksempel 1500 eller 12,5."]

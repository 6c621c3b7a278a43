"""The accessibility statement: public, in the structure uustatus.no uses, in Norwegian and English."""

import pytest
from django.conf import settings
from django.urls import reverse

from accessibility import statement

pytestmark = pytest.mark.django_db

URL = reverse("accessibility_statement")


def test_anyone_reads_the_statement_without_logging_in(client, plan):
    response = client.get(URL)
    assert response.status_code == 200
    text = response.text
    assert "Tilgjengelighetserklæring for Portefølje" in text
    assert plan.organisation.name in text  # the owner
    assert "Status for etterlevelse av kravene" in text
    assert statement.LAST_CHECKED.strftime("%Y-%m-%d") in text
    assert "uutilsynet.no" in text


def test_the_statement_lists_every_criterion_with_its_status(client, plan):
    text = client.get(URL).text
    for criterion in statement.CRITERIA:
        assert f"{criterion.number} {criterion.name}" in text, criterion.number
    met = statement.criteria_by_status()[statement.Status.MET]
    assert f"oppfyller {met} av 50 suksesskriterier" in text


def test_the_known_deviations_are_on_the_page_with_the_session_length(client, plan):
    text = client.get(URL).text
    for deviation in statement.DEVIATIONS:
        assert str(deviation.where) in text
    hours = settings.SESSION_COOKIE_AGE // 3600
    assert f"utløper etter {hours} timer" in text


def test_the_method_names_the_checked_pages_and_the_axe_release(client, plan):
    text = client.get(URL).text
    assert f"axe-core {statement.AXE_CORE_VERSION}" in text
    for _name, _kwargs, label in statement.CHECKED_PAGES:
        assert str(label) in text
    for _name, label in statement.CHART_PAGES:
        assert str(label) in text


def test_every_page_links_to_the_statement_from_its_footer(client, plan, project_leader):
    assert reverse("accessibility_statement") in client.get(reverse("login")).text
    client.force_login(project_leader)
    page = client.get(reverse("risk_register", args=[plan.slug])).text
    footer = page[page.index('<footer class="site-footer">') :]
    assert f"{URL}?fra=/program/{plan.slug}/risiko/&amp;program={plan.slug}" in footer


def test_the_footer_link_fills_in_where_and_the_programme(client, plan):
    response = client.get(URL, {"fra": f"/program/{plan.slug}/risiko/", "program": plan.slug})
    form = response.context["form"]
    assert form.initial["location"] == f"/program/{plan.slug}/risiko/"
    assert form.initial["programme"] == plan.pk
    # Only a path of this site is taken, and an unknown programme is no choice.
    form = client.get(URL, {"fra": "https://elsewhere.example/", "program": "finnes-ikke"}).context["form"]
    assert "location" not in form.initial and form.initial.get("programme") is None


def test_the_statement_is_in_english_when_english_is_chosen(client, plan):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(URL)
    assert response.status_code == 200
    assert '<html lang="en">' in response.text

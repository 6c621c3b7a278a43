"""The municipality's colour and logo on its pages and in the revision report, within the CSP and WCAG contrast."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from portfolio.models import contrast_on_white
from reports import revision_report as reports

pytestmark = pytest.mark.django_db

SLUG = "nordre-land-digitalisering"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 80, 158)).save(out, format="PNG")
    return out.getvalue()


def test_contrast_ratio_follows_wcag():
    assert round(contrast_on_white("#000000"), 1) == 21.0
    assert round(contrast_on_white("#ffffff"), 1) == 1.0
    assert contrast_on_white("#00509e") > 4.5
    assert contrast_on_white("#ffcc00") < 4.5


def test_the_pages_link_the_municipalitys_colours_as_a_stylesheet(client, plan, project_leader):
    plan.organisation.colour = "#7a1f5c"
    plan.organisation.save()
    client.force_login(project_leader)
    page = client.get(reverse("programme", args=[SLUG])).text
    theme = reverse("organisation_theme", args=["nordre-land"])
    assert f'href="{theme}?v=' in page
    css = client.get(theme)
    assert css["Content-Type"].startswith("text/css")
    assert "--brand: #7a1f5c;" in css.text and "--accent: #7a1f5c;" in css.text


def test_a_colour_too_light_for_text_only_marks_the_header(client, plan):
    plan.organisation.colour = "#ffcc00"
    plan.organisation.save()
    css = client.get(reverse("organisation_theme", args=["nordre-land"])).text
    assert "--brand: #ffcc00;" in css and "--accent: #00509e;" in css


def test_the_colour_feeds_designsystemets_accent_tokens_only_where_readable(client, plan):
    plan.organisation.colour = "#7a1f5c"
    plan.organisation.save()
    css = client.get(reverse("organisation_theme", args=["nordre-land"])).text
    assert "--ds-color-accent-base-default: #7a1f5c;" in css and "--ds-color-accent-text-subtle: #7a1f5c;" in css
    plan.organisation.colour = "#ffcc00"
    plan.organisation.save()
    css = client.get(reverse("organisation_theme", args=["nordre-land"])).text
    assert "--ds-color-accent-base-default: #00509e;" in css and css.count("#ffcc00") == 1  # --brand only


def test_the_logo_is_shown_on_the_citizens_pages_and_served_from_the_storage(client, plan, media_root):
    plan.organisation.logo.save("nordre-land.png", ContentFile(png()))
    page = client.get(reverse("public_measures", args=[SLUG])).text
    logo = reverse("organisation_logo", args=["nordre-land"])
    assert f'src="{logo}?v=' in page and 'alt="Nordre Land kommune"' in page
    served = client.get(logo)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png()


def test_no_logo_is_a_404_not_a_500(client, plan):
    assert client.get(reverse("organisation_logo", args=["nordre-land"])).status_code == 404
    assert client.get(reverse("organisation_logo", args=["finnes-ikke"])).status_code == 404
    assert client.get(reverse("organisation_theme", args=["finnes-ikke"])).status_code == 404


def test_the_report_carries_the_logo_and_a_readable_colour(plan, media_root):
    plan.organisation.logo.save("nordre-land.png", ContentFile(png()))
    plan.organisation.colour = "#7a1f5c"
    plan.organisation.save()
    html = reports.render_html(reports.gather(plan, 2017))
    assert 'src="data:image/png;base64,' in html
    assert "color: #7a1f5c;" in html


def test_the_pdf_is_marked_with_the_municipalitys_colour_even_when_too_light_for_text(plan):
    plan.organisation.colour = "#ffcc00"
    plan.organisation.save()
    context = reports.gather(plan, 2017)
    assert context["brand"] == "#ffcc00" and context["accent"] == "#00509e"
    html = reports.render_html(context)  # the PDF's edition: a band on the cover and under the running header
    assert "border-top: 6mm solid #ffcc00;" in html and "border-bottom: 1.5pt solid #ffcc00;" in html

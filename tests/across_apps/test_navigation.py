"""The header's menu, the breadcrumbs and the look (#15), without a browser.

Every programme page a project leader opens marks exactly one main-menu item as the current page, and the menu
shows its groups (Plan with its six pages, Medlemmer and Oppsett for the leader). Object pages carry breadcrumbs
(Program › Section › Object). Designsystemet's CSS is vendored and served from static files, and no template
links a stylesheet or script from another site (the CSP allows 'self' only). The admin speaks Norwegian.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.html import escape

from common.validators import PROJECT_APP_LABELS
from tests.across_apps.test_permission_matrix import EXPECTED, make_samples, url_names

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
MAIN_NAV = re.compile(r'<nav class="main-nav"[^>]*>(.*?)</nav>', re.S)
PLAN_GROUP = re.compile(r'<li class="nav-group[^"]*" data-group="plan">(.*?)</details>', re.S)
BREADCRUMBS = re.compile(r'<nav class="ds-breadcrumbs breadcrumbs"[^>]*>(.*?)</nav>', re.S)
PLAN_ITEMS = ["Aktiviteter", "Tidsplan", "Milepæler", "Budsjett", "Status", "SG-agenda"]
TOP_ITEMS = ["Oversikt", "Plan", "Forslag", "Risiko", "Gevinster", "Rapporter", "Medlemmer", "Oppsett"]


@pytest.fixture
def samples(plan, project_leader, staff, project_member):
    return make_samples(
        plan, own=plan.activities.get(code="HA03"), leader=project_leader, staff=staff, group_member=project_member
    )


def _programme_pages(samples) -> list[tuple[str, str]]:
    """(URL name, address) of every programme page that answers the project leader 200."""
    pages = []
    for name in url_names():
        expect = EXPECTED.get(name)
        if expect is None or expect.htmx or expect.get["leader"] != 200:
            continue
        url = reverse(name, kwargs=expect.kwargs(samples) if expect.kwargs else None)
        if url.startswith(f"/program/{samples.slug}/"):
            pages.append((name, url))
    return pages


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_every_programme_page_marks_exactly_one_menu_item(client, project_leader, samples):
    client.force_login(project_leader)
    pages = _programme_pages(samples)
    assert len(pages) > 30
    checked = 0
    for name, url in pages:
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue  # downloads (the workbook, exports, the PDF)
        nav = MAIN_NAV.search(response.text)
        assert nav, name
        current = re.findall(r'aria-current="page">([^<]+)</a>', nav.group(1))
        assert len(current) == 1, (name, url, current)
        checked += 1
    assert checked > 25


@pytest.mark.parametrize(
    ("url_name", "item"),
    [
        ("programme", "Oversikt"),
        ("activity_list", "Aktiviteter"),
        ("schedule", "Tidsplan"),
        ("milestone_overview", "Milepæler"),
        ("budget", "Budsjett"),
        ("status_overview", "Status"),
        ("meeting_agenda", "SG-agenda"),
        ("proposal_list", "Forslag"),
        ("risk_register", "Risiko"),
        ("benefit_overview", "Gevinster"),
        ("revision_reports", "Rapporter"),
        ("programme_members", "Medlemmer"),
        ("programme_setup", "Oppsett"),
    ],
)
def test_the_menu_marks_the_section_of_the_page(client, project_leader, plan, url_name, item):
    client.force_login(project_leader)
    nav = MAIN_NAV.search(client.get(reverse(url_name, args=[plan.slug])).text).group(1)
    assert re.findall(r'aria-current="page">([^<]+)</a>', nav) == [item]
    group = PLAN_GROUP.search(nav)
    assert ("is-current" in group.group(0)) == (item in PLAN_ITEMS)


def test_the_menu_is_grouped_and_the_leader_gets_members_and_setup(client, project_leader, steering_member, plan):
    client.force_login(project_leader)
    html = client.get(reverse("programme", args=[plan.slug])).text
    nav = MAIN_NAV.search(html).group(1)
    group = PLAN_GROUP.search(nav).group(1)
    assert re.findall(r"<a [^>]*>([^<]+)</a>", group) == PLAN_ITEMS
    assert "<summary>Plan</summary>" in group
    top_level = re.sub(r"<details class=\"nav-dropdown\">.*?</details>", "<a>Plan</a>", nav, flags=re.S)
    assert re.findall(r"<a\b[^>]*>([^<]+)</a>", top_level) == TOP_ITEMS
    # The user's own pages sit in a compact menu of their own, outside the main menu.
    user_menu = re.search(r'<details class="user-menu">(.*?)</details>', html, re.S).group(1)
    assert all(text in user_menu for text in ("Kalender", "API-nøkler", "Logg ut"))
    assert "Kalender" not in nav
    # Without JavaScript the menu stays open: the button that collapses it starts hidden.
    assert re.search(r'<button type="button" class="ds-button menu-button"[^>]*aria-expanded="false"[^>]*hidden>', html)

    client.force_login(steering_member)
    nav = MAIN_NAV.search(client.get(reverse("programme", args=[plan.slug])).text).group(1)
    assert "Medlemmer" not in nav and "Oppsett" not in nav and "Gevinster" in nav


@pytest.mark.parametrize(
    ("url_name", "kwargs", "section", "current"),
    [
        ("activity_detail", lambda s: {"code": "HA03"}, "Aktiviteter", "HA03"),
        ("proposal_detail", lambda s: {"pk": s.staff_proposal.pk}, "Forslag", None),
        ("risk_detail", lambda s: {"code": s.risk.code}, "Risikoregister", None),
        ("decision_record", lambda s: {"code": s.point.code}, "Milepæler", None),
        ("milestone_edit", lambda s: {"code": s.milestone.code}, "Milepæler", None),
        ("benefit_plan", lambda s: {"code": s.benefit_plan.code}, "Gevinster", None),
        ("benefit_detail", lambda s: {"code": s.benefit_plan.code, "pk": s.benefit.pk}, "Gevinster", None),
        (
            "status_report_detail",
            lambda s: {"code": s.status_report.activity.code, "pk": s.status_report.pk},
            "Aktiviteter",
            None,
        ),
    ],
)
def test_object_pages_have_breadcrumbs(client, project_leader, plan, samples, url_name, kwargs, section, current):
    client.force_login(project_leader)
    response = client.get(reverse(url_name, kwargs={"slug": plan.slug, **kwargs(samples)}))
    assert response.status_code == 200
    crumbs = BREADCRUMBS.search(response.text)
    assert crumbs, url_name
    items = [_text(li) for li in re.findall(r"<li>(.*?)</li>", crumbs.group(1), re.S)]
    assert items[0] == plan.name and items[1] == section and len(items) in (3, 4)
    assert f'<a href="{reverse("programme", args=[plan.slug])}">' in crumbs.group(1)
    assert crumbs.group(1).count('aria-current="page"') == 1
    if current:
        assert items[-1] == current


def test_designsystemet_is_vendored_and_linked_before_the_apps_stylesheet(client, project_leader, plan):
    for name in ("designsystemet.css", "theme.css", "LICENSE"):
        found = finders.find(f"vendor/designsystemet/{name}")
        assert found and Path(found).stat().st_size > 0, name
    assert ".ds-button" in Path(finders.find("vendor/designsystemet/designsystemet.css")).read_text(encoding="utf-8")
    client.force_login(project_leader)
    html = client.get(reverse("programme", args=[plan.slug])).text
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert [s for s in sheets if "designsystemet" in s or "app.css" in s] == [
        f"{settings.STATIC_URL}vendor/designsystemet/theme.css",
        f"{settings.STATIC_URL}vendor/designsystemet/designsystemet.css",
        f"{settings.STATIC_URL}css/app.css",
    ]
    # The vendored CSS loads nothing from elsewhere (no web fonts, no @import from a CDN).
    for name in ("designsystemet.css", "theme.css"):
        css = Path(finders.find(f"vendor/designsystemet/{name}")).read_text(encoding="utf-8")
        assert "@import" not in css and not re.search(r"url\(\s*['\"]?https?:", css), name


EXTERNAL = re.compile(r"<(?:link|script)\b[^>]*(?:href|src)=[\"']?(?:https?:)?//", re.I)


def test_no_template_links_a_stylesheet_or_script_from_another_site():
    templates = [
        path
        for path in ROOT.rglob("*.html")
        if "templates" in path.parts and not {".venv", "node_modules", "var"} & set(path.parts)
    ]
    assert len(templates) > 50
    offenders = [str(path.relative_to(ROOT)) for path in templates if EXTERNAL.search(path.read_text("utf-8"))]
    assert not offenders


def test_admin_index_speaks_norwegian(client, django_user_model, plan):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="nb").text
    for config in apps.get_app_configs():
        if config.label not in PROJECT_APP_LABELS:
            continue
        # The app's own name (not its Python label) heads its section.
        assert f">{config.label.capitalize()}<" not in html, config.label
        for model in config.get_models():
            english = model.__name__
            plural = english + "s"
            assert f">{plural}<" not in html and f">{english}<" not in html, (config.label, english)
    for english in (
        "Site administration",
        "Authentication and Authorization",
        "Recent actions",
        "Users",
        "Groups",
        "Model name",
        "Add link",
        "Toggle theme",
        "Models in the",
    ):
        assert english not in html, english
    # The project's own admin actions are named in Norwegian too.
    changelist = client.get(reverse("admin:measures_proposal_changelist")).text
    actions = re.findall(r'<option value="[a-z_]+">([^<]+)</option>', changelist)
    assert actions and not [a for a in actions if re.search(r"\b(Export|Delete|selected)\b", a)], actions


# English that the admin showed a superuser in bokmål before locale/nb/ filled in the strings of the packages
# that ship no bokmål (django-axes, django-import-export) and the few that Django's own bokmål catalogue lacks.
THIRD_PARTY_ENGLISH = re.compile(
    r"\b(?:Access(?: attempts?| failures?| logs?| lock out)?|Attempts?|Attempt Time|Attempt Remaining|Failed Logins"
    r"|User Agent|IP Address|Username|Path|Logout Time|Locked Out|Clean up expired attempts|Form Data|Meta Data"
    r"|Export|Import|Submit|Format|Select all|This exporter will export the following fields|selected items?"
    r"|Skip to main content|Show counts|Hide counts|Breadcrumbs|Sidebar|Start typing to filter"
    r"|Filter navigation items|Select all objects on this page for an action|Select this object for an action)\b"
)


def _login_records():
    """An access attempt, failure and log, so that the axes lists show their columns, filters and actions."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    who = {"username": "kari", "ip_address": "192.0.2.7", "user_agent": "Firefox", "http_accept": "*/*"}
    AccessAttempt.objects.create(**who, path_info="/logg-inn/", get_data="", post_data="", failures_since_start=2)
    AccessFailureLog.objects.create(**who, path_info="/logg-inn/", locked_out=True)
    AccessLog.objects.create(**who, path_info="/logg-inn/")
    # With the log of the superuser's own login.
    return [*AccessAttempt.objects.all(), *AccessFailureLog.objects.all(), *AccessLog.objects.all()]


def test_admin_pages_of_third_party_apps_speak_norwegian(client, django_user_model, plan):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    records = _login_records()
    proposals = reverse("admin:measures_proposal_changelist")
    # The export page of django-import-export, as the proposal list in the admin links to it.
    export = reverse("admin:measures_proposal_export")
    assert f'href="{export}' in client.get(proposals, HTTP_ACCEPT_LANGUAGE="nb").text
    pages = {
        "index": client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="nb"),
        "axes": client.get(reverse("admin:app_list", args=["axes"]), HTTP_ACCEPT_LANGUAGE="nb"),
        **{
            model: client.get(reverse(f"admin:axes_{model}_changelist"), HTTP_ACCEPT_LANGUAGE="nb")
            for model in ("accessattempt", "accessfailurelog", "accesslog")
        },
        "export": client.get(export, HTTP_ACCEPT_LANGUAGE="nb"),
        # The export action on selected proposals leads to the same page, counting them.
        "export action": client.post(
            proposals,
            {
                "action": "export_admin_action",
                "_selected_action": list(plan.proposals.values_list("pk", flat=True)[:2]),
            },
            HTTP_ACCEPT_LANGUAGE="nb",
        ),
    }
    english = {}
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.text
        # axes names its records in English in code (AccessAttempt.__str__: "Attempted Access: …"), out of a
        # catalogue's reach; in the lists that name is only the hidden label of a row's checkbox.
        for record in records:
            html = html.replace(escape(str(record)), "")
        english[name] = sorted(set(THIRD_PARTY_ENGLISH.findall(html)))
    assert not any(english.values()), english
    # The pages are the ones meant: the records are listed, with the Norwegian names of models, columns and actions.
    assert ">Innloggingsforsøk<" in pages["index"].text and ">Mislykkede innlogginger<" in pages["index"].text
    attempts = pages["accessattempt"].text
    assert "kari" in attempts and "Rydd bort utløpte innloggingsforsøk" in attempts and "3 forsøk igjen" in attempts
    assert "Gå til hovedinnholdet" in attempts and "Etter tidspunkt" in attempts
    assert "Disse feltene eksporteres:" in pages["export"].text and "Filformat" in pages["export"].text
    # The column checkboxes carry the spreadsheet's Norwegian headers (measures.admin.NorwegianExportForm).
    assert ">Tittel</label>" in pages["export"].text and "Submitter Name" not in pages["export"].text
    assert "Eksporter 2 valgte objekter." in pages["export action"].text
    # The admin's JavaScript (calendar and selector widgets) gets the bokmål of locale/nb/…/djangojs.po too.
    assert '"Sunday": "S\\u00f8ndag"' in client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="nb").text

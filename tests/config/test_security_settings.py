"""Production settings pass Django's deployment checks; every page carries the CSP; CSRF works with htmx."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from common.security import client_ip

SLUG = "nordre-land-digitalisering"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "SECURE_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "portefolje.kommune.no"}


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="portefolje.kommune.no")
    assert result.returncode != 0
    assert "SECRET_KEY må settes når DEBUG er av." in result.stderr


def test_production_values_of_the_security_settings():
    """The values an auditor asks about, as production gets them with nothing but the required env set."""
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.X_FRAME_OPTIONS, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_AGE)"
    )
    result = _manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.stdout.split() == ["True", "True", "True", "31536000", "True", "DENY", "True", "28800"]


def test_pages_carry_a_strict_content_security_policy(client, plan, project_leader):
    client.force_login(project_leader)
    response = client.get(reverse("programme", args=[SLUG]))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_login_page_and_public_pages_carry_the_policy_too(client, plan):
    for url in (reverse("login"), reverse("public_measures", args=[SLUG])):
        assert "script-src 'self'" in client.get(url)["Content-Security-Policy"]


def test_pages_have_no_inline_scripts_styles_or_handlers(client, plan, project_leader):
    """What the CSP would block: checked in the HTML of the main pages (the browser test checks the rest)."""
    import re

    client.force_login(project_leader)
    pages = [
        reverse("programme", args=[SLUG]),
        reverse("proposal_list", args=[SLUG]),
        reverse("risk_register", args=[SLUG]),
        reverse("benefit_overview", args=[SLUG]),
        reverse("schedule", args=[SLUG]),
        reverse("milestone_overview", args=[SLUG]),
        reverse("budget", args=[SLUG]),
    ]
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=|hx-on", re.IGNORECASE)
    for url in pages:
        html = client.get(url).content.decode()
        assert not inline.findall(html), url


@pytest.mark.django_db
def test_htmx_post_needs_the_csrf_header_from_the_body(plan, project_leader):
    """htmx sends the token from <body hx-headers>; without it Django refuses the POST."""
    import json
    import re

    client = Client(enforce_csrf_checks=True)
    client.force_login(project_leader)
    risk = plan.risks.order_by("code").first()
    url = reverse("risk_rescore", args=[SLUG, risk.code])
    page = client.get(reverse("risk_detail", args=[SLUG, risk.code])).content.decode()
    headers = json.loads(re.search(r"<body hx-headers='([^']+)'", page).group(1))
    data = {"probability": "2", "consequence": "3", "note": ""}

    refused = client.post(url, data, headers={"HX-Request": "true"})
    assert refused.status_code == 403

    accepted = client.post(url, data, headers={"HX-Request": "true", **headers})
    assert accepted.status_code == 200
    risk.refresh_from_db()
    assert risk.assessments.order_by("-pk").first().rf == 6


def test_client_address_is_remote_addr_unless_proxies_are_trusted(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.5"  # a client can write X-Forwarded-For itself
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "192.0.2.7"  # what our one proxy saw; "6.6.6.6" came from the client
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.5"  # fewer entries than proxies: do not guess


@pytest.mark.django_db
def test_citizen_rate_limit_behind_a_trusted_proxy_counts_per_client(client, plan, settings):
    """Behind one proxy every request has the proxy's REMOTE_ADDR; the limit must still be per citizen."""
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("public_proposal_form", args=[SLUG])
    data = {"title": "Wifi på biblioteket", "description": "", "problem": "", "area": plan.areas.get(number=2).pk}

    def post(forwarded_for: str):
        return client.post(url, data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    for _ in range(5):
        assert post("203.0.113.9").status_code == 302
    assert post("203.0.113.9").status_code == 429
    # A spoofed entry to the left of what the proxy appended does not help the same client …
    assert post("1.2.3.4, 203.0.113.9").status_code == 429
    # … and a neighbour behind the same proxy is not affected.
    assert post("192.0.2.44").status_code == 302

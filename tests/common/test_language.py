"""The UI is Norwegian by default, whatever the browser asks for; English when the user chooses it."""

import pytest

pytestmark = pytest.mark.django_db


def test_norwegian_even_when_the_browser_prefers_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "nb"
    assert "Brukernavn" in response.content.decode()


def test_english_after_choosing_it_in_the_language_switch(client, project_leader, plan):
    client.force_login(project_leader)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(f"/program/{plan.slug}/", HTTP_ACCEPT_LANGUAGE="nb")
    assert page.headers["Content-Language"] == "en"
    assert "Log out" in page.content.decode()


def test_an_unknown_language_cookie_falls_back_to_norwegian(client):
    client.cookies["django_language"] = "xx"
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "nb"

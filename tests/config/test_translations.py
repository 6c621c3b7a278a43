"""Every UI string marked for translation has an English translation in the compiled catalogue.

The strings are collected the way `makemessages` does (Django's `templatize` for templates, gettext calls in
Python), so a new `{% translate %}` or `_()` without an entry in locale/en fails here, naming the string.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation.template import templatize

BASE = Path(settings.BASE_DIR)
APPS = (
    "common",
    "portfolio",
    "measures",
    "risks",
    "milestones",
    "benefits",
    "workspace",
    "reports",
    "backup",
    "demo",
    "config",
)
CATALOGUE = BASE / "locale" / "en" / "LC_MESSAGES"
NB_CATALOGUE = BASE / "locale" / "nb" / "LC_MESSAGES"
STRING = r"u'((?:[^'\\]|\\.)*)'"
CALLS = {
    "gettext": re.compile(rf"\bgettext\({STRING}\)"),
    "ngettext": re.compile(rf"\bngettext\({STRING}, {STRING}"),
    "pgettext": re.compile(rf"\bpgettext\({STRING}, {STRING}\)"),
    "npgettext": re.compile(rf"\bnpgettext\({STRING}, {STRING}, {STRING}"),
}
PY_FUNCTIONS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def _literal(text: str) -> str:
    return ast.literal_eval(f"'{text}'")


def _template_messages(path: Path):
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for singular in CALLS["gettext"].findall(code):
        yield None, _literal(singular), False
    for singular, _plural in CALLS["ngettext"].findall(code):
        yield None, _literal(singular), True
    for context, singular in CALLS["pgettext"].findall(code):
        yield _literal(context), _literal(singular), False
    for context, singular, _plural in CALLS["npgettext"].findall(code):
        yield _literal(context), _literal(singular), True


def _python_messages(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in PY_FUNCTIONS:
            continue
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        if name.startswith("pgettext"):
            if len(args) >= 2 and None not in args[:2]:
                yield args[0], args[1], False
        elif args[0] is not None:
            yield None, args[0], name.startswith("ngettext")


def _sources():
    for root in [BASE / "templates", *(BASE / app / "templates" for app in APPS)]:
        # Pages, and the plain-text e-mails (subject and body templates).
        for path in sorted([*root.rglob("*.html"), *root.rglob("*.txt")]):
            yield path, _template_messages(path)
    for app in APPS:
        for path in sorted((BASE / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, _python_messages(path)


def test_every_ui_string_has_an_english_translation():
    with open(CATALOGUE / "django.mo", "rb") as fp:
        catalogue = gettext.GNUTranslations(fp)._catalog
    missing = []
    for path, messages in _sources():
        for context, msgid, plural in messages:
            key = f"{context}\x04{msgid}" if context else msgid
            translated = catalogue.get((key, 0)) if plural else catalogue.get(key)
            if not translated:
                missing.append(f"{path.relative_to(BASE)}: {msgid!r}")
    assert not missing, "Uten engelsk oversettelse (kjør `make messages` og oversett):\n" + "\n".join(missing)


def test_bokmal_catalogue_holds_only_third_party_strings():
    """locale/nb fills in the admin strings of packages that ship no bokmål (README, "Language").

    The project's strings are bokmål already, so none belongs there: `makemessages -l nb` would fill the file with
    them and mark the third-party entries obsolete. The catalogue is kept by hand and compiled with
    `compilemessages -l nb`; `make messages` leaves it alone.
    """
    project = {f"{context}\x04{msgid}" if context else msgid for _path, ms in _sources() for context, msgid, _p in ms}
    for domain in ("django", "djangojs"):
        po = (NB_CATALOGUE / f"{domain}.po").read_text(encoding="utf-8")
        assert "#, fuzzy" not in po and "#~" not in po, domain
        with open(NB_CATALOGUE / f"{domain}.mo", "rb") as fp:
            catalogue = gettext.GNUTranslations(fp)._catalog
        msgids = {key[0] if isinstance(key, tuple) else key for key in catalogue} - {""}
        # The compiled catalogue is the one in the .po: as many messages as msgid lines, less the header's.
        assert len(msgids) == len(re.findall(r"^msgid ", po, re.M)) - 1, domain
        assert not msgids & project, sorted(msgids & project)


def test_catalogue_has_no_fuzzy_entries():
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    # The header may carry the flag only when it is the first entry; any other fuzzy entry is silently unused.
    assert po.count("#, fuzzy") == 0


@pytest.mark.django_db
def test_dashboard_pages_render_in_english_when_chosen(plan, project_leader):
    client = Client()
    client.force_login(project_leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for url in (
        reverse("programme", args=[plan.slug]),
        reverse("activity_detail", args=[plan.slug, "HA02"]),
        reverse("budget", args=[plan.slug]),
    ):
        html = client.get(url).content.decode()
        assert 'lang="en"' in html, url
        for norwegian in ("Hovedaktivitet", "Logg ut", "ikke avklart", "Ansvarlig"):
            assert f">{norwegian}<" not in html, (url, norwegian)


@pytest.mark.django_db
def test_the_same_norwegian_word_is_translated_by_its_meaning(plan, project_leader, staff):
    """«av» is "by" after a submission date but "of" in "3 of 4": one msgid, two contexts."""
    from measures.models import Proposal

    proposal = Proposal.objects.create(
        programme=plan,
        revision_round=plan.revision_rounds.first(),
        area=plan.areas.first(),
        title="Test",
        submitter_name="Kari Nordmann",
    )
    client = Client()
    client.force_login(project_leader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("proposal_detail", args=[plan.slug, proposal.pk])).content.decode()
    assert " by Kari Nordmann" in html

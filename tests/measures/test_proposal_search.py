"""The proposal search: bounded input (a pasted text builds a small query), results on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import SEARCH_MAX_LENGTH, SEARCH_MAX_TERM_LENGTH, SEARCH_MAX_TERMS, Proposal, search_terms
from tests import factories

pytestmark = pytest.mark.django_db
SLUG = "nordre-land-digitalisering"
CAPPED_NOTE = "Bare de første 8 ordene er brukt i søket."


def _titles(response) -> set[str]:
    return {p.title for p in response.context["page"]}


def test_search_terms_are_bounded_and_cleaned():
    assert search_terms("  kart  sak ") == (["kart", "sak"], False)
    terms, capped = search_terms(" ".join(f"ord{i}" for i in range(2000)))
    assert terms == [f"ord{i}" for i in range(SEARCH_MAX_TERMS)] and capped
    terms, capped = search_terms("x" * 500)
    assert terms == ["x" * SEARCH_MAX_TERM_LENGTH] and capped
    assert sum(map(len, search_terms("ab " * 1000)[0])) <= SEARCH_MAX_LENGTH
    # Control and invisible characters go; tabs and newlines still separate words.
    assert search_terms("Kart\x00løs\u200bning\tsak\n") == (["Kartløsning", "sak"], False)
    assert search_terms("\x00\u200b\u200e\x07\ufeff") == ([], False)


def _search(client, q, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("proposal_list", args=[SLUG]), {"q": q}, **extra)
    assert response.status_code == 200
    return response, [query["sql"] for query in ctx.captured_queries if "measures_proposal" in query["sql"]]


def test_a_pasted_2000_word_query_uses_only_the_first_terms(client, plan, project_leader):
    factories.proposal(plan, title="Felles kartløsning for kommunen")
    factories.proposal(plan, title="Noe annet")
    client.force_login(project_leader)
    q = " ".join(["kartløsning"] * SEARCH_MAX_TERMS + [f"overflødig{i}" for i in range(2000 - SEARCH_MAX_TERMS)])
    response, sqls = _search(client, q)
    assert _titles(response) == {"Felles kartløsning for kommunen"}
    assert CAPPED_NOTE in response.text
    searched = [sql for sql in sqls if "LIKE" in sql.upper()]
    assert searched
    for sql in searched:
        assert "overflødig" not in sql
        # Five fields per term at most (SQLite); the title only (PostgreSQL, beside one full-text query).
        assert sql.upper().count("LIKE") <= 5 * SEARCH_MAX_TERMS


def test_a_short_query_shows_no_note_and_htmx_never_does(client, plan, project_leader):
    factories.proposal(plan, title="Felles kartløsning for kommunen")
    client.force_login(project_leader)
    assert CAPPED_NOTE not in _search(client, "kartløsning")[0].text
    long_q = " ".join(["kartløsning"] * 20)
    partial, _sqls = _search(client, long_q, HTTP_HX_REQUEST="true")
    assert "Felles kartløsning for kommunen" in partial.text and CAPPED_NOTE not in partial.text
    # The note is not left in storage for a later page either.
    assert CAPPED_NOTE not in client.get(reverse("proposal_list", args=[SLUG])).text


def test_one_to_three_words_find_the_right_proposals(client, plan, project_leader):
    factories.proposal(plan, title="Søketest tyttebærjournal", unit="Helse og omsorg")
    factories.proposal(plan, title="Søketest sakarkiv", description="Nytt blåbærarkiv for byggesaker")
    factories.proposal(plan, title="Søketest innbyggerdialog", problem="Lange køer på telefon", submitter_name="Kari")
    client.force_login(project_leader)
    cases = {
        "tyttebærjournal": {"Søketest tyttebærjournal"},
        "blåbærarkiv": {"Søketest sakarkiv"},
        "Søketest telefon": {"Søketest innbyggerdialog"},
        "søketest helse kari": set(),
        "Søketest Kari telefon": {"Søketest innbyggerdialog"},
        "SøKETEST": {  # SQLite folds ASCII case only
            "Søketest tyttebærjournal",
            "Søketest sakarkiv",
            "Søketest innbyggerdialog",
        },
        "byggesaker søketest blåbærarkiv": {"Søketest sakarkiv"},
        "finnesikke": set(),
    }
    for q, expected in cases.items():
        assert _titles(_search(client, q)[0]) == expected, q


def test_only_control_or_invisible_characters_filter_nothing(client, plan, project_leader):
    factories.proposal(plan, title="Usynlig test")
    client.force_login(project_leader)
    everything = client.get(reverse("proposal_list", args=[SLUG])).context["page"].paginator.count
    for q in ("\x00", "\u200b\u200e\ufeff", "\x07\x1b"):
        response, _sqls = _search(client, q)
        assert response.context["page"].paginator.count == everything, repr(q)
    assert Proposal.objects.search("\x00\u200b").count() == Proposal.objects.count()

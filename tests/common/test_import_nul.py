"""A NUL character in a spreadsheet cell is a clear row error, never a database error (PostgreSQL refuses NUL).

Found by the property-based import tests on PostgreSQL; kept as plain examples so both databases check it.
"""

import pytest

from measures.models import Proposal
from measures.resources import run_import as run_proposal_import
from risks.models import Risk
from risks.resources import run_import as run_risk_import

pytestmark = pytest.mark.django_db


def test_nul_in_a_risk_row_is_reported_and_nothing_saved(plan):
    report = run_risk_import(plan, b"Nr.;Risikofaktor\nN9;Ny\x00risiko\n", "r.csv", dry_run=False)
    (error,) = report.errors
    assert (error.row, error.column) == (2, "Risikofaktor")
    assert "NUL-tegn" in error.message
    assert not Risk.objects.filter(programme=plan, code="N9").exists()


def test_nul_in_a_proposal_row_is_reported_and_nothing_saved(plan):
    before = Proposal.objects.count()
    content = "Tittel;Hovedområde\nGodt forslag;1\nNytt\x00forslag;1\n".encode()
    report = run_proposal_import(plan, content, "f.csv", dry_run=False)
    assert [(e.row, e.column) for e in report.errors] == [(3, "Tittel")]
    assert Proposal.objects.count() == before  # the good row 2 is not saved either: all or nothing

"""common.uploads.check_document on its own, and the size format of the lists (common.formatting.file_size)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from common.formatting import file_size
from common.uploads import check_document, document_type

from .conftest import PDF, upload


def test_the_type_follows_the_extension_in_any_case():
    assert document_type("Rapport.PDF") == "application/pdf"
    assert document_type("bilde.Jpeg") == "image/jpeg"
    assert document_type("pdf") is None and document_type("side.html") is None


def test_a_valid_file_is_left_at_its_start():
    file = upload("a.pdf", PDF)
    assert check_document(file, 1000) == "application/pdf"
    assert file.read() == PDF


def test_a_zip_bomb_named_docx_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "wordprocessingml.document.main+xml")
        archive.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        check_document(upload("bombe.docx", buffer.getvalue()), 20 * 1024 * 1024)
    assert refused.value.code in ("zip_size", "zip_ratio")


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0\u00a0byte"), (1023, "1\u00a0023\u00a0byte"), (1536, "1,5\u00a0kB"), (20 * 1024 * 1024, "20\u00a0MB")],
)
def test_sizes_are_shown_the_norwegian_way(size, shown):
    assert file_size(size) == shown

"""Checks for uploaded spreadsheets (the proposal, risk and benefit imports and `import_proposals`) and for
documents attached to a programme's objects (`check_document`, used by documents/).

A file is accepted when it is at most UPLOAD_MAX_BYTES, is named .csv or .xlsx, and its content is
what the name says: an XLSX is a zip holding the Office Open XML spreadsheet parts, a CSV is text in
UTF-8 or Windows-1252 (what Excel on Norwegian Windows writes) without binary control bytes.

An XLSX is a zip whose XML may be far larger than the upload: `check_archive` refuses one that would
unpack to more than XLSX_MAX_UNZIPPED_BYTES, has more than XLSX_MAX_ENTRIES parts, or holds a large part
packed suspiciously tightly (a zip bomb), before anything is unpacked.
"""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

EXTENSIONS = (".csv", ".xlsx")
XLSX_CONTENT_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# Tab, line feed and carriage return are text; other C0 control bytes (and NUL) mean binary.
BINARY_BYTES = bytes(sorted(set(range(32)) - {9, 10, 13}))

# Limits of an XLSX's zip archive (settings may override them). Python's zipfile never inflates a part
# beyond the size the archive's directory states for it, so the sum of the stated sizes bounds what is read.
# 50 MB of XML is a sheet far beyond the import's row limit; Excel's own files pack 5–20 times.
XLSX_MAX_UNZIPPED_BYTES = getattr(settings, "IMPORT_MAX_UNZIPPED_BYTES", 50 * 1024 * 1024)
XLSX_MAX_ENTRIES = getattr(settings, "IMPORT_MAX_ZIP_ENTRIES", 1000)
XLSX_MAX_COMPRESSION_RATIO = getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", 200)
# The ratio is checked for parts above this size only (a small part of repeated XML packs very tightly).
XLSX_RATIO_CHECKED_ABOVE = 1024 * 1024


def check_size(size: int, limit: int) -> None:
    """Refuse a file larger than `limit` bytes; run before the content is read."""
    if size > limit:
        raise ValidationError(
            _("Filen er for stor (%(size)s). Største tillatte størrelse er %(limit)s."),
            code="too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def check_size_and_name(name: str, size: int) -> None:
    """The checks that need no content: run first, so a too large file is never read."""
    check_size(size, settings.UPLOAD_MAX_BYTES)
    if not name.lower().endswith(EXTENSIONS):
        raise ValidationError(_("Bruk en CSV- eller XLSX-fil (filnavnet må slutte på .csv eller .xlsx)."), code="type")


def check_spreadsheet(name: str, content: bytes) -> None:
    """Raise ValidationError with a Norwegian message unless `content` is an acceptable sheet."""
    check_size_and_name(name, len(content))
    extension = name.lower().rpartition(".")[2]
    if not content:
        raise ValidationError(_("Filen er tom."), code="empty")
    if extension == "xlsx":
        _check_xlsx(content)
    else:
        _check_csv(content)


def _check_xlsx(content: bytes) -> None:
    not_xlsx = ValidationError(
        _("Filen heter .xlsx, men er ikke et Excel-regneark. Lagre den på nytt som XLSX eller CSV."),
        code="content",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_archive(archive)
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, NotImplementedError):
        raise not_xlsx from None
    if XLSX_CONTENT_TYPE not in types:
        raise not_xlsx


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse (with a Norwegian ValidationError) an XLSX archive too large or too tightly packed to unpack."""
    entries = archive.infolist()
    if len(entries) > XLSX_MAX_ENTRIES:
        raise ValidationError(
            _("XLSX-filen har for mange deler (%(count)s). Lagre den på nytt i Excel, eller bruk CSV."),
            code="zip_entries",
            params={"count": len(entries)},
        )
    total = sum(entry.file_size for entry in entries)
    if total > XLSX_MAX_UNZIPPED_BYTES:
        raise ValidationError(
            _("XLSX-filen er for stor når den pakkes ut (%(size)s). Største tillatte er %(limit)s."),
            code="zip_size",
            params={"size": filesizeformat(total), "limit": filesizeformat(XLSX_MAX_UNZIPPED_BYTES)},
        )
    for entry in entries:
        if entry.file_size > XLSX_RATIO_CHECKED_ABOVE and entry.file_size > XLSX_MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise ValidationError(
                _(
                    "XLSX-filen er pakket mistenkelig tett og blir ikke lest. "
                    "Lagre den på nytt i Excel, eller bruk CSV."
                ),
                code="zip_ratio",
            )


def _check_csv(content: bytes) -> None:
    if len(content.translate(None, BINARY_BYTES)) != len(content):
        raise ValidationError(
            _("Filen heter .csv, men inneholder ikke tekst. Lagre regnearket som CSV eller XLSX."), code="content"
        )
    _check_text_encoding(content)


def _check_text_encoding(content: bytes) -> None:
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            content.decode("cp1252")
        except UnicodeDecodeError:
            raise ValidationError(
                _("Kan ikke lese teksten i CSV-filen. Lagre den med tegnsettet UTF-8."), code="encoding"
            ) from None


def validate_spreadsheet(upload) -> None:
    """Validator for a form's FileField (an UploadedFile); leaves the file at its start."""
    check_size_and_name(upload.name, upload.size)
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    check_spreadsheet(upload.name, content)


# --- documents ------------------------------------------------------------------------------------------------
# Documents attached to decision points, milestones, proposals, status reports and benefit plans: the name's
# extension says the type, and the content must begin (or, for the zip-based office formats, be built) the way
# that type is. The content type stored and served is the one of the extension, never what the browser sent.

PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TEXT, CSV = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "image/png",
    "image/jpeg",
    "text/plain",
    "text/csv",
)
DOCUMENT_TYPES = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".odt": ODT,
    ".ods": ODS,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".txt": TEXT,
    ".csv": CSV,
}
DOCX_CONTENT_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MAGIC = {PDF: b"%PDF-", PNG: b"\x89PNG\r\n\x1a\n", JPEG: b"\xff\xd8\xff"}


def document_type(name: str) -> str | None:
    """The content type a document of this name is stored and served as, or None when the type is not allowed."""
    return DOCUMENT_TYPES.get("." + name.lower().rpartition(".")[2]) if "." in name else None


def check_document(upload, limit: int) -> str:
    """Refuse (Norwegian ValidationError) a document that is too large, of a type not allowed, or whose content is
    not what its name says; return its content type. Leaves the upload at its start."""
    check_size(upload.size, limit)
    content_type = document_type(upload.name)
    if content_type is None:
        raise ValidationError(
            _("Filtypen er ikke tillatt. Bruk PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TXT eller CSV."), code="type"
        )
    if not upload.size:
        raise ValidationError(_("Filen er tom."), code="empty")
    not_what_it_says = ValidationError(
        _("Innholdet i filen stemmer ikke med filtypen %(extension)s. Lagre filen på nytt i riktig format."),
        code="content",
        params={"extension": upload.name.rpartition(".")[2].upper()},
    )
    upload.seek(0)
    try:
        if content_type in MAGIC:
            if upload.read(len(MAGIC[content_type])) != MAGIC[content_type]:
                raise not_what_it_says
        elif content_type in (TEXT, CSV):
            content = upload.read()
            if len(content.translate(None, BINARY_BYTES)) != len(content):
                raise not_what_it_says
            _check_text_encoding(content)
        else:
            _check_office_archive(upload, content_type, not_what_it_says)
    finally:
        upload.seek(0)
    return content_type


def _check_office_archive(upload, content_type: str, refusal: ValidationError) -> None:
    """DOCX and XLSX name their main part in [Content_Types].xml; ODT and ODS store their type in `mimetype`."""
    try:
        with zipfile.ZipFile(upload) as archive:
            check_archive(archive)
            if content_type in (ODT, ODS):
                found = archive.read("mimetype").strip()
                if found != content_type.encode():
                    raise refusal
            else:
                wanted = DOCX_CONTENT_TYPE if content_type == DOCX else XLSX_CONTENT_TYPE
                if wanted not in archive.read("[Content_Types].xml"):
                    raise refusal
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, NotImplementedError):
        raise refusal from None

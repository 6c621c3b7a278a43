"""Documents attached to a programme's objects, stored through Django's storage API (local disk or S3 alike)."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.history import HistoryEntry
from portfolio.models import Programme

from . import attachments

TITLE_MAX = 200
NAME_MAX = 255


def document_path(document: "Document", filename: str) -> str:
    """The stored name: the programme's folder and a random token with the extension. Never the uploader's own
    file name (kept in `original_name`), so names neither collide nor can be guessed, nor carry what a user typed."""
    extension = filename.rpartition(".")[2].lower()
    return f"dokumenter/{document.programme.slug}/{secrets.token_urlsafe(18)}.{extension}"


def shorten_name(name: str, length: int = NAME_MAX) -> str:
    """A file name cut to `length` characters, keeping its extension."""
    if len(name) <= length:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[:length]
    return f"{stem[: length - len(extension) - 1]}.{extension}"


class DocumentQuerySet(models.QuerySet):
    def of(self, obj):
        """The documents attached to `obj`, newest first, with their uploaders: one query."""
        return (
            self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
            .select_related("uploaded_by")
            .order_by("-uploaded_at", "-pk")
        )


class Document(models.Model):
    class Kind(models.TextChoices):
        DECISION_BASIS = "beslutningsgrunnlag", _("Beslutningsgrunnlag")
        DOCUMENTATION = "dokumentasjon", _("Dokumentasjon")
        ATTACHMENT = "vedlegg", _("Vedlegg")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="documents", verbose_name=_("program")
    )
    # The object the document belongs to (a decision point, milestone, proposal, status report or benefit plan):
    # a generic reference, because those models live in the apps above this one (documents.attachments).
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("objekttype"))
    object_id = models.PositiveBigIntegerField(_("objekt"))
    owner = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("tittel"), max_length=TITLE_MAX)
    kind = models.CharField(_("type dokument"), max_length=20, choices=Kind.choices, default=Kind.ATTACHMENT)
    file = models.FileField(_("fil"), upload_to=document_path, max_length=255)
    original_name = models.CharField(_("filnavn"), max_length=NAME_MAX)
    size = models.PositiveBigIntegerField(_("størrelse (byte)"))
    mime_type = models.CharField(_("innholdstype"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lastet opp av"),
    )
    uploaded_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenter")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_owner")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def attach(cls, owner, programme: Programme, upload, *, title: str, kind: str, mime_type: str, by) -> "Document":
        """Store `upload` (already checked) and record it as a document of `owner`.

        The file is written first; if the row cannot be saved, the file is removed again, so a refusal never
        leaves a file behind in the storage."""
        document = cls(
            programme=programme,
            content_type=ContentType.objects.get_for_model(owner),
            object_id=owner.pk,
            title=title,
            kind=kind,
            original_name=shorten_name(upload.name),
            size=upload.size,
            mime_type=mime_type,
            uploaded_by=by,
        )
        if by is not None:  # also outside a request (commands, tests), where no middleware says who
            document._history_user = by
        document.file.save(upload.name, upload, save=False)
        try:
            with transaction.atomic():
                document.save()
        except BaseException:
            document.file.delete(save=False)
            raise
        return document

    def remove(self, by=None) -> None:
        """Delete the document; its audit history stays. The stored file goes once the deletion is committed, and
        only when no other document uses it (a programme copied without its files shares them)."""
        name = self.file.name
        storage = self.file.storage
        if by is not None:
            self._history_user = by
        self.delete()

        def delete_file():
            if not Document.objects.filter(file=name).exists():
                storage.delete(name)

        transaction.on_commit(delete_file)


def document_history(obj, limit: int) -> list[HistoryEntry]:
    """History rows for `obj`'s page: each document attached to it or removed from it (common.history source)."""
    if attachments.for_model(obj) is None or obj.pk is None:
        return []
    records = (
        Document.history.filter(
            content_type_id=ContentType.objects.get_for_model(obj).pk, object_id=obj.pk, history_type__in=["+", "-"]
        )
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    entries = []
    for record in records:
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.get_username()) if user else str(_("systemet")),
                kind=str(_("Dokument lagt ved") if record.history_type == "+" else _("Dokument slettet")),
                reason=f"«{record.title}» ({record.original_name})",
            )
        )
    return entries

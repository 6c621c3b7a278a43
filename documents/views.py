"""The documents of one object: list and upload, download, delete; every one behind the object's own access rule."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from common.htmx import form_status
from portfolio.access import MEMBER, programme_for
from portfolio.models import Programme

from . import attachments
from .attachments import ATTACHABLES, Attachable
from .forms import DocumentForm
from .models import Document

PAGE = "documents/documents.html"


def _owner_for(request: HttpRequest, programme: Programme, attachable: Attachable, object_id: int):
    """The object, found as its own page finds it (404), whose documents the user may see (else 403)."""
    owner = attachable.get(request, programme, object_id)
    if not attachable.may_view(request.access, owner):
        raise PermissionDenied
    return owner


def _document_for(request: HttpRequest, slug: str, pk: int):
    """The programme, the document, its object's registration and the object, for a user who may see them."""
    # MEMBER: whether the user may see this object's documents is the object's rule, asked next.
    programme = programme_for(request, slug, MEMBER)
    document = get_object_or_404(
        Document.objects.select_related("uploaded_by", "content_type"), programme=programme, pk=pk
    )
    attachable = attachments.for_model(document.content_type.model_class())
    if attachable is None:
        raise Http404
    owner = _owner_for(request, programme, attachable, document.object_id)
    return programme, document, attachable, owner


def list_context(access, attachable: Attachable, owner, form=None, heading_level: int = 2) -> dict:
    """What the document list of `owner` shows to the user of `access`: one query for the documents."""
    documents = list(Document.objects.of(owner))
    for document in documents:
        document.may_delete = attachments.may_delete(access, attachable, owner, document)
    may_attach = attachable.may_attach(access, owner)
    return {
        "programme": access.programme,
        "owner": owner,
        "attachable": attachable,
        "documents": documents,
        "form": (form or DocumentForm(initial={"kind": attachable.kind})) if may_attach else None,
        "heading_level": heading_level,
        "owner_url": attachable.url(access.programme, owner),
        "list_id": f"documents-{attachable.key}-{owner.pk}",
        "max_bytes": settings.DOCUMENT_MAX_BYTES,
    }


@login_required
def object_documents(request: HttpRequest, slug: str, key: str, object_id: int) -> HttpResponse:
    """GET: the object's documents on a page of their own. POST: attach one; htmx gets the updated list, a plain
    form goes back to the object's page."""
    programme = programme_for(request, slug, MEMBER)
    attachable = ATTACHABLES.get(key)
    if attachable is None:
        raise Http404
    owner = _owner_for(request, programme, attachable, object_id)
    form = None
    if request.method == "POST":
        if not attachable.may_attach(request.access, owner):
            raise PermissionDenied
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            document = Document.attach(
                owner,
                programme,
                form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                mime_type=form.mime_type,
                by=request.user,
            )
            # An htmx answer carries the message too (common.middleware.HtmxMessagesMiddleware).
            messages.success(request, _("Dokumentet «%(title)s» er lagt ved.") % {"title": document.title})
            if not request.htmx:
                return redirect(attachable.url(programme, owner))
            form = None  # a fresh form under the updated list
    heading_level = 2 if not request.htmx else _heading_level(request)
    context = list_context(request.access, attachable, owner, form, heading_level)
    template = f"{PAGE}#document-list" if request.htmx else PAGE
    return render(request, template, context, status=form_status(form))


def _heading_level(request: HttpRequest) -> int:
    """The list's heading level as the page that holds it drew it (sent along by the upload form)."""
    return 3 if request.POST.get("heading_level") == "3" else 2


@login_required
@require_GET
def document_download(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The file, from the storage (local or S3), always as a download under its original name."""
    _programme, document, _attachable, _owner = _document_for(request, slug, pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Filen finnes ikke lenger.")) from None
    # The type the checks gave it on upload; the browser must neither guess another nor show it inline.
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.mime_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The project leader, or the uploader, removes a document after confirming; its history stays."""
    programme, document, attachable, owner = _document_for(request, slug, pk)
    if not attachments.may_delete(request.access, attachable, owner, document):
        raise PermissionDenied
    context = {
        "programme": programme,
        "document": document,
        "attachable": attachable,
        "owner": owner,
        "owner_url": attachable.url(programme, owner),
    }
    if request.method == "POST":
        if request.POST.get("confirm") == "ja":
            document.remove(by=request.user)
            messages.success(request, _("Dokumentet «%(title)s» er slettet.") % {"title": document.title})
            return redirect(context["owner_url"])
        context["error"] = _("Bekreft at dokumentet skal slettes.")
        return render(request, "documents/delete.html", context, status=422)
    return render(request, "documents/delete.html", context)

"""`{% document_list obj %}`: the documents of an object, with the upload form for those who may add one.

A tag rather than a variable of each page's view, so that the pages of the apps below (the status report of
portfolio) can show documents without importing this app; the tag applies the object's own access rule.
"""

from django import template

from documents import attachments
from documents.views import list_context

register = template.Library()


@register.inclusion_tag("documents/documents.html#document-list", takes_context=True)
def document_list(context, obj, heading_level: int = 2) -> dict:
    access = context.get("access")
    attachable = attachments.for_model(obj)
    if access is None or attachable is None or not attachable.may_view(access, obj):
        return {"hidden": True}
    return {**list_context(access, attachable, obj, heading_level=heading_level), "request": context.get("request")}

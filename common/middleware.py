"""Middleware: the language choice, and the limits that keep one request from taking the site down.

Language choice: Norwegian bokmål unless the user picked another language.

Django's LocaleMiddleware also follows the browser's Accept-Language header, which would show a Norwegian
municipality's staff an English UI just because their laptop is set up in English. Here only the explicit
choice (the language cookie set by the language switch, i.e. Django's `set_language` view) counts.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class AnonymousBodyLimitMiddleware:
    """An anonymous request with a body over ANONYMOUS_MAX_BODY_BYTES is refused with 413, unread.

    Anyone can post to the public proposal form and the login page; without a limit, a stranger could make the
    server read and parse megabytes per request. The declared Content-Length is checked before anything reads
    the body (Django never reads more than it declares). Logged-in users keep the upload limits
    (UPLOAD_MAX_BYTES, DATA_UPLOAD_MAX_MEMORY_SIZE).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.ANONYMOUS_MAX_BODY_BYTES
        if limit and _content_length(request) > limit and not _logged_in(request):
            logger.warning("Anonymous request body refused: %s bytes to %s", _content_length(request), request.path)
            message = _("Forespørselen er for stor. Uten innlogging kan du sende høyst %(kilobytes)d kB.") % {
                "kilobytes": limit // 1024
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class PrivateCacheControlMiddleware:
    """A response to a logged-in user is `Cache-Control: private, no-store`: no browser cache, no proxy.

    Staff share computers; a page with the plan's internals must not be shown from the cache after logout, or
    be kept by a proxy. Anonymous responses (public pages, the login page, static files) keep their caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _logged_in(request):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _logged_in(request) -> bool:
    if not hasattr(request, "user"):
        return False
    try:
        return request.user.is_authenticated
    except DatabaseError:
        # The database is down (the session or user could not be loaded): with a session cookie, assume a user.
        return settings.SESSION_COOKIE_NAME in request.COOKIES


class StatementTimeoutMiddleware:
    """On PostgreSQL, a web request's queries are cancelled after WEB_STATEMENT_TIMEOUT_MS milliseconds.

    Per request, not in DATABASES: Celery workers and manage.py commands share the settings and may need
    longer. The timeout is set when the request starts and reset when it ends, since the connection outlives
    the request (CONN_MAX_AGE). A cancelled query raises django.db.OperationalError (the 500 page); the
    worker is free again instead of waiting on the query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.WEB_STATEMENT_TIMEOUT_MS
        if timeout <= 0 or connection.vendor != "postgresql":
            return self.get_response(request)
        applied = set_statement_timeout(timeout)
        try:
            return self.get_response(request)
        finally:
            if applied:
                set_statement_timeout(None)


def set_statement_timeout(milliseconds: int | None) -> bool:
    """SET (or with None RESET) statement_timeout on the default connection; False when the database is down.

    A database that does not answer is not this middleware's error to raise: the view (e.g. /healthz, which
    answers 503) meets it itself.
    """
    try:
        with connection.cursor() as cursor:
            if milliseconds is None:
                cursor.execute("RESET statement_timeout")
            else:
                cursor.execute("SELECT set_config('statement_timeout', %s, false)", [f"{int(milliseconds)}ms"])
    except DatabaseError:
        logger.warning("Could not set statement_timeout on the database connection", exc_info=True)
        return False
    return True


class HtmxMessagesMiddleware:
    """The messages of an htmx answer go along with it, out of band into the page's `#messages` region.

    An htmx answer is a partial without base.html, which is where messages are shown; without this a message
    («Lagret», «Status er endret») would wait for the next full page. One mechanism for every view: a view adds
    its message with `django.contrib.messages` whichever way it was asked. Listed after MessageMiddleware (so it
    reads the messages before they are stored) and after HtmxMiddleware (`request.htmx`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        code = response.status_code
        swapped = (200 <= code < 300 and code != 204) or code in (409, 422)  # as base.html's htmx-config swaps
        if (
            not getattr(request, "htmx", False)
            or not swapped
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        storage = getattr(request, "_messages", None)
        if storage is None or storage.used or not len(storage):
            return response  # none, or a full page already showed them
        from django.template.loader import render_to_string  # the template engine is not loaded for /healthz

        region = render_to_string("_messages.html", {"messages": storage, "oob": True}, request=request)
        response.content = response.content + region.encode(response.charset)
        return response

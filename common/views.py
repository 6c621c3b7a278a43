from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import health_status, public_status


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 while the database answers, else 503; HEAD gives the same status without a body.

    Anyone gets only up/down per part; a logged-in superuser also gets the details (errors, modes, counts).
    """
    status = health_status(connection)
    code = 200 if status["database"]["ok"] else 503
    if request.method == "HEAD":
        return HttpResponse(status=code, content_type="application/json")
    if not _superuser(request):
        status = public_status(status)
    return JsonResponse(status, status=code)


def _superuser(request: HttpRequest) -> bool:
    try:
        return request.user.is_authenticated and request.user.is_superuser
    except DatabaseError:  # the session and the user live in the database: while it is down, nobody is known
        return False


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the Norwegian page in the layout instead of Django's bare English one, 403.

    `reason` is Django's technical English text; Django has already logged it (django.security.csrf), so the
    page does not show it. The page that held the form (the Referer, when it is this site) gets a link back,
    since reloading the failed POST would only send it again.
    """
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return render(request, "403_csrf.html", {"back_url": referer if safe else ""}, status=403)

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_status


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status = health_status(connection)
    return JsonResponse(status, status=200 if status["database"]["ok"] else 503)


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

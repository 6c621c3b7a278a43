from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_status


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    status = health_status(connection)
    return JsonResponse(status, status=200 if status["database"]["ok"] else 503)

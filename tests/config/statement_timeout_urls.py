"""URLs for tests/config/test_fail_safe_defaults.py: views that show and test the web statement timeout."""

import time

from django.db import OperationalError, connection, transaction
from django.http import JsonResponse
from django.urls import path


def show_timeout(request):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return JsonResponse({"statement_timeout": cursor.fetchone()[0]})


def sleep(request):
    started = time.monotonic()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(%s)", [float(request.GET["seconds"])])
    except OperationalError as error:
        return JsonResponse({"cancelled": True, "seconds": time.monotonic() - started, "error": str(error)})
    return JsonResponse({"cancelled": False, "seconds": time.monotonic() - started})


urlpatterns = [
    path("timeout", show_timeout),
    path("sleep", sleep),
]

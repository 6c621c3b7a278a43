"""The app's URLs plus one bare view, the baseline the load test compares every page with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

BARE_BODY = b"<!doctype html><title>bare</title><p>ok</p>"


def bare(request: HttpRequest) -> HttpResponse:
    """A fixed response: what a request costs in this server and middleware stack without any app work."""
    return HttpResponse(BARE_BODY)


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *app_urlpatterns]

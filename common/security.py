"""Helpers for django-axes and the citizen rate limit: the client's address and the lockout page."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost of them saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with N
    trusted proxies the client is the N-th entry from the right. Entries further left were written
    by the client and are never trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # the proxies are not set up as configured: do not guess
    return forwarded[-count]


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out login: the Norwegian lockout page, 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's validator; its error message changed in Django 5.2 and has no Norwegian translation yet."""

    def get_error_message(self) -> str:
        return ngettext(
            "Passordet er for kort. Det må bestå av minst %(min_length)d tegn.",
            "Passordet er for kort. Det må bestå av minst %(min_length)d tegn.",
            self.min_length,
        ) % {"min_length": self.min_length}

"""The calendar page (make, replace or revoke one's feed address) and the feed itself."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portfolio.access import programmes_for, readable_programme_ids

from .feed import build_feed
from .models import CalendarFeed

LAST_FETCHED_EVERY = timedelta(hours=1)  # "last fetched" is kept to the hour: no write on every poll


def _absolute(request: HttpRequest, path: str) -> str:
    """A full address: SITE_URL when set (the address staff use, also behind a proxy), else this request's host."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


@login_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """The user's own page: their feed address (made, replaced and revoked here) and what the calendar holds."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "ny":
            CalendarFeed.renew(request.user)
            messages.success(request, _("Du har fått en ny kalenderadresse. Den gamle virker ikke lenger."))
            return redirect("calendar_feed")
        if action == "slett":
            CalendarFeed.objects.filter(user=request.user).delete()
            messages.success(request, _("Kalenderadressen er slettet. Kalendere som bruker den, får ikke lenger data."))
            return redirect("calendar_feed")
        messages.error(request, _("Velg om du vil lage en ny adresse eller slette den du har."))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    address = _absolute(request, reverse("calendar_feed_ics", args=[feed.token])) if feed else ""
    readable = readable_programme_ids(request.user)
    context = {
        "feed": feed,
        "address": address,
        "webcal": address.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        "programmes": [
            p for p in programmes_for(request.user).select_related("organisation").order_by("name") if p.pk in readable
        ],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "calendars/feed.html", context, status=status)


@require_safe
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed, for calendar programs: no login, the secret address is the key. Unknown or revoked: 404."""
    feed = CalendarFeed.objects.by_token(token)
    if feed is None:
        raise Http404(_("Fant ikke kalenderen."))
    now = timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).filter(
        Q(last_fetched_at__isnull=True) | Q(last_fetched_at__lt=now - LAST_FETCHED_EVERY)
    ).update(last_fetched_at=now)
    response = HttpResponse(
        build_feed(feed.user, lambda path: _absolute(request, path)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="portefolje.ics"'
    # The plan's internals: never kept by a proxy, never indexed.
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response

"""The accessibility statement with its barrier-report form, and the receipt. Public: no login."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.security import client_ip
from common.tasks import queue_on_commit
from portfolio.models import Organisation, Programme

from . import statement
from .forms import BarrierReportForm
from .models import BarrierReport

REPORT_LIMIT = 10  # reports per IP address and hour: room for a tester, none for a flood
REPORT_WINDOW = 3600


def _over_limit(request: HttpRequest) -> bool:
    """Count a report against the address; True once it has used its reports for the hour."""
    key = f"accessibility:report:{client_ip(request)}"
    try:
        cache.add(key, 0, timeout=REPORT_WINDOW)
        try:
            return cache.incr(key) > REPORT_LIMIT
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=REPORT_WINDOW)
            return False
    except Exception:  # the cache (Redis) is down: take the report rather than refuse everyone
        logging.getLogger(__name__).warning(
            "Barrier report rate limit not checked: the cache is unavailable", exc_info=True
        )
        return False


def _initial(request: HttpRequest) -> dict:
    """The page the footer link was followed from, and its programme, filled in for the reporter."""
    initial = {}
    came_from = request.GET.get("fra", "")
    if came_from.startswith("/") and not came_from.startswith("//") and len(came_from) <= 500:
        initial["location"] = came_from
    slug = request.GET.get("program", "")
    if slug:
        initial["programme"] = Programme.objects.filter(slug=slug[:80]).values_list("pk", flat=True).first()
    return initial


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = BarrierReportForm(request.POST)
        if form.is_spam:
            # Bots get the same answer as people, so they learn nothing; nothing is saved.
            return redirect("accessibility_thanks")
        token = form.token
        if token is not None and BarrierReport.objects.filter(submission_token=token).exists():
            return redirect("accessibility_thanks")  # the same form sent again: its report is already saved
        status = 422
        if form.is_valid():
            if _over_limit(request):
                form.add_error(None, _("Du har sendt mange meldinger på kort tid. Prøv igjen om en time."))
                status = 429
            else:
                report = form.save(commit=False)
                report.submission_token = token
                try:
                    with transaction.atomic():
                        report.save()
                        queue_on_commit("accessibility.tasks.send_barrier_report", report.pk)
                except IntegrityError:
                    if token is None or not BarrierReport.objects.filter(submission_token=token).exists():
                        raise
                    # The same form sent twice at the same moment: the other request saved it.
                return redirect("accessibility_thanks")
    else:
        form = BarrierReportForm(initial=_initial(request))
        status = 200
    deviations = [
        {**deviation.as_dict(), "what": deviation.what % {"hours": statement.session_hours()}}
        if "%(hours)s" in str(deviation.what)
        else deviation.as_dict()
        for deviation in statement.DEVIATIONS
    ]
    context = {
        "form": form,
        "owners": list(Organisation.objects.order_by("name").values_list("name", flat=True)),
        "site_url": settings.SITE_URL,
        "criteria": sorted(statement.CRITERIA, key=lambda c: c.sort_key),
        "counts": statement.criteria_by_status(),
        "total": len(statement.CRITERIA),
        "deviations": deviations,
        "last_checked": statement.LAST_CHECKED,
        "first_published": statement.FIRST_PUBLISHED,
        "axe_tags": statement.AXE_TAGS,
        "axe_version": statement.AXE_CORE_VERSION,
        "checked_pages": [label for _name, _kwargs, label in statement.CHECKED_PAGES]
        + [label for _name, label in statement.CHECKED_OBJECT_PAGES],
        "checked_public_pages": [label for _name, label in statement.CHECKED_PUBLIC_PAGES],
        "checked_staff_pages": [label for _name, label in statement.CHECKED_STAFF_PAGES],
        "chart_pages": [label for _name, label in statement.CHART_PAGES],
        "axe_rule_count": len(statement.axe_rules()),
        "Status": statement.Status,
    }
    return render(request, "accessibility/statement.html", context, status=status)


def accessibility_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "accessibility/thanks.html", {"statement_url": reverse("accessibility_statement")})

"""The project leader's members page: who holds which role in the programme, and who they are (docs/roles.md).

Under /program/<slug>/medlemmer/, for the programme's project leader only (`leader_programme_for`: 404 for
non-members, 403 for the other roles), before anything is read from the request. Plain forms with
post/redirect/get, so the page works without JavaScript; a refused form answers 422 with the page and its
errors. Members are the users with a ProgrammeRole here; employees of the organisation (OrganisationMember) are
staff in every programme without one and are not managed on this page.
"""

import re
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from common.mail import send_templated_mail

from .access import leader_programme_for
from .member_forms import AddMemberForm, InviteForm, PersonLinkForm, display_name
from .models import Person, Programme, ProgrammeRole
from .roles import PROJECT_LEADER

PAGE_SIZE = 100
TEMPLATE = "portfolio/members.html"


def members_of(programme: Programme):
    """The users holding a role in the programme, each with `roles_here` (their roles here, in Role order)."""
    User = get_user_model()
    has_role = ProgrammeRole.objects.filter(user=OuterRef("pk"), programme=programme)
    roles = ProgrammeRole.objects.filter(programme=programme).order_by("role", "pk")
    return (
        User.objects.filter(Exists(has_role))
        .order_by("first_name", "last_name", "username")
        .prefetch_related(Prefetch("programme_roles", queryset=roles, to_attr="roles_here"))
    )


def role_order(role: ProgrammeRole) -> int:
    return list(ProgrammeRole.Role).index(role.role)


def page_context(request: HttpRequest, programme: Programme, **extra) -> dict:
    """The members page: one page of members with their roles and Person, and the organisation's people."""
    page = Paginator(members_of(programme), PAGE_SIZE).get_page(request.GET.get("side"))
    people = list(Person.objects.filter(organisation_id=programme.organisation_id).select_related("user"))
    person_of = {p.user_id: p for p in people if p.user_id is not None}
    names = {p.name.casefold() for p in people}
    for user in page:
        user.roles_here.sort(key=role_order)
        user.person_here = person_of.get(user.pk)
        user.display = display_name(user)
        # «Ny person med dette navnet» is offered while no person of the organisation has the member's name.
        full_name = user.get_full_name()
        user.can_create_person = user.person_here is None and bool(full_name) and full_name.casefold() not in names
    context = {
        "programme": programme,
        "page": page,
        "people": people,
        "add_form": AddMemberForm(programme=programme),
        "invite_form": InviteForm(programme=programme),
    }
    context.update(extra)
    return context


def grant(programme: Programme, user, role: str, granted_by) -> bool:
    """Give `user` the role; False if they already held it (also when a concurrent request just gave it)."""
    try:
        with transaction.atomic():
            _role, created = ProgrammeRole.objects.get_or_create(
                user=user, programme=programme, role=role, defaults={"granted_by": granted_by}
            )
    except IntegrityError:
        return False
    return created


def members_url(programme: Programme, user=None) -> str:
    url = reverse("programme_members", args=[programme.slug])
    return f"{url}#medlem-{user.pk}" if user is not None else url


@login_required
def programme_members(request: HttpRequest, slug: str) -> HttpResponse:
    """The members list; POST gives an existing user (by username or e-mail) a role."""
    programme = leader_programme_for(request, slug)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if request.method != "POST":
        return render(request, TEMPLATE, page_context(request, programme))
    form = AddMemberForm(request.POST, programme=programme)
    if form.is_valid():
        user, role = form.cleaned_data["user"], form.cleaned_data["role"]
        if grant(programme, user, role, request.user):
            label = ProgrammeRole.Role(role).label
            messages.success(
                request, _("%(user)s har fått rollen «%(role)s».") % {"user": display_name(user), "role": label}
            )
            return redirect(members_url(programme, user))
        form.add_error("role", form.role_taken_error(user, role))
    return render(request, TEMPLATE, page_context(request, programme, add_form=form), status=422)


def unique_username(email: str) -> str:
    """A free username from the e-mail address's local part: «kari.nordmann», else «kari.nordmann2», …"""
    User = get_user_model()
    local = email.rsplit("@", 1)[0].lower()
    base = re.sub(r"[^\w.+-]", "", local)[:140] or "bruker"
    names = User.objects.filter(username__istartswith=base).values_list("username", flat=True)
    taken = {name.lower() for name in names}
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"


def create_invited_user(form: InviteForm):
    """A new active user with the invitee's e-mail and name and no usable password (they choose it by link)."""
    User = get_user_model()
    first_name, last_name = form.names()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return User.objects.create_user(
                    unique_username(form.cleaned_data["email"]),
                    email=form.cleaned_data["email"],
                    password=None,
                    first_name=first_name,
                    last_name=last_name,
                )
        except IntegrityError:  # another request took the username just now: pick again
            continue
    raise IntegrityError("no free username for an invited user")


def set_password_url(request: HttpRequest, user) -> str:
    """The absolute link where the invited user chooses a password (Django's password reset confirmation)."""
    uidb64, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    site = (settings.SITE_URL or "").rstrip("/")
    return f"{site}{path}" if site else request.build_absolute_uri(path)


def send_invitation(context: dict, address: str) -> None:
    """The invitation e-mail, in the installation's language: the invitee has not chosen one yet."""
    with translation.override(settings.LANGUAGE_CODE):
        send_templated_mail("portfolio/email/invitation", context, [address])


@login_required
def member_invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite by e-mail: a known address gets the role; otherwise a new user, the role and an e-mail with a link."""
    programme = leader_programme_for(request, slug)
    if request.method != "POST":
        return not_a_post(request, programme)
    form = InviteForm(request.POST, programme=programme)
    if not form.is_valid():
        return render(request, TEMPLATE, page_context(request, programme, invite_form=form), status=422)
    role = form.cleaned_data["role"]
    label = ProgrammeRole.Role(role).label
    email = form.cleaned_data["email"]
    user = form.existing_user
    if user is not None:
        if not grant(programme, user, role, request.user):
            form.add_error("role", form.role_taken_error(user, role))
            return render(request, TEMPLATE, page_context(request, programme, invite_form=form), status=422)
        messages.success(
            request,
            _("Det finnes allerede en bruker med e-posten %(email)s: %(user)s har fått rollen «%(role)s».")
            % {"email": email, "user": display_name(user), "role": label},
        )
        return redirect(members_url(programme, user))
    with transaction.atomic():
        user = create_invited_user(form)
        grant(programme, user, role, request.user)
        context = {
            "name": display_name(user),
            "inviter": display_name(request.user),
            "programme": programme.name,
            "organisation": programme.organisation.name,
            "role": label,  # lazy: rendered in the e-mail's language
            "username": user.get_username(),
            "url": set_password_url(request, user),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        # robust: a mail server that is down is logged and does not turn the saved invitation into an error page.
        transaction.on_commit(partial(send_invitation, context, user.email), robust=True)
    messages.success(
        request,
        _("%(user)s er invitert på e-post til %(email)s og har fått rollen «%(role)s».")
        % {"user": display_name(user), "email": email, "role": label},
    )
    return redirect(members_url(programme, user))


@login_required
def member_role_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove one role, after a confirmation page; the programme's last project leader is never removed."""
    programme = leader_programme_for(request, slug)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    role = get_object_or_404(ProgrammeRole.objects.select_related("user"), programme=programme, pk=pk)
    role.user.display = display_name(role.user)
    context = {"programme": programme, "confirm_role": role}
    if request.method != "POST" or request.POST.get("confirm") != "1":
        return render(request, TEMPLATE, context)
    with transaction.atomic():
        if role.role == PROJECT_LEADER:
            # Locked, so two leaders removing each other at the same moment cannot leave the programme without one.
            leaders = ProgrammeRole.objects.select_for_update().filter(programme=programme, role=PROJECT_LEADER)
            if len(leaders) <= 1:
                context["remove_error"] = _(
                    "Du kan ikke fjerne den siste prosjektlederen i programmet. Gi rollen til en annen først."
                )
                return render(request, TEMPLATE, context, status=422)
        role.delete()  # through the instance, so the audit history records who removed it
    messages.success(
        request,
        _("Rollen «%(role)s» er fjernet fra %(user)s.") % {"role": role.get_role_display(), "user": role.user.display},
    )
    if role.user_id == request.user.pk and role.role == PROJECT_LEADER:
        return redirect("programme", slug=programme.slug)  # no longer the leader: the members page would be 403
    return redirect(members_url(programme))


@login_required
def member_person(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Link a member to a Person of the organisation (or to none), or create a Person with the member's name."""
    programme = leader_programme_for(request, slug)
    if request.method != "POST":
        return not_a_post(request, programme)
    User = get_user_model()
    has_role = ProgrammeRole.objects.filter(user=OuterRef("pk"), programme=programme)
    user = get_object_or_404(User.objects.filter(Exists(has_role)), pk=user_id)
    organisation_people = Person.objects.filter(organisation_id=programme.organisation_id)
    if request.POST.get("ny") == "1":
        name = user.get_full_name()
        if not name:
            error = _("%(user)s har ikke noe navn i brukerkontoen. Velg en person i lista.") % {
                "user": user.get_username()
            }
            return person_error(request, programme, error)
        taken = _("Det finnes allerede en person med navnet «%(name)s» i organisasjonen. Velg personen i lista.") % {
            "name": name
        }
        if organisation_people.filter(name__iexact=name).exists():
            return person_error(request, programme, taken)
        try:
            with transaction.atomic():
                unlink(organisation_people, user)
                person = Person.objects.create(
                    organisation_id=programme.organisation_id, name=name, email=user.email, user=user
                )
        except IntegrityError:  # created by someone else just now
            return person_error(request, programme, taken)
        messages.success(
            request,
            _("Personen «%(person)s» er opprettet og koblet til %(user)s.") % {"person": person.name, "user": name},
        )
        return redirect(members_url(programme, user))
    form = PersonLinkForm(request.POST, programme=programme)
    if "person" not in request.POST:
        # The select always sends a value («Ingen» is empty): a request without it is not this form.
        form.add_error("person", _("Velg en person i organisasjonen."))
    if not form.is_valid():
        return person_error(request, programme, " ".join(form.errors["person"]))
    chosen = form.cleaned_data["person"]
    try:
        with transaction.atomic():
            if chosen is None:
                unlink(organisation_people, user)
            else:
                person = organisation_people.select_for_update().get(pk=chosen.pk)
                if person.user_id not in (None, user.pk):
                    error = _("Personen «%(person)s» er allerede koblet til en annen bruker (%(user)s).") % {
                        "person": person.name,
                        "user": display_name(person.user),
                    }
                    return person_error(request, programme, error)
                if person.user_id is None:
                    unlink(organisation_people, user)
                    person.user = user
                    person.version += 1  # the row is locked: an edit form opened earlier cannot overwrite the link
                    person.save()
    except IntegrityError:  # a concurrent request linked the user to another person first
        return person_error(request, programme, _("Koblingen ble endret av noen andre samtidig. Prøv igjen."))
    if chosen is None:
        message = _("%(user)s er ikke koblet til noen person.") % {"user": display_name(user)}
    else:
        message = _("%(user)s er koblet til personen «%(person)s».") % {
            "user": display_name(user),
            "person": chosen.name,
        }
    messages.success(request, message)
    return redirect(members_url(programme, user))


def unlink(people, user) -> None:
    """Clear `user` from the people (of one organisation) linked to it: saved one by one, so history records it."""
    for person in people.select_for_update().filter(user=user):
        person.user = None
        person.version += 1
        person.save()


def not_a_post(request: HttpRequest, programme: Programme) -> HttpResponse:
    """A GET of a POST-only URL (the address bar after a refused form, the language switch) goes to the page."""
    if request.method in ("GET", "HEAD"):
        return redirect(members_url(programme))
    return HttpResponseNotAllowed(["POST"])


def person_error(request: HttpRequest, programme: Programme, error: str) -> HttpResponse:
    return render(request, TEMPLATE, page_context(request, programme, person_error=error), status=422)

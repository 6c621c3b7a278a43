"""The forms of the project leader's members page: add an existing user, invite by e-mail, link a Person."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.validators import CleanTextFieldsMixin

from .models import Person, Programme, ProgrammeRole


def display_name(user) -> str:
    """How the page and its messages name a user: the full name, else the username."""
    return user.get_full_name() or user.get_username()


def find_user(value: str):
    """The one user whose username (preferred) or e-mail address is `value`; raises ValidationError otherwise."""
    User = get_user_model()
    value = value.strip()
    matches = list(User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value)).order_by("pk")[:20])
    exact = [u for u in matches if u.username == value]
    by_username = exact or [u for u in matches if u.username.lower() == value.lower()]
    candidates = by_username or matches
    if not candidates:
        raise forms.ValidationError(
            _("Fant ingen bruker med brukernavnet eller e-posten «%(value)s»."),
            code="unknown_user",
            params={"value": value},
        )
    if len(candidates) > 1:
        raise forms.ValidationError(
            _("Flere brukere har e-posten «%(value)s». Skriv brukernavnet i stedet."),
            code="ambiguous_user",
            params={"value": value},
        )
    user = candidates[0]
    if not user.is_active:
        raise forms.ValidationError(
            _("Brukeren «%(user)s» er deaktivert og kan ikke få roller."),
            code="inactive_user",
            params={"user": user.get_username()},
        )
    return user


class RoleFormMixin:
    """A role field, and the check that the user does not hold that role in the programme already."""

    def already_has_role(self, user, role: str) -> bool:
        return ProgrammeRole.objects.filter(user=user, programme=self.programme, role=role).exists()

    def role_taken_error(self, user, role: str) -> forms.ValidationError:
        return forms.ValidationError(
            _("%(user)s har allerede rollen «%(role)s» i programmet."),
            code="role_exists",
            params={"user": display_name(user), "role": ProgrammeRole.Role(role).label},
        )


def role_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Rolle"),
        choices=[("", _("Velg rolle"))] + ProgrammeRole.Role.choices,
        error_messages={"required": _("Velg en rolle."), "invalid_choice": _("Velg en rolle.")},
    )


class AddMemberForm(CleanTextFieldsMixin, RoleFormMixin, forms.Form):
    """Give an existing user a role in the programme, found by username or e-mail address."""

    user = forms.CharField(
        label=_("Brukernavn eller e-post"),
        max_length=254,
        error_messages={"required": _("Skriv brukernavnet eller e-postadressen.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = role_field()

    def __init__(self, *args, programme: Programme, **kwargs):
        kwargs.setdefault("auto_id", "legg-til-%s")
        super().__init__(*args, **kwargs)
        self.programme = programme

    def clean_user(self):
        return find_user(self.cleaned_data["user"])

    def clean(self):
        cleaned = super().clean()
        user, role = cleaned.get("user"), cleaned.get("role")
        if user is not None and role and self.already_has_role(user, role):
            self.add_error("role", self.role_taken_error(user, role))
        return cleaned


class InviteForm(CleanTextFieldsMixin, RoleFormMixin, forms.Form):
    """Invite someone by e-mail: a new user gets an e-mail to choose a password; a known address just the role."""

    name = forms.CharField(
        label=_("Navn"),
        max_length=300,
        error_messages={"required": _("Skriv navnet til den du inviterer.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-post"),
        max_length=254,
        error_messages={"required": _("Skriv e-postadressen."), "invalid": _("Skriv en gyldig e-postadresse.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = role_field()

    def __init__(self, *args, programme: Programme, **kwargs):
        kwargs.setdefault("auto_id", "inviter-%s")
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.existing_user = None

    def clean_email(self):
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())
        users = list(get_user_model().objects.filter(email__iexact=email).order_by("pk")[:2])
        if len(users) > 1:
            raise forms.ValidationError(
                _("Flere brukere har e-posten «%(value)s». Legg til brukeren med brukernavnet i stedet."),
                code="ambiguous_user",
                params={"value": email},
            )
        if users and not users[0].is_active:
            raise forms.ValidationError(
                _("Brukeren «%(user)s» er deaktivert og kan ikke få roller."),
                code="inactive_user",
                params={"user": users[0].get_username()},
            )
        self.existing_user = users[0] if users else None
        return email

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if self.existing_user is not None and role and self.already_has_role(self.existing_user, role):
            self.add_error("role", self.role_taken_error(self.existing_user, role))
        return cleaned

    def names(self) -> tuple[str, str]:
        """First and last name from «Navn»: the last word is the last name."""
        parts = self.cleaned_data["name"].split()
        if len(parts) < 2:
            return " ".join(parts)[:150], ""
        return " ".join(parts[:-1])[:150], parts[-1][:150]


class PersonLinkForm(forms.Form):
    """Which Person of the programme's organisation a member is; empty unlinks."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("Ingen"),
        error_messages={"invalid_choice": _("Velg en person i organisasjonen.")},
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(organisation_id=programme.organisation_id)

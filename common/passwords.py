"""Django's password validators with Norwegian messages, and a common-password check that knows Norwegian.

Django's list of 20 000 common passwords is English: «passord123» passes it. Here a password is also too common
when it is a common word (Norwegian or from Django's list) with only digits and signs around it: «passord123»,
«Sommer2024!», «qwerty2019». Settings: AUTH_PASSWORD_VALIDATORS.
"""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Common Norwegian passwords and the words they are built from (lower case, without digits around them).
NORWEGIAN_COMMON = frozenset(
    {
        "passord",
        "passordet",
        "mittpassord",
        "nyttpassord",
        "hemmelig",
        "hemmelighet",
        "velkommen",
        "sommer",
        "vinter",
        "høst",
        "vår",
        "sommerferie",
        "juleferie",
        "jul",
        "julaften",
        "norge",
        "noreg",
        "oslo",
        "bergen",
        "trondheim",
        "kommune",
        "brukernavn",
        "admin",
        "bruker",
        "elsker",
        "jegelskerdeg",
        "glemt",
        "endremeg",
        "byttmeg",
        "fotball",
        "rosenborg",
        "brann",
        "vålerenga",
        "heiheihei",
        "hallo",
        "hallo123",
        "abc123",
    }
)

_AROUND = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Not too like the username, name or e-mail address; Django's check with a Norwegian message."""

    def get_error_message(self) -> str:
        return _("Passordet er for likt %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Passordet kan ikke ligne for mye på brukernavnet, navnet eller e-postadressen din.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Not a common password, nor a common word (Norwegian or English) with digits or signs around it."""

    def validate(self, password, user=None) -> None:
        whole = password.lower().strip()
        core = _AROUND.sub("", whole)
        if any(word in NORWEGIAN_COMMON or word in self.passwords for word in (whole, core) if word):
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return _("Dette passordet er for vanlig.")

    def get_help_text(self) -> str:
        return _("Passordet kan ikke være et vanlig passord, eller et vanlig ord med bare tall og tegn rundt.")

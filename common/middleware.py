"""Language choice: Norwegian bokmål unless the user picked another language.

Django's LocaleMiddleware also follows the browser's Accept-Language header, which would show a Norwegian
municipality's staff an English UI just because their laptop is set up in English. Here only the explicit
choice (the language cookie set by the language switch, i.e. Django's `set_language` view) counts.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

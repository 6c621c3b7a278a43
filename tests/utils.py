from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, **extra) -> int:
    """Queries run by one GET of `url` (which must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def project_form_classes() -> dict[str, type]:
    """Every form class defined in a forms module (forms.py, *_forms.py) of every project app, by dotted name.

    Found from the apps' folders, so a new app's forms are included without anyone listing them.
    """
    import importlib
    import inspect
    from pathlib import Path

    from django import forms
    from django.apps import apps

    from common.validators import PROJECT_APP_LABELS

    modules = ["workspace.agenda_views"]
    for label in sorted(PROJECT_APP_LABELS):
        folder = Path(apps.get_app_config(label).path)
        modules += [f"{label}.{path.stem}" for path in sorted(folder.glob("*forms.py"))]
    found = {}
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                found[f"{module_name}.{name}"] = cls
    return found

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo installation (setup_demo) and generated data for load tests and benchmarks (generate_data)."""

    name = "demo"
    verbose_name = _("Demo")

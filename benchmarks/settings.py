"""Settings for the benchmarks only: the app's settings with the benchmark URLconf (adds `/bench/bare/`).

    DJANGO_SETTINGS_MODULE=benchmarks.settings

Everything else, including DEBUG and the security settings, comes from `config.settings` and the environment,
so the load test measures the same middleware and configuration as production.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

"""State of the database, the Celery broker, the workers and the file storage, for GET /healthz.

`health_status` has the details (driver errors, modes, counts) for a superuser and the log; `public_status`
is what anyone may see: up or down, nothing about hosts, ports, database names or software.
"""

import logging

from celery import current_app as celery_app  # the project's app (config.celery), set as current
from django.conf import settings

logger = logging.getLogger(__name__)


def _database(connection) -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the message says why
        return {"ok": False, "error": str(exc)[:200]}
    return {"ok": True, "vendor": connection.vendor}


def _broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}
    try:
        with celery_app.connection_for_write() as conn:
            # One quick retry for a hiccup; kombu would otherwise wait 2 s before it, and probes time out.
            conn.ensure_connection(max_retries=1, interval_start=0.2, timeout=2)
    except Exception as exc:
        return {"ok": False, "mode": "redis", "error": str(exc)[:200]}
    return {"ok": True, "mode": "redis"}


def _workers(broker_ok: bool) -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # Tasks run in the web process itself: there is no separate worker to ask.
        return {"ok": True, "mode": "eager", "count": 0}
    if not broker_ok:
        return {"ok": False, "count": 0, "error": "broker unreachable"}
    try:
        replies = celery_app.control.ping(timeout=1.0) or []
    except Exception as exc:
        return {"ok": False, "count": 0, "error": str(exc)[:200]}
    return {"ok": bool(replies), "count": len(replies)}


def _storage() -> dict:
    """Whether the default storage (the local folder, or the S3-compatible store) answers a lookup."""
    from django.core.files.storage import default_storage

    kind = "s3" if settings.STORAGES["default"]["BACKEND"].endswith("S3Storage") else "local"
    try:
        default_storage.exists("healthz-probe")  # a HEAD request on S3; nothing is written
    except Exception as exc:
        return {"ok": False, "mode": kind, "error": str(exc)[:200]}
    return {"ok": True, "mode": kind}


PARTS = ("database", "broker", "worker", "storage")


def health_status(connection) -> dict:
    """The app can serve when the database answers; broker, worker and file storage only degrade background jobs,
    documents and reports."""
    parts = {"database": _database(connection), "broker": _broker()}
    parts["worker"] = _workers(parts["broker"]["ok"])
    parts["storage"] = _storage()
    for name, part in parts.items():
        if not part["ok"]:
            logger.warning("Health check: %s down: %s", name, part.get("error", ""))
    healthy = all(part["ok"] for part in parts.values())
    return {"status": "ok" if healthy else ("degraded" if parts["database"]["ok"] else "down"), **parts}


def public_status(status: dict) -> dict:
    """The state without details, for anonymous callers: an error text can name hosts, ports and databases."""
    return {
        "status": status["status"],
        **{part: {"ok": bool(status[part]["ok"])} for part in PARTS},
    }

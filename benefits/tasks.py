from celery import shared_task

from . import services


@shared_task(
    soft_time_limit=120,
    time_limit=150,
    autoretry_for=services.SEND_ERRORS,
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=6,
)
def send_measurement_reminders(programme_id: int | None = None) -> int:
    """Beat task: e-mail owners whose benefit measurement is due. Re-runnable (see the service), so when the mail
    server fails it is run again, with growing pauses: what was sent is not sent twice."""
    return services.send_measurement_reminders(programme_id=programme_id)

from celery import shared_task

from . import services


@shared_task(soft_time_limit=120, time_limit=150)
def send_measurement_reminders(programme_id: int | None = None) -> int:
    """Beat task: e-mail owners whose benefit measurement is due. Re-runnable (see the service)."""
    return services.send_measurement_reminders(programme_id=programme_id)

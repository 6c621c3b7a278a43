from celery import shared_task

from .models import Programme


@shared_task(soft_time_limit=20, time_limit=30)
def programme_counts(programme_id: int) -> dict:
    """Counts of a programme's main objects; a cheap real task, used to prove the worker path end to end."""
    programme = Programme.objects.get(pk=programme_id)
    return {
        "activities": programme.activities.count(),
        "risks": programme.risks.count(),
        "decision_points": programme.decision_points.count(),
        "milestones": programme.milestones.count(),
    }

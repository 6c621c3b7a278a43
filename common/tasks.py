"""The base class of tasks whose work is recorded in the database, and queuing a task by its name."""

import logging

from celery import current_app
from celery.contrib.django.task import DjangoTask
from django.db import transaction

logger = logging.getLogger(__name__)


class QueuedOrLater(DjangoTask):
    """A task whose database record says what is to be done, so losing the message loses nothing.

    When the broker (Redis) is down at commit, the user's request still succeeds; the record stays pending and
    a periodic sweep sends it once Redis is back (`reports.tasks.requeue_stuck_revision_reports` for reports,
    `measures.tasks.send_pending_status_emails` for status e-mails)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        def send():
            if self.app.conf.task_always_eager:
                return self.delay(*args, **kwargs)  # runs in-process: its errors are not the broker's
            try:
                self.delay(*args, **kwargs)
            except Exception:
                logger.warning("Could not queue %s%r: the broker is unavailable; queued again later", self.name, args)

        transaction.on_commit(send)


def queue_on_commit(task_name: str, *args) -> None:
    """Queue the registered task `task_name` once the current transaction commits.

    By name, like a lazy model reference: a model can start the task that works on it without importing its
    app's tasks module, which imports the model.
    """
    if task_name not in current_app.tasks:
        # Celery discovers the apps' tasks modules lazily (on a worker's start-up); a web process may not have
        # imported this one yet.
        current_app.loader.import_default_modules()
    current_app.tasks[task_name].delay_on_commit(*args)

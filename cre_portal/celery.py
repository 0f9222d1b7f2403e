"""The Celery app. Every task records its writes under its own name in the audit history."""

import os
from typing import Any

import pghistory
from celery import Celery
from celery.contrib.django.task import DjangoTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cre_portal.settings.base")


class AuditedTask(DjangoTask):
    """Wraps each run in a pghistory context, so trigger rows say which job wrote them."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with pghistory.context(task=self.name, task_id=self.request.id):
            return super().__call__(*args, **kwargs)


app = Celery("cre_portal", task_cls=AuditedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

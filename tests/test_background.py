"""``motcua.background.TaskBackend`` queues the row django-tasks' own database backend queues.

The same task with the same arguments is enqueued twice, once by the library's
``DatabaseBackend`` and once by ours; the two rows read back with SQL must be equal in every
column but the id (and the enqueuing moment, only checked to be recent). The expected row is
the library's, not ours. Runs on SQLite and on PostgreSQL (the suite runs on both)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.background import TaskBackend
from motcua.notifications.tasks import send_notification, send_notifications
from tests.test_rows import stored

pytestmark = pytest.mark.django_db


def both(task, *args) -> tuple[dict, dict]:
    rows = []
    for backend in (DatabaseBackend("default", {}), TaskBackend("default", {})):
        result = backend.enqueue(task, args, {})
        assert result.status == TaskResultStatus.READY
        rows.append(stored(DBTaskResult, result.id))
    return rows[0], rows[1]


def test_a_task_row_is_the_librarys_row():
    library, ours = both(send_notifications, ["1f0c2a9e-0000-4000-8000-000000000001", "b"])
    assert ours == library
    assert library["task_path"].endswith("send_notifications")  # real values compared


def test_a_task_to_run_later_or_first_is_the_librarys_row(settings):
    settings.TASKS = {"default": {"BACKEND": "motcua.background.TaskBackend"}}  # takes a time
    later = send_notification.using(run_after=timezone.now() + timedelta(minutes=4), priority=7)
    library, ours = both(later, "7b1f")
    assert ours == library and library["priority"] == 7
    # the one with no time is kept for "as soon as a worker is free", as the library keeps it
    library, ours = both(send_notification, "7b1f")
    assert ours == library


def test_the_worker_takes_up_a_task_queued_by_ours():
    result = TaskBackend("default", {}).enqueue(send_notifications, ([],), {})
    ready = DBTaskResult.objects.ready().values_list("id", flat=True)
    assert [str(pk) for pk in ready] == [str(result.id)]

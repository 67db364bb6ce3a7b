"""Queueing background work (``motcua worker``) with the change that asks for it.

With the database task backend (production) the task's row is written inside the caller's
transaction: it commits or rolls back with the change, the worker cannot pick it before the
commit, and no crash between the commit and the queueing can lose it (the outbox pattern,
without a second transaction). With any other backend (the immediate one in tests) the task is
queued after the commit, so it never runs on data that may yet roll back.

:class:`TaskBackend` is django-tasks' database backend with the task's row written by
:func:`motcua.rows.insert_rows` (the library's ``objects.create()`` compiled its INSERT on
every intake, in the write lock); the row stored is the library's own, column for column
(``tests/test_background.py``).
"""

from __future__ import annotations

import os
import socket

from django.db import transaction
from django_tasks_db import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus, normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max

from motcua.rows import insert_rows


def enqueue_with_change(task, *args) -> None:
    """Queue ``task(*args)`` as part of the current transaction (see the module's note)."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


class TaskBackend(DatabaseBackend):
    """The database queue, its task rows inserted by :func:`~motcua.rows.insert_rows`."""

    def _task_to_db_task(self, task, args, kwargs) -> DBTaskResult:
        row = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            # what the library's pre_save handler does: no time given, run as soon as free
            run_after=task.run_after or get_date_max(),
            backend_name=self.alias,
        )
        insert_rows(DBTaskResult, [row])
        return row


# --- a worker killed in the middle of a task -------------------------------------------------
# django-tasks' worker claims a task (RUNNING, with its worker id) and runs it; killed with
# SIGKILL or by a power cut, it leaves the task RUNNING for ever. `motcua worker` names itself
# host:pid and, when it starts, makes the RUNNING tasks of this machine's dead workers READY
# again: they run once more. Every task is written to be run again safely (a notification is
# claimed and sent under one message id, OCR redoes a file still pending, the portal's push is
# idempotent). A task of another machine is left to that machine's worker.


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def recover_interrupted() -> int:
    """Make the tasks left RUNNING by a dead worker of this machine READY again; how many."""
    host = socket.gethostname()[:40]
    interrupted = []
    for task_id, workers in DBTaskResult.objects.running().values_list("id", "worker_ids"):
        name, _, pid = (workers[-1] if workers else "").rpartition(":")
        if name == host and pid.isdigit() and not _alive(int(pid)):
            interrupted.append(task_id)
    return DBTaskResult.objects.filter(id__in=interrupted, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )

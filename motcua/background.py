"""Queueing background work (``motcua db_worker``) with the change that asks for it.

With the database task backend (production) the task's row is written inside the caller's
transaction: it commits or rolls back with the change, the worker cannot pick it before the
commit, and no crash between the commit and the queueing can lose it (the outbox pattern,
without a second transaction). With any other backend (the immediate one in tests) the task is
queued after the commit, so it never runs on data that may yet roll back.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks_db import DatabaseBackend


def enqueue_with_change(task, *args) -> None:
    """Queue ``task(*args)`` as part of the current transaction (see the module's note)."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))

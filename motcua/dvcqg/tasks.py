"""The push as a background task (``motcua worker``): queued with every change the portal
must hear of, so a step usually reaches the portal within a second or two of its commit. The
retries after a failure are the sweep's (``motcua dvcqg push --loop``, started by
``motcua serve`` when the connector is on), so a task lost with a killed worker loses nothing."""

from __future__ import annotations

from django_tasks import task

from motcua.dvcqg.push import push


@task()
def push_portal() -> dict:
    result = push()
    return {"sent": result.sent, "left": result.left, "stopped": result.stopped}

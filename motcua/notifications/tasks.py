from django_tasks import task

from motcua.notifications.actions import deliver


@task()
def send_notification(pk: str) -> str:
    """Send one queued notification (background worker: ``motcua db_worker``)."""
    return deliver(pk).status

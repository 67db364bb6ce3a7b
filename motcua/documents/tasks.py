from django_tasks import task

from motcua.documents.actions import recognise_file


@task()
def recognise_file_task(pk: str) -> str:
    """OCR one scanned file (background worker: ``motcua db_worker``)."""
    return recognise_file(pk)

"""Background work of documents (``motcua db_worker``): OCR of scans after their commit."""

from django.db import transaction
from django_tasks import task

from motcua.documents import ocr
from motcua.documents.models import OcrState, StoredFile


@task()
def recognise_file_task(pk: str) -> str:
    """OCR one scanned file."""
    return ocr.recognise_file(pk)


def queue_ocr(stored: StoredFile) -> None:
    """Mark a scan for OCR and queue it after commit; without the tools, say it is unavailable."""
    if not ocr.available():
        stored.ocr_state = OcrState.UNAVAILABLE
        stored.save(update_fields=["ocr_state"])
        return
    stored.ocr_state = OcrState.PENDING
    stored.save(update_fields=["ocr_state"])

    transaction.on_commit(lambda pk=str(stored.pk): recognise_file_task.enqueue(pk))

"""Background work of documents (``motcua worker``): OCR of scans after their commit."""

from django_tasks import task

from motcua.background import enqueue_with_change
from motcua.documents import ocr
from motcua.documents.models import OcrState, StoredFile


@task()
def recognise_file_task(pk: str) -> str:
    """OCR one scanned file."""
    return ocr.recognise_file(pk)


def queue_ocr(stored: StoredFile) -> None:
    """Mark a scan for OCR and queue it with the change; without the tools, say so."""
    if not ocr.available():
        stored.ocr_state = OcrState.UNAVAILABLE
        stored.save(update_fields=["ocr_state"])
        return
    stored.ocr_state = OcrState.PENDING
    stored.save(update_fields=["ocr_state"])

    enqueue_with_change(recognise_file_task, str(stored.pk))

"""Online submissions whose code was never confirmed: after ``MOTCUA_UNCONFIRMED_HOURS`` (48)
their files and the applicant's data are deleted, with one ``purge_unconfirmed`` event, and
their code rows go (issue 13, M7; docs/security.md §6). The draft itself stays, emptied: its
history is sealed (docs/audit.md), and the applicant's name in its creation event stays with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from motcua.core.lifecycle import EventKind, State
from motcua.core.text import fold
from motcua.documents.models import StoredFile
from motcua.dossiers.ledger import append_event, lock_dossier
from motcua.dossiers.models import Channel, Dossier
from motcua.portal.models import CodeSend, OneTimeCode

PURGED_NAME = "(đã xoá: hồ sơ trực tuyến không được xác nhận)"


def waiting_too_long(now: datetime):
    cutoff = now - timedelta(hours=settings.MOTCUA_UNCONFIRMED_HOURS)
    return Dossier.objects.filter(
        state=State.DRAFT,
        channel=Channel.ONLINE,
        created_at__lt=cutoff,
        one_time_code__confirmed_at__isnull=True,
    )


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Purge every online draft left unconfirmed too long; how many."""
    now = now or timezone.now()
    count = 0
    for pk in list(waiting_too_long(now).values_list("pk", flat=True)):
        if purge_one(pk, now):
            count += 1
    return count


def purge_one(pk, now: datetime) -> bool:
    with transaction.atomic():
        dossier = lock_dossier(pk)
        if (
            dossier.state != State.DRAFT
            or not OneTimeCode.objects.filter(dossier=dossier, confirmed_at__isnull=True).exists()
        ):
            return False  # confirmed meanwhile
        files = list(StoredFile.objects.filter(dossier=dossier))
        names = [n for f in files for n in (f.content.name, f.searchable.name) if n]
        try:
            StoredFile.objects.filter(dossier=dossier).delete()
        except ProtectedError:
            names = []
        OneTimeCode.objects.filter(dossier=dossier).delete()
        CodeSend.objects.filter(dossier=dossier).delete()
        dossier.applicant_name = PURGED_NAME
        dossier.applicant_folded = fold(PURGED_NAME)
        for name in (
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "representative",
            "applicant_sex",
        ):
            setattr(dossier, name, "")
        dossier.applicant_birth_date = None
        dossier.save()
        append_event(
            dossier,
            EventKind.PURGE_UNCONFIRMED,
            actor=None,
            role="system",
            at=now,
            note=(
                f"Không xác nhận trong {settings.MOTCUA_UNCONFIRMED_HOURS} giờ: đã xoá "
                f"{len(files)} tệp và thông tin liên hệ của người nộp."
            ),
            data={"files": len(files)},
        )
        storage = StoredFile._meta.get_field("content").storage
        transaction.on_commit(lambda: [storage.delete(n) for n in names])
    return True

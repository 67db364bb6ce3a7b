"""What citizens leave behind (issue 13, M7): online submissions never confirmed are purged
after MOTCUA_UNCONFIRMED_HOURS, files no row names after a day, and one address may upload
only MOTCUA_UPLOAD_QUOTA_MB_PER_DAY a day through the online form."""

from __future__ import annotations

import io
import os
import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from motcua.documents.models import StoredFile
from motcua.documents.orphans import sweep_orphan_files
from motcua.dossiers.models import Dossier
from motcua.portal.models import OneTimeCode
from motcua.portal.purge import PURGED_NAME, purge_unconfirmed
from tests.factories import jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db
SUBMIT = "/nop-truc-tuyen/2.001035/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def form(pdf=None, jpg=None, phone="0977111222"):
    return {
        "applicant_name": "Đặng Thị Hoa",
        "applicant_id_number": "019190004321",
        "applicant_phone": phone,
        "applicant_email": "hoa@example.vn",
        "applicant_address": "Thôn Bản Pài",
        "file-0": SimpleUploadedFile(
            "hop-dong.pdf", pdf or pdf_bytes("Hợp đồng"), "application/pdf"
        ),
        "file-1": SimpleUploadedFile("cccd.jpg", jpg or jpeg_bytes(), "image/jpeg"),
    }


def noisy_jpeg() -> bytes:
    """A photo that does not compress: random pixels."""
    import io
    import random

    from PIL import Image

    rng = random.Random(13)
    image = Image.frombytes(
        "RGB", (760, 760), bytes(rng.getrandbits(8) for _ in range(760 * 760 * 3))
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def submit(client, **more) -> Dossier:
    answer = client.post(SUBMIT, form(**more))
    assert answer.status_code == 302, answer.content.decode()[:1500]
    return Dossier.objects.order_by("-created_at").first()


def age(dossier, hours):
    Dossier.objects.filter(pk=dossier.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def test_an_unconfirmed_submission_is_emptied_after_48_hours(
    client, staff, django_capture_on_commit_callbacks
):
    old = submit(client)
    names = [f.content.name for f in StoredFile.objects.filter(dossier=old)]
    assert len(names) == 2 and all(default_storage.exists(n) for n in names)
    young = submit(client, phone="0977111333")
    age(old, 49)
    age(young, 47)
    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        assert purge_unconfirmed() == 1
    old.refresh_from_db()
    assert old.applicant_name == PURGED_NAME
    assert (old.applicant_phone, old.applicant_email, old.applicant_address) == ("", "", "")
    assert old.applicant_id_number == "" and old.state == "draft"
    assert not StoredFile.objects.filter(dossier=old).exists()
    assert not any(default_storage.exists(n) for n in names)
    assert not OneTimeCode.objects.filter(dossier=old).exists()
    last = old.events.order_by("-seq").first()
    assert last.action == "purge_unconfirmed" and "2 tệp" in last.note
    # the young one and its files stay; a second pass does nothing
    assert StoredFile.objects.filter(dossier=young).count() == 2
    assert purge_unconfirmed() == 0


def test_a_confirmed_submission_is_never_purged(client, staff):
    answer = client.post(SUBMIT, form())
    dossier = Dossier.objects.get()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    client.post(answer["Location"], {"code": code})
    age(dossier, 24 * 30)
    assert purge_unconfirmed() == 0
    dossier.refresh_from_db()
    assert dossier.applicant_name == "Đặng Thị Hoa"


def test_the_command_purges_and_reports(client, staff, capsys):
    age(submit(client), 72)
    call_command("purge")
    assert "Đã xoá 1 hồ sơ trực tuyến không được xác nhận" in capsys.readouterr().out


def test_orphan_files_older_than_a_day_go_and_others_stay(client, staff):
    dossier = submit(client)
    kept = StoredFile.objects.filter(dossier=dossier).first().content.name
    old = default_storage.save("dossiers/05605/mo-coi-cu", io.BytesIO(b"x"))
    new = default_storage.save("dossiers/05605/mo-coi-moi", io.BytesIO(b"y"))
    day_ago = time.time() - 25 * 3600
    os.utime(default_storage.path(old), (day_ago, day_ago))
    os.utime(default_storage.path(kept), (day_ago, day_ago))
    assert sweep_orphan_files() == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(new) and default_storage.exists(kept)
    default_storage.delete(new)


def test_an_address_uploads_at_most_its_daily_quota(client, staff, settings):
    settings.MOTCUA_UPLOAD_QUOTA_MB_PER_DAY = 1
    big = noisy_jpeg()
    assert 600 * 1024 < len(big) < 1000 * 1024, len(big)
    submit(client, jpg=big)  # more than half the quota
    before = StoredFile.objects.count()
    refused = client.post(SUBMIT, form(jpg=big, phone="0977111444"))
    text = refused.content.decode()
    assert refused.status_code == 429
    assert "đã tải lên đủ 1 MB hôm nay" in text and "Bộ phận Một cửa" in text
    assert StoredFile.objects.count() == before and Dossier.objects.count() == 1
    # another address is not held back
    other = client.post(SUBMIT, form(phone="0977111555"), REMOTE_ADDR="198.51.100.77")
    assert other.status_code == 302

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier
from tests.factories import PASSWORD, encrypted_pdf_bytes, jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db
PDF = pdf_bytes("Hợp đồng mua bán")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def form(**files):
    data = {
        "applicant_name": "Đặng Thị Hoa",
        "applicant_id_number": "019190004321",
        "applicant_phone": "0977111222",
        "applicant_email": "hoa@example.vn",
        "applicant_address": "Thôn Bản Pài",
    }
    data.update(files)
    return data


def test_citizen_submits_confirms_and_an_official_receives(client, staff):
    response = client.post(
        "/nop-truc-tuyen/2.001035/",
        form(
            **{
                "file-0": SimpleUploadedFile("hop-dong.pdf", PDF, "application/pdf"),
                "file-1": SimpleUploadedFile("cccd.jpg", jpeg_bytes(), "image/jpeg"),
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.state == "draft" and dossier.channel == "online"
    assert StoredFile.objects.filter(dossier=dossier).count() == 2
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = client.post(response["Location"], {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and "không đúng" in wrong.content.decode()
    done = client.post(response["Location"], {"code": code})
    assert "Đã nộp hồ sơ" in done.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == "awaiting_reception" and dossier.code is None
    # the reception queue: an official receives it, which fixes code and appointment
    assert client.login(username="chuyenvien", password=PASSWORD)
    assert "Chờ tiếp nhận" in client.get("/ho-so/").content.decode()
    client.post(
        f"/ho-so/{dossier.pk}/thao-tac/receive/",
        {"components": ["Dự thảo hợp đồng", "Giấy tờ tùy thân"]},
    )
    dossier.refresh_from_db()
    assert dossier.state == "received" and dossier.code and dossier.due_at


def bomb_png() -> bytes:
    """A decompression bomb: a few kilobytes that decode to 400 million pixels."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("a.pdf", b"", "application/pdf"), "rỗng"),
        (
            SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"0" * 100, "application/pdf"),
            "không phải PDF",
        ),
        (SimpleUploadedFile("khoa.pdf", encrypted_pdf_bytes(), "application/pdf"), "mật khẩu"),
        (
            SimpleUploadedFile("hong.pdf", b"%PDF-1.7\n" + b"rac" * 200, "application/pdf"),
            "bị hỏng",
        ),
        (SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100, "image/jpeg"), "hỏng"),
        (SimpleUploadedFile("bom.png", bomb_png(), "image/png"), "quá lớn"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(client, staff, upload, message):
    page = client.post("/nop-truc-tuyen/2.001035/", form(**{"file-0": upload}))
    assert message in page.content.decode()
    assert Dossier.objects.count() == 0 and StoredFile.objects.count() == 0
    assert not mail.outbox


def test_oversized_request_is_refused_before_reading(client, staff, settings):
    settings.MOTCUA_MAX_REQUEST_MB = 1
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (2 * 1024 * 1024), "application/pdf")
    response = client.post("/nop-truc-tuyen/2.001035/", form(**{"file-0": big}))
    assert response.status_code == 413
    assert "quá lớn" in response.content.decode()
    assert Dossier.objects.count() == 0


def test_five_wrong_codes_lock_the_submission(client, staff):
    response = client.post("/nop-truc-tuyen/2.001035/", form())
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post(response["Location"], {"code": wrong})
    locked = client.post(response["Location"], {"code": code})
    assert "quá 5 lần" in locked.content.decode()
    assert Dossier.objects.get().state == "draft"

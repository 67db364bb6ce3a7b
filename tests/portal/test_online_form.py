"""The online form forgives: every mistake at once next to its field, attached files kept across
a failed submit, the mandatory papers of a fully online procedure required, and limits that
count codes sent (per destination, per dossier), never the citizen's corrected attempts."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.documents.models import StoredFile
from motcua.dossiers.models import Dossier
from motcua.portal import holding
from motcua.portal.models import CodeSend
from tests.factories import jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db
PARTLY = "/nop-truc-tuyen/2.001035/"  # một phần: Dự thảo hợp đồng; Giấy tờ tùy thân
FULLY = "/nop-truc-tuyen/1.001193/"  # toàn trình: Tờ khai đăng ký khai sinh; Giấy chứng sinh
PDF = pdf_bytes("Tờ khai")


@pytest.fixture(autouse=True)
def own_holding(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def person(**changes):
    data = {
        "applicant_name": "Đặng Thị Hoa",
        "applicant_id_number": "019190004321",
        "applicant_birth_date": "",
        "applicant_phone": "0977111222",
        "applicant_email": "hoa@example.vn",
        "applicant_address": "Thôn Bản Pài",
    }
    data.update(changes)
    return data


def pdf(name="to-khai.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


def jpg(name="giay.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), "image/jpeg")


def field_error(html: str, field_id: str) -> str:
    """The error printed right after the field ``field_id`` (its own <div class="err">)."""
    match = re.search(rf'id="{field_id}-loi">([^<]*)<', html)
    return match.group(1) if match else ""


def holding_token(html: str) -> str:
    return re.search(r'name="holding" value="([^"]+)"', html).group(1)


def test_every_mistake_is_shown_at_once_next_to_its_field(client, staff):
    page = client.post(
        PARTLY,
        person(
            applicant_name="123",
            applicant_id_number="019190004",  # nine digits: an old identity card number
            applicant_birth_date="31/02/1990",
            applicant_phone="12",
            applicant_email="hoa@",
        ),
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert "Có 5 chỗ cần sửa" in html
    assert "chữ cái" in field_error(html, "id_applicant_name")
    assert "12 chữ số" in field_error(html, "id_applicant_id_number")
    assert "ngày/tháng/năm" in field_error(html, "id_applicant_birth_date")
    assert "9 đến 12 chữ số" in field_error(html, "id_applicant_phone")
    assert "thư điện tử" in field_error(html, "id_applicant_email").lower()
    assert Dossier.objects.count() == 0 and not mail.outbox


@pytest.mark.parametrize(
    "name, ok",
    [
        ("123", False),
        ("---", False),
        ("Nguyễn Văn 2", False),
        ("Ðỗ Thị Ơn", True),  # Vietnamese letters count
        ("Hoàng Thị Thu-Hà", True),
        ("Lò Văn Ỷ", True),
    ],
)
def test_a_name_must_have_letters(client, staff, name, ok):
    html = client.post(PARTLY, person(applicant_name=name)).content.decode()
    assert bool(field_error(html, "id_applicant_name")) is not ok


def test_the_cccd_year_is_checked_against_the_birth_date_typed_day_first(client, staff):
    # 019190004321: born 1990 (digits 4-6 are "190" → 1900s, female, 90)
    wrong = client.post(PARTLY, person(applicant_birth_date="05/09/1985")).content.decode()
    assert "khác năm sinh đã nhập (1985)" in field_error(wrong, "id_applicant_id_number")
    assert not field_error(wrong, "id_applicant_birth_date")
    # 05/09/1990 is the fifth of September, whatever a browser's locale would have said
    assert client.post(PARTLY, person(applicant_birth_date="05/09/1990")).status_code == 302
    assert Dossier.objects.get().applicant_birth_date.isoformat() == "1990-09-05"


def test_a_contact_is_needed_for_the_code(client, staff):
    html = client.post(PARTLY, person(applicant_phone="", applicant_email="")).content.decode()
    assert "để nhận mã xác nhận" in field_error(html, "id_applicant_email")


def test_files_are_kept_across_a_failed_submit_and_can_be_replaced(client, staff):
    first = client.post(
        PARTLY,
        person(applicant_id_number="019190004", **{"file-0": pdf("hop-dong.pdf"), "file-1": jpg()}),
    )
    html = first.content.decode()
    assert first.status_code == 400
    assert "Đã đính kèm: <strong>hop-dong.pdf</strong> (giữ lại" in html
    assert "Đã đính kèm: <strong>giay.jpg</strong> (giữ lại" in html
    token = holding_token(html)
    assert set(holding.held(token)) == {0, 1}
    # fixed without attaching anything again; the second paper replaced by another file
    done = client.post(
        PARTLY,
        person(holding=token, **{"file-1": SimpleUploadedFile("cccd-moi.pdf", PDF)}),
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    dossier = Dossier.objects.get()
    names = dict(
        StoredFile.objects.filter(dossier=dossier).values_list("component", "original_name")
    )
    assert names == {"Dự thảo hợp đồng": "hop-dong.pdf", "Giấy tờ tùy thân": "cccd-moi.pdf"}
    assert dossier.submitted_components == ["Dự thảo hợp đồng", "Giấy tờ tùy thân"]
    assert holding.held(token) == {}  # the holding area was emptied


def test_a_held_file_can_be_taken_off(client, staff):
    html = client.post(
        PARTLY, person(applicant_name="", **{"file-0": pdf("nham.pdf")})
    ).content.decode()
    token = holding_token(html)
    assert client.post(PARTLY, person(holding=token, drop=["0"])).status_code == 302
    assert StoredFile.objects.count() == 0


def test_a_bad_file_is_reported_on_its_component_and_the_good_one_kept(client, staff):
    html = client.post(
        PARTLY,
        person(**{"file-0": SimpleUploadedFile("rong.pdf", b""), "file-1": jpg("cccd.jpg")}),
    ).content.decode()
    assert "rỗng" in field_error(html, "file-0")
    assert "Đã đính kèm: <strong>cccd.jpg</strong>" in html
    assert Dossier.objects.count() == 0


def test_a_forged_holding_token_is_ignored(client, staff):
    html = client.post(PARTLY, person(applicant_name="", holding="../../etc")).content.decode()
    assert holding_token(html) != "../../etc" and holding.valid_token(holding_token(html))


def test_fully_online_needs_every_mandatory_paper(client, staff):
    page = client.post(FULLY, person(**{"file-0": pdf()}))
    html = page.content.decode()
    assert page.status_code == 400
    assert "cần đính kèm giấy tờ này" in field_error(html, "file-1")
    assert not field_error(html, "file-0")
    assert Dossier.objects.count() == 0
    token = holding_token(html)
    assert client.post(FULLY, person(holding=token, **{"file-1": jpg()})).status_code == 302
    assert StoredFile.objects.filter(dossier=Dossier.objects.get()).count() == 2


def test_a_conditional_paper_is_not_required(client, staff):
    version = Procedure.objects.get(code="1.001193").current_version
    version.components[1]["conditional"] = True  # e.g. "(nếu có)"
    version.save()
    assert client.post(FULLY, person(**{"file-0": pdf()})).status_code == 302


def test_partly_online_may_be_sent_without_papers(client, staff):
    assert client.post(PARTLY, person()).status_code == 302


def test_the_code_message_carries_the_tracking_link(client, staff):
    response = client.post(PARTLY, person())
    dossier = Dossier.objects.get()
    body = mail.outbox[-1].body
    assert f"/tra-cuu/{dossier.tracking_token}/" in body
    assert response["Location"] == f"/nop-truc-tuyen/xac-nhan/{dossier.tracking_token}/"
    confirm = client.get(response["Location"]).content.decode()
    assert f"/tra-cuu/{dossier.tracking_token}/" in confirm
    # the tracking page of a draft waiting for its code says what to do and links to it
    tracking = client.get(f"/tra-cuu/{dossier.tracking_token}/").content.decode()
    assert "cần nhập mã xác nhận" in tracking
    assert f'href="/nop-truc-tuyen/xac-nhan/{dossier.tracking_token}/"' in tracking


def test_sms_carries_the_link_when_there_is_no_email(client, staff, settings):
    from motcua.notifications.sms import LoopbackFakeSmsBackend

    settings.MOTCUA_SMS_BACKEND = "motcua.notifications.sms.LoopbackFakeSmsBackend"
    LoopbackFakeSmsBackend.outbox.clear()
    client.post(PARTLY, person(applicant_email=""))
    dossier = Dossier.objects.get()
    phone, text = LoopbackFakeSmsBackend.outbox[-1]
    assert phone == "0977111222" and f"/tra-cuu/{dossier.tracking_token}/" in text


def test_corrected_attempts_are_never_counted(client, staff):
    for _ in range(15):  # one citizen, many mistakes, one address
        assert client.post(PARTLY, person(applicant_id_number="1")).status_code == 400
    assert client.post(PARTLY, person()).status_code == 302
    assert CodeSend.objects.count() == 1


def test_many_citizens_behind_one_address_are_not_blocked(client, staff):
    for i in range(12):  # a commune kiosk: one address, twelve people
        response = client.post(
            PARTLY, person(applicant_email=f"nguoi{i}@example.vn"), REMOTE_ADDR="10.0.0.7"
        )
        assert response.status_code == 302, i
    assert Dossier.objects.count() == 12


def test_five_codes_per_destination_an_hour_then_a_time_and_what_to_do(client, staff):
    desk = staff.binh_thanh.desk
    desk.hotline = "0208 3 000 000"
    desk.save()
    for _ in range(5):
        assert client.post(PARTLY, person()).status_code == 302
    first = CodeSend.objects.order_by("sent_at").first().sent_at
    blocked = client.post(PARTLY, person(**{"file-0": pdf("hop-dong.pdf")}))
    html = blocked.content.decode()
    assert blocked.status_code == 429
    again = timezone.localtime(first + timedelta(hours=1)).strftime("%H:%M")
    assert f"Vui lòng thử lại sau {again}" in html
    assert "Bộ phận Một cửa Xã Bình Thành" in html and "0208 3 000 000" in html
    assert "Đã đính kèm: <strong>hop-dong.pdf</strong>" in html  # the file is kept
    assert Dossier.objects.count() == 5
    # another citizen is not affected
    assert client.post(PARTLY, person(applicant_email="lan@example.vn")).status_code == 302


def test_resend_gives_a_new_code_three_per_dossier_an_hour(client, staff):
    location = client.post(PARTLY, person())["Location"]
    old = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    for n in (2, 3):
        response = client.post(location, {"action": "resend"})
        assert response.status_code == 302 and len(mail.outbox) == n
    new = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    refused = client.post(location, {"action": "resend"})
    assert refused.status_code == 429 and "Vui lòng thử lại sau" in refused.content.decode()
    assert len(mail.outbox) == 3
    if old != new:
        assert "không đúng" in client.post(location, {"code": old}).content.decode()
    assert "Đã nộp hồ sơ" in client.post(location, {"code": new}).content.decode()
    dossier = Dossier.objects.get()
    assert dossier.state == "awaiting_reception"
    # the code page of a dossier already sent leads to its tracking page
    assert client.get(location)["Location"] == f"/tra-cuu/{dossier.tracking_token}/"


def test_a_failing_mail_server_keeps_the_dossier_and_offers_a_resend(client, staff, settings):
    from tests.portal.mailbox import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    response = client.post(PARTLY, person(**{"file-0": pdf()}), follow=True)
    html = response.content.decode()
    assert "Chưa gửi được mã xác nhận" in html and "Gửi lại mã" in html
    dossier = Dossier.objects.get()
    assert dossier.files.count() == 1 and CodeSend.objects.count() == 0


def test_old_holding_areas_are_swept(settings, tmp_path):
    old, fresh = holding.new_token(), holding.new_token()
    holding.hold(old, 0, "cu.pdf", PDF, "application/pdf")
    holding.hold(fresh, 0, "moi.pdf", PDF, "application/pdf")
    day_ago = time.time() - 25 * 3600
    import os

    for p in holding.area(old).iterdir():
        os.utime(p, (day_ago, day_ago))
    call_command("clean-holding")
    assert holding.held(old) == {} and set(holding.held(fresh)) == {0}
    assert holding.clean_holding(now=time.time() + 25 * 3600) == 1

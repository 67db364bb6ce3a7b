import pytest

from motcua.core.lifecycle import State
from motcua.dossiers.models import Dossier
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

FORM = {
    "channel": "direct",
    "applicant_kind": "person",
    "applicant_name": "Trần Thị Bình",
    "applicant_id_number": "019185001234",
    "applicant_phone": "0987654321",
    "copies": "1",
    "components": ["Dự thảo hợp đồng", "Giấy tờ tùy thân"],
}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_intake_receive_then_slip(client, staff):
    login(client, staff.specialist)
    page = client.get("/ho-so/tiep-nhan/", {"q": "chung thuc giao dich"}).content.decode()
    assert "/ho-so/tiep-nhan/2.001035/" in page
    form_page = client.get("/ho-so/tiep-nhan/2.001035/").content.decode()
    assert "hẹn trả" in form_page
    response = client.post("/ho-so/tiep-nhan/2.001035/", {**FORM, "outcome": "receive"})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.state == State.RECEIVED and dossier.applicant_name == "Trần Thị Bình"
    detail = client.get(response["Location"]).content.decode()
    assert dossier.code in detail and "Giấy tiếp nhận và hẹn trả kết quả" in detail
    pdf = client.get(f"/ho-so/{dossier.pk}/phieu/tiep-nhan.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_intake_with_missing_component_asks_for_supplement(client, staff):
    login(client, staff.specialist)
    data = {**FORM, "components": ["Dự thảo hợp đồng"], "outcome": "receive"}
    page = client.post("/ho-so/tiep-nhan/2.001035/", data).content.decode()
    assert "Hồ sơ còn thiếu: Giấy tờ tùy thân" in page
    assert Dossier.objects.count() == 0
    response = client.post("/ho-so/tiep-nhan/2.001035/", {**data, "outcome": "supplement"})
    dossier = Dossier.objects.get()
    assert dossier.state == State.DRAFT
    assert dossier.events.filter(action="request_completion", note="Giấy tờ tùy thân").exists()
    assert client.get(f"/ho-so/{dossier.pk}/phieu/yeu-cau-bo-sung.pdf").status_code == 200
    assert response.status_code == 302


def test_bad_citizen_id_is_shown_and_nothing_saved(client, staff):
    login(client, staff.specialist)
    page = client.post(
        "/ho-so/tiep-nhan/2.001035/", {**FORM, "applicant_id_number": "12345", "outcome": "receive"}
    )
    assert "12 chữ số" in page.content.decode()
    assert Dossier.objects.count() == 0


def test_worklist_and_actions_through_pages(client, staff):
    login(client, staff.specialist)
    client.post("/ho-so/tiep-nhan/2.001035/", {**FORM, "outcome": "receive"})
    dossier = Dossier.objects.get()
    work = client.get("/ho-so/").content.decode()
    assert dossier.code in work
    client.post(f"/ho-so/{dossier.pk}/thao-tac/start_review/")
    client.post(f"/ho-so/{dossier.pk}/thao-tac/submit_for_approval/")
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_APPROVAL
    # the specialist cannot approve: refused with a message, nothing changes
    page = client.post(f"/ho-so/{dossier.pk}/thao-tac/approve/", follow=True).content.decode()
    assert "Vai trò của bạn không được" in page
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_APPROVAL


def test_other_commune_cannot_open_the_dossier(client, staff):
    login(client, staff.specialist)
    client.post("/ho-so/tiep-nhan/2.001035/", {**FORM, "outcome": "receive"})
    dossier = Dossier.objects.get()
    client.logout()
    login(client, staff.neighbour_specialist)
    assert client.get(f"/ho-so/{dossier.pk}/").status_code == 403
    assert client.get(f"/ho-so/{dossier.pk}/phieu/tiep-nhan.pdf").status_code == 403
    assert client.post(f"/ho-so/{dossier.pk}/thao-tac/start_review/").status_code == 403
    assert dossier.code not in client.get("/ho-so/").content.decode()


def test_log_book_page_and_xlsx(client, staff):
    from io import BytesIO

    from django.utils import timezone
    from openpyxl import load_workbook

    login(client, staff.specialist)
    client.post("/ho-so/tiep-nhan/2.001035/", {**FORM, "outcome": "receive"})
    dossier = Dossier.objects.get()
    client.post(f"/ho-so/{dossier.pk}/thao-tac/start_review/")
    month = timezone.localdate().strftime("%Y-%m")
    page = client.get("/ho-so/so-theo-doi/", {"thang": month}).content.decode()
    assert dossier.code in page and "Ngày chuyển hồ sơ đến cơ quan giải quyết" in page
    xlsx = client.get("/ho-so/so-theo-doi/", {"thang": month, "xuat": "xlsx"})
    sheet = load_workbook(BytesIO(xlsx.content)).active
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert header[1] == "Mã hồ sơ" and len(header) == 14
    assert row[1] == dossier.code and row[4] == "Trần Thị Bình"
    assert row[7] == timezone.localdate().strftime("%d/%m/%Y") and row[9]  # handed over today
    # another commune's official sees an empty book
    client.logout()
    login(client, staff.neighbour_specialist)
    assert dossier.code not in client.get("/ho-so/so-theo-doi/", {"thang": month}).content.decode()

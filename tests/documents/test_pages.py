"""Result pages, file access, the API and the public verification page."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.demo import devca
from motcua.documents.certificates import register_certificate, trust_authority
from motcua.workflow import actions
from motcua.workflow.results import attach_result, seal_and_issue, sign_and_approve
from tests.dossiers.conftest import intake
from tests.factories import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki():
    ca = devca.make_ca()
    return ca, devca.issue(ca, "Lãnh Đạo", "UBND"), devca.issue(ca, "UBND xã Bình Thành", "UBND")


@pytest.fixture
def issued(staff, pki):
    ca, leader, seal = pki
    trust_authority("CA", ca.pem())
    register_certificate(
        unit=staff.binh_thanh, user=staff.leader, data=leader.pkcs12("a"), passphrase="a"
    )
    register_certificate(unit=staff.binh_thanh, data=seal.pkcs12("b"), passphrase="b")
    d = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    d = actions.perform(d.pk, staff.specialist, "receive")
    d = actions.perform(d.pk, staff.specialist, "start_review")
    attach_result(d.pk, staff.specialist)
    actions.perform(d.pk, staff.specialist, "submit_for_approval")
    sign_and_approve(d.pk, staff.leader, "a")
    return seal_and_issue(d.pk, staff.clerk, "b", "7/GXN-UBND", "số theo sổ giấy của xã")


def api_client(client, username):
    from tests.factories import PASSWORD

    token = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}).json()[
        "token"
    ]
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    return client


def test_result_pdf_by_api_only_for_the_unit(client, staff, issued):
    code = issued.dossier.code
    api = api_client(client, "chuyenvien")
    response = api.get(f"/api/v1/dossiers/{code}/result.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == issued.file.content.open("rb").read()
    other = api_client(client, "xakhac")
    assert other.get(f"/api/v1/dossiers/{code}/result.pdf").status_code == 404


def test_files_only_served_to_those_who_may_see_the_dossier(client, staff, issued):
    url = f"/ho-so/{issued.dossier.pk}/tep/{issued.file.pk}/"
    client.force_login(staff.neighbour_specialist)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Bạn không có quyền xem hồ sơ của đơn vị khác." in refused.content.decode()
    client.force_login(staff.specialist)
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert f'filename="ket-qua-{issued.dossier.code}.pdf"' in served["Content-Disposition"]
    body = b"".join(served.streaming_content)
    # byte for byte the sealed file, and the hash recorded when it was stored
    assert body == issued.file.content.open("rb").read()
    assert hashlib.sha256(body).hexdigest() == issued.file.sha256
    assert body.count(b"/ByteRange") == 2  # the leader's signature and the seal, both kept


def test_component_upload_by_api_digitises(client, staff):
    d = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    d = actions.perform(d.pk, staff.specialist, "receive")
    api = api_client(client, "chuyenvien")
    response = api.post(
        f"/api/v1/dossiers/{d.code}/files/",
        {"component": "Dự thảo hợp đồng", "file": SimpleUploadedFile("anh.jpg", jpeg_bytes())},
    )
    assert response.status_code == 201, response.content
    d.refresh_from_db()
    assert not d.components_digitised  # a scan without its metadata is not yet digitised
    described = api.post(
        f"/api/v1/dossiers/{d.code}/files/{response.json()['id']}/metadata/",
        {
            "document_type": "Dự thảo hợp đồng",
            "document_number": "01/HĐ",
            "document_date": "02/03/2024",
            "issuer": "Các bên giao kết",
        },
    )
    assert described.status_code == 200 and described.json()["digitised"], described.content
    response = api.post(
        f"/api/v1/dossiers/{d.code}/files/",
        {
            "component": "Giấy tờ tùy thân",
            "file": SimpleUploadedFile("anh.jpg", jpeg_bytes()),
            "document_type": "Căn cước",
            "document_number": "019085001234",
            "document_date": "15/08/2021",
            "issuer": "Bộ Công an",
        },
    )
    assert response.status_code == 201, response.content
    d.refresh_from_db()
    assert d.components_digitised
    listed = api.get(f"/api/v1/dossiers/{d.code}/files/").json()
    assert {f["component"] for f in listed} == {"Dự thảo hợp đồng", "Giấy tờ tùy thân"}
    bad = api.post(
        f"/api/v1/dossiers/{d.code}/files/",
        {"component": "Giấy tờ tùy thân", "file": SimpleUploadedFile("x.pdf", b"MZ" * 50)},
    )
    assert bad.status_code == 400 and "không phải PDF" in bad.json()["detail"]


def test_verification_page_tells_issued_from_altered(client, staff, issued):
    pdf = issued.file.content.open("rb").read()
    page = client.post("/xac-thuc/", {"file": SimpleUploadedFile("kq.pdf", pdf)})
    text = page.content.decode()
    assert "Đây đúng là văn bản 7/GXN-UBND" in text
    assert text.count("Còn nguyên vẹn") == 2 and "Chứng thư tin cậy" in text
    altered = bytearray(pdf)
    altered[pdf.index(b"stream") + 40] ^= 1
    page = client.post("/xac-thuc/", {"file": SimpleUploadedFile("kq.pdf", bytes(altered))})
    text = page.content.decode()
    assert "không trùng với văn bản nào" in text and "Đã bị thay đổi sau khi ký" in text
    by_code = client.post(
        "/xac-thuc/", {"code": issued.dossier.code, "token": issued.dossier.tracking_token}
    )
    assert "Đây đúng là văn bản 7/GXN-UBND" in by_code.content.decode()
    wrong = client.post("/xac-thuc/", {"code": issued.dossier.code, "token": "sai"})
    assert "Không tìm thấy văn bản" in wrong.content.decode()


def test_detail_page_offers_the_right_step(client, staff):
    d = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    d = actions.perform(d.pk, staff.specialist, "receive")
    d = actions.perform(d.pk, staff.specialist, "start_review")
    client.force_login(staff.specialist)
    client.post(f"/ho-so/{d.pk}/ket-qua/du-thao/")
    actions.perform(d.pk, staff.specialist, "submit_for_approval")
    client.force_login(staff.leader)
    page = client.get(f"/ho-so/{d.pk}/").content.decode()
    assert "Ký số và phê duyệt" in page and 'data-action="approve"' not in page
    response = client.post(f"/ho-so/{d.pk}/ket-qua/ky-duyet/", {"passphrase": "x"}, follow=True)
    assert "Bạn chưa có chứng thư số" in response.content.decode()


def test_certificate_page_keeps_the_file_not_the_passphrase(client, staff, pki):
    _ca, leader, _seal = pki
    client.force_login(staff.leader)
    response = client.post(
        "/tai-khoan/chung-thu-so/",
        {"file": SimpleUploadedFile("ld.p12", leader.pkcs12("bi-mat")), "passphrase": "bi-mat"},
        follow=True,
    )
    assert "Đã lưu chứng thư số của Lãnh Đạo" in response.content.decode()
    from motcua.documents.models import SigningCertificate

    record = SigningCertificate.objects.get(user=staff.leader)
    assert b"bi-mat" not in bytes(record.pkcs12)
    response = client.post(
        "/tai-khoan/chung-thu-so/",
        {"file": SimpleUploadedFile("ld.p12", leader.pkcs12("bi-mat")), "passphrase": "sai"},
        follow=True,
    )
    assert "sai mật khẩu" in response.content.decode()

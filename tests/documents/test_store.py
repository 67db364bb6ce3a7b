"""Digitisation metadata, the dossier's digitised flags, and the applicant's document store."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import DomainError
from motcua.demo import devca
from motcua.documents import ocr
from motcua.documents.certificates import register_certificate, trust_authority
from motcua.documents.digitisation import attach_component, describe_file, reuse_document
from motcua.documents.models import StoredDocument, StoredFile
from motcua.dossiers.integrity import log_problems
from motcua.workflow import actions
from motcua.workflow.results import attach_result, seal_and_issue, sign_and_approve
from tests.dossiers.conftest import intake
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db

ID_CARD = {
    "document_type": "Căn cước",
    "document_number": "019085001234",
    "document_date": "15/08/2021",
    "issuer": "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
}
CONTRACT = {
    "document_type": "Hợp đồng tặng cho",
    "document_number": "02/HĐTC",
    "document_date": "03/11/2026",
    "issuer": "Ông Nguyễn Văn An và bà Trần Thị Bình",
}


@pytest.fixture(autouse=True)
def no_ocr(monkeypatch):
    """OCR has its own tests (test_ocr.py); here scans are only stored."""
    monkeypatch.setattr(ocr, "available", lambda: False)


def received(staff, **overrides):
    d = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake(**overrides))
    return actions.perform(d.pk, staff.specialist, "receive")


def scan(staff, dossier, component, text="Bản quét", metadata=None) -> StoredFile:
    upload = SimpleUploadedFile("quet.pdf", pdf_bytes(text))
    return attach_component(dossier.pk, staff.specialist, component, upload, metadata=metadata)


def flags(dossier):
    dossier.refresh_from_db()
    return dossier.components_digitised, dossier.result_digitised, dossier.reused_stored_document


def test_a_scan_counts_only_once_described(staff):
    d = received(staff)
    contract = scan(staff, d, "Dự thảo hợp đồng", "Hợp đồng")
    card = scan(staff, d, "Giấy tờ tùy thân", "Căn cước")
    assert flags(d) == (False, False, False)
    assert StoredDocument.objects.count() == 0

    describe_file(d.pk, contract.pk, staff.specialist, CONTRACT)
    assert flags(d)[0] is False  # the ID card has no metadata yet
    stored = describe_file(d.pk, card.pk, staff.specialist, ID_CARD)
    assert stored.document_date.isoformat() == "2021-08-15"
    assert flags(d) == (True, False, False)

    events = list(d.events.order_by("seq").values_list("action", "data"))
    described = [data for action, data in events if action == "describe_file"]
    assert [x["document_number"] for x in described] == ["02/HĐTC", "019085001234"]
    assert log_problems() == []

    # Both described papers are now in the applicant's store, with their metadata.
    kept = StoredDocument.objects.order_by("document_date")
    assert [(k.owner_kind, k.owner_id, k.document_type) for k in kept] == [
        ("person", "019085001234", "Căn cước"),
        ("person", "019085001234", "Hợp đồng tặng cho"),
    ]
    assert kept[0].sha256 == card.sha256 and kept[0].dossier_id == d.pk


def test_a_new_undescribed_scan_takes_the_flag_back(staff):
    d = received(staff)
    scan(staff, d, "Dự thảo hợp đồng", metadata=CONTRACT)
    scan(staff, d, "Giấy tờ tùy thân", metadata=ID_CARD)
    assert flags(d)[0] is True
    scan(staff, d, "Giấy tờ tùy thân", "Mặt sau")
    assert flags(d)[0] is False


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("31/12/1899", "trước năm 1900"),
        ("01/01/2999", "ở sau hôm nay"),
        ("2021-08-15", "không đúng dạng ngày/tháng/năm"),
    ],
)
def test_bad_metadata_changes_nothing(staff, date, message):
    d = received(staff)
    card = scan(staff, d, "Giấy tờ tùy thân")
    events = d.events.count()
    with pytest.raises(DomainError, match=message):
        describe_file(d.pk, card.pk, staff.specialist, {**ID_CARD, "document_date": date})
    card.refresh_from_db()
    assert card.document_type == "" and card.document_date is None
    assert d.events.count() == events and StoredDocument.objects.count() == 0


def test_another_commune_cannot_describe(staff):
    d = received(staff)
    card = scan(staff, d, "Giấy tờ tùy thân")
    with pytest.raises(DomainError) as refused:
        describe_file(d.pk, card.pk, staff.neighbour_specialist, ID_CARD)
    assert refused.value.status == 403


def test_a_later_dossier_reuses_the_stored_paper_without_a_new_scan(staff):
    first = received(staff)
    card = scan(staff, first, "Giấy tờ tùy thân", "Căn cước gốc", metadata=ID_CARD)
    entry = StoredDocument.objects.get(file=card)

    later = received(staff)
    listed = list(documents_store(later))
    assert [e.pk for e in listed] == [entry.pk]

    reused = reuse_document(later.pk, staff.specialist, entry.pk, "Giấy tờ tùy thân")
    assert reused.dossier_id == later.pk and reused.reused and reused.stored_document == entry
    assert reused.content.name == card.content.name  # the same bytes, not a copy
    assert reused.content.open("rb").read() == card.content.open("rb").read()
    assert (reused.document_type, reused.document_number) == ("Căn cước", "019085001234")
    assert flags(later) == (False, False, True)  # the contract still has to be scanned
    last = later.events.order_by("-seq").first()
    assert last.action == "reuse_document" and last.data["stored"] == str(entry.pk)
    assert last.data["source_dossier"] == str(first.pk)

    with pytest.raises(DomainError, match="đã được dùng lại") as again:
        reuse_document(later.pk, staff.specialist, entry.pk, "Giấy tờ tùy thân")
    assert again.value.status == 409
    # A reused file is not put back into the store a second time.
    assert StoredDocument.objects.count() == 1
    scan(staff, later, "Dự thảo hợp đồng", metadata=CONTRACT)
    assert flags(later) == (True, False, True)
    assert log_problems() == []


def documents_store(dossier):
    from motcua.documents.queries import owner_store

    return owner_store(dossier)


def test_the_store_is_the_owners_only(staff):
    first = received(staff)
    card = scan(staff, first, "Giấy tờ tùy thân", metadata=ID_CARD)
    entry = StoredDocument.objects.get(file=card)
    stranger = received(
        staff,
        applicant=actions.ApplicantData(name="Lê Thị Cúc", id_number="019186004321"),
    )
    assert list(documents_store(stranger)) == []
    with pytest.raises(DomainError) as refused:
        reuse_document(stranger.pk, staff.specialist, entry.pk, "Giấy tờ tùy thân")
    assert refused.value.status == 404
    assert not StoredFile.objects.filter(dossier=stranger).exists()

    later = received(staff)
    with pytest.raises(DomainError) as refused:
        reuse_document(later.pk, staff.neighbour_specialist, entry.pk, "Giấy tờ tùy thân")
    assert refused.value.status == 403
    with pytest.raises(DomainError, match="không thuộc danh mục"):
        reuse_document(later.pk, staff.specialist, entry.pk, "Giấy khai sinh")


def test_an_applicant_without_an_id_number_has_no_store(staff):
    d = received(staff, applicant=actions.ApplicantData(name="Không Số", id_number=""))
    scan(staff, d, "Giấy tờ tùy thân", metadata=ID_CARD)
    assert StoredDocument.objects.count() == 0
    assert flags(d)[0] is False  # the contract is missing, but the card itself is described


def test_an_issued_result_goes_into_the_store(staff):
    ca = devca.make_ca()
    trust_authority("CA", ca.pem())
    register_certificate(
        unit=staff.binh_thanh,
        user=staff.leader,
        data=devca.issue(ca, "Lãnh Đạo", "UBND").pkcs12("a"),
        passphrase="a",
    )
    register_certificate(
        unit=staff.binh_thanh,
        data=devca.issue(ca, "UBND xã Bình Thành", "UBND").pkcs12("b"),
        passphrase="b",
    )
    d = received(staff)
    d = actions.perform(d.pk, staff.specialist, "start_review")
    attach_result(d.pk, staff.specialist)
    assert StoredDocument.objects.count() == 0  # a draft is not a document of the citizen
    actions.perform(d.pk, staff.specialist, "submit_for_approval")
    sign_and_approve(d.pk, staff.leader, "a")
    step = seal_and_issue(d.pk, staff.clerk, "b", "15/CT-UBND", "số theo sổ giấy của xã")
    assert step.dossier.result_digitised
    entry = StoredDocument.objects.get()
    assert entry.kind == "result" and entry.file == step.file
    assert (entry.document_number, entry.issuer) == ("15/CT-UBND", "Ủy ban nhân dân xã Bình Thành")
    assert entry.document_type == "Văn bản giải quyết thủ tục hành chính"  # no result in catalogue
    # The number and date are inside the seal's signature: they cannot be edited afterwards.
    with pytest.raises(DomainError, match="không sửa được"):
        describe_file(
            d.pk,
            step.file.pk,
            staff.specialist,
            {
                "document_type": entry.document_type,
                "document_number": "16/CT-UBND",
                "document_date": f"{entry.document_date:%d/%m/%Y}",
                "issuer": entry.issuer,
            },
        )


# --- pages and API --------------------------------------------------------------------------


def api_client(client, username):
    from tests.factories import PASSWORD

    response = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD})
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {response.json()['token']}"
    return client


def test_store_api_lists_masked_and_reuses(client, staff):
    first = received(staff)
    card = scan(staff, first, "Giấy tờ tùy thân", metadata=ID_CARD)
    entry = StoredDocument.objects.get(file=card)
    later = received(staff)
    api = api_client(client, "chuyenvien")
    listed = api.get(f"/api/v1/dossiers/{later.code}/store/").json()
    assert [x["id"] for x in listed] == [str(entry.pk)]
    assert listed[0]["owner_id"] == "********1234" and listed[0]["document_date"] == "2021-08-15"
    assert listed[0]["source_dossier"] == first.code

    made = api.post(
        f"/api/v1/dossiers/{later.code}/store/",
        {"document": str(entry.pk), "component": "Giấy tờ tùy thân"},
    )
    assert made.status_code == 201, made.content
    assert made.json()["reused"] and made.json()["sha256"] == card.sha256
    again = api.post(
        f"/api/v1/dossiers/{later.code}/store/",
        {"document": str(entry.pk), "component": "Giấy tờ tùy thân"},
    )
    assert again.status_code == 409 and "đã được dùng lại" in again.json()["detail"]

    other = api_client(client, "xakhac")
    assert other.get(f"/api/v1/dossiers/{later.code}/store/").status_code == 404


def test_overseer_sees_the_dossier_but_not_the_store(client, staff):
    later = received(staff)
    api = api_client(client, "tinh")
    assert api.get(f"/api/v1/dossiers/{later.code}/").status_code == 200
    response = api.get(f"/api/v1/dossiers/{later.code}/store/")
    assert response.status_code == 403 and "Chỉ cán bộ của đơn vị" in response.json()["detail"]


def test_dossier_page_describes_and_reuses(client, staff):
    first = received(staff)
    card = scan(staff, first, "Giấy tờ tùy thân")
    client.force_login(staff.specialist)
    page = client.get(f"/ho-so/{first.pk}/").content.decode()
    assert "Chưa nhập đủ thông tin số hoá" in page and "Chưa cài OCR (ocrmypdf" in page
    response = client.post(
        f"/ho-so/{first.pk}/tep/{card.pk}/thong-tin/",
        {**ID_CARD, "document_date": "32/01/2021"},
        follow=True,
    )
    assert "không có trên lịch" in response.content.decode()
    response = client.post(f"/ho-so/{first.pk}/tep/{card.pk}/thong-tin/", ID_CARD, follow=True)
    text = response.content.decode()
    assert "Đã lưu thông tin số hoá" in text and "ngày 15/08/2021" in text
    assert "Nhập thông tin số hoá giấy tờ" in text  # the event's label in the history

    later = received(staff)
    entry = StoredDocument.objects.get()
    page = client.get(f"/ho-so/{later.pk}/").content.decode()
    assert "Dùng lại từ kho dữ liệu của người nộp" in page and "********1234" in page
    assert "019085001234" in page  # the number of the ID card itself, as its metadata
    response = client.post(
        f"/ho-so/{later.pk}/kho/{entry.pk}/dung-lai/",
        {"component": "Giấy tờ tùy thân"},
        follow=True,
    )
    text = response.content.decode()
    assert "Đã dùng lại giấy tờ từ kho" in text and "Đã dùng cho hồ sơ này" in text

    client.force_login(staff.neighbour_specialist)
    response = client.post(
        f"/ho-so/{later.pk}/kho/{entry.pk}/dung-lai/", {"component": "Giấy tờ tùy thân"}
    )
    assert response.status_code == 403


def test_page_upload_with_metadata_digitises(client, staff):
    d = received(staff)
    client.force_login(staff.specialist)
    for component, meta in (("Dự thảo hợp đồng", CONTRACT), ("Giấy tờ tùy thân", ID_CARD)):
        response = client.post(
            f"/ho-so/{d.pk}/so-hoa/",
            {"component": component, "file": SimpleUploadedFile("a.pdf", pdf_bytes()), **meta},
            follow=True,
        )
        assert "Đã lưu tệp số hoá" in response.content.decode()
    assert flags(d)[0] is True
    assert "Thành phần hồ sơ: <b>đã số hoá</b>" in response.content.decode()

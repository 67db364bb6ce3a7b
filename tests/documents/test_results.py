"""The result's way: drafted by the specialist, signed by the leader, sealed by the clerk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import DomainError
from motcua.core.lifecycle import State
from motcua.demo import devca
from motcua.documents import signing
from motcua.documents.certificates import register_certificate, trust_authority, trust_roots
from motcua.documents.models import StoredFile
from motcua.dossiers.integrity import log_problems
from motcua.workflow import actions
from motcua.workflow.results import attach_result, seal_and_issue, sign_and_approve
from tests.dossiers.conftest import intake

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki():
    ca = devca.make_ca()
    return {
        "ca": ca,
        "leader": devca.issue(ca, "Lãnh Đạo Xã", "UBND xã Bình Thành"),
        "seal": devca.issue(ca, "Ủy ban nhân dân xã Bình Thành", "UBND xã Bình Thành"),
    }


@pytest.fixture
def ready(staff, pki):
    """A dossier awaiting approval, with certificates registered and the CA trusted."""
    trust_authority("CA thử nghiệm", pki["ca"].pem())
    register_certificate(
        unit=staff.binh_thanh,
        user=staff.leader,
        data=pki["leader"].pkcs12("ld-123"),
        passphrase="ld-123",
    )
    register_certificate(
        unit=staff.binh_thanh, data=pki["seal"].pkcs12("dau-456"), passphrase="dau-456"
    )
    draft = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    d = actions.perform(draft.pk, staff.specialist, "receive")
    d = actions.perform(d.pk, staff.specialist, "start_review")
    return d


def test_generated_result_is_signed_then_sealed(staff, pki, ready):
    draft = attach_result(ready.pk, staff.specialist)
    assert draft.stage == "draft" and draft.content.read().startswith(b"%PDF")
    actions.perform(ready.pk, staff.specialist, "submit_for_approval")

    step = sign_and_approve(ready.pk, staff.leader, "ld-123", note="Đồng ý")
    assert step.dossier.state == State.AWAITING_ISSUE and step.file.stage == "signed"

    # The number comes from the register: the first of the year, written "01" (Nghị định
    # 30/2020 Điều 15), a generic result having no kind before the issuer's "UBND".
    step = seal_and_issue(ready.pk, staff.clerk, "dau-456")
    assert step.dossier.state == State.DONE and step.dossier.result_digitised
    assert step.file.stage == "sealed" and step.file.document_number == "01/UBND"

    reports = signing.verify_pdf(step.file.content.read(), trust_roots())
    assert [r.signer for r in reports] == ["Lãnh Đạo Xã", "Ủy ban nhân dân xã Bình Thành"]
    assert all(r.ok and r.trusted for r in reports)
    actions_done = list(step.dossier.events.order_by("seq").values_list("action", flat=True))
    assert actions_done[-6:] == [
        "attach_result",
        "submit_for_approval",
        "sign_result",
        "approve",
        "seal_result",
        "issue",
    ]
    assert log_problems() == []


def test_wrong_passphrase_changes_nothing(staff, ready):
    attach_result(ready.pk, staff.specialist)
    actions.perform(ready.pk, staff.specialist, "submit_for_approval")
    events = ready.events.count()
    with pytest.raises(DomainError, match="sai mật khẩu"):
        sign_and_approve(ready.pk, staff.leader, "doan-mo")
    ready.refresh_from_db()
    assert ready.state == State.AWAITING_APPROVAL
    assert ready.events.count() == events
    assert StoredFile.objects.filter(dossier=ready, stage="signed").count() == 0


def test_clerk_cannot_seal_an_unsigned_result_and_specialist_cannot_sign(staff, ready):
    attach_result(ready.pk, staff.specialist)
    actions.perform(ready.pk, staff.specialist, "submit_for_approval")
    with pytest.raises(DomainError):
        sign_and_approve(ready.pk, staff.specialist, "ld-123")
    actions.perform(ready.pk, staff.leader, "approve")
    with pytest.raises(DomainError, match="chưa được lãnh đạo ký số"):
        seal_and_issue(ready.pk, staff.clerk, "dau-456")


def test_other_commune_cannot_draft(staff, ready):
    with pytest.raises(DomainError) as error:
        attach_result(ready.pk, staff.neighbour_specialist)
    assert error.value.status == 403


def test_uploaded_photo_becomes_a_pdf_result(staff, ready):
    from tests.factories import jpeg_bytes

    stored = attach_result(
        ready.pk, staff.specialist, upload=SimpleUploadedFile("kq.jpg", jpeg_bytes())
    )
    assert stored.mime_type == "application/pdf"
    assert stored.content.read().startswith(b"%PDF")


def test_bad_upload_is_refused(staff, ready):
    with pytest.raises(DomainError, match="không phải PDF"):
        attach_result(
            ready.pk, staff.specialist, upload=SimpleUploadedFile("kq.pdf", b"MZ" + b"0" * 99)
        )
    assert StoredFile.objects.filter(dossier=ready).count() == 0


def test_expired_certificate_cannot_be_registered(staff, pki):
    from datetime import UTC, datetime, timedelta

    old = devca.issue(
        pki["ca"], "Cũ", "UBND", not_before=datetime.now(UTC) - timedelta(days=900), days=365
    )
    with pytest.raises(DomainError, match="hết hạn"):
        register_certificate(
            unit=staff.binh_thanh, user=staff.leader, data=old.pkcs12("x"), passphrase="x"
        )


def test_revoked_by_crl_is_refused_at_signing(staff, pki, ready):
    crl = devca.make_crl(pki["ca"], [pki["leader"].certificate.serial_number])
    authority = trust_authority("CA thử nghiệm", pki["ca"].pem(), crl=crl)
    assert authority.revoked_serials
    attach_result(ready.pk, staff.specialist)
    actions.perform(ready.pk, staff.specialist, "submit_for_approval")
    with pytest.raises(DomainError, match="thu hồi"):
        sign_and_approve(ready.pk, staff.leader, "ld-123")


def issue_one(staff, ready, number: str = "", reason: str = ""):
    attach_result(ready.pk, staff.specialist)
    actions.perform(ready.pk, staff.specialist, "submit_for_approval")
    sign_and_approve(ready.pk, staff.leader, "ld-123")
    return seal_and_issue(ready.pk, staff.clerk, "dau-456", number, reason)


def another_ready(staff):
    d = actions.create_draft(staff.specialist, staff.binh_thanh.desk, intake())
    d = actions.perform(d.pk, staff.specialist, "receive")
    return actions.perform(d.pk, staff.specialist, "start_review")


def test_the_register_gives_the_next_number_and_never_the_same_twice(staff, ready):
    from motcua.documents.models import RegisterEntry

    first = issue_one(staff, ready)
    second = issue_one(staff, another_ready(staff))
    assert [first.file.document_number, second.file.document_number] == ["01/UBND", "02/UBND"]
    # another number needs a reason; it is kept, and the register goes on after it
    with pytest.raises(DomainError, match="Số kế tiếp trong sổ là 03/UBND; ghi lý do"):
        issue_one(staff, another_ready(staff), "125/UBND")
    third = another_ready(staff)
    typed = issue_one(staff, third, "125/UBND", "Tiếp số của sổ giấy năm nay")
    assert typed.file.document_number == "125/UBND"
    assert issue_one(staff, another_ready(staff)).file.document_number == "126/UBND"
    # a number already given is refused and nothing is issued
    fifth = another_ready(staff)
    with pytest.raises(DomainError, match="Số 125/UBND đã cấp cho văn bản khác"):
        issue_one(staff, fifth, "125/UBND", "nhầm")
    fifth.refresh_from_db()
    assert fifth.state == State.AWAITING_ISSUE
    entries = list(
        RegisterEntry.objects.order_by("number").values_list("full_number", "manual_reason")
    )
    assert entries == [
        ("01/UBND", ""),
        ("02/UBND", ""),
        ("125/UBND", "Tiếp số của sổ giấy năm nay"),
        ("126/UBND", ""),
    ]


def test_one_current_draft_and_the_leader_signs_what_was_previewed(staff, ready):
    first = attach_result(ready.pk, staff.specialist)
    second = attach_result(
        ready.pk, staff.specialist, details={"noi_dung": "Đã xác minh tại thôn."}
    )
    first.refresh_from_db()
    assert first.stage == "superseded" and second.stage == "draft"
    assert "Đã xác minh tại thôn." in " ".join(
        (p.extract_text() or "")
        for p in __import__("pypdf").PdfReader(second.content.open("rb")).pages
    )
    actions.perform(ready.pk, staff.specialist, "submit_for_approval")
    with pytest.raises(DomainError, match="Dự thảo đã được thay sau khi bạn xem"):
        sign_and_approve(ready.pk, staff.leader, "ld-123", previewed=first.sha256)
    step = sign_and_approve(ready.pk, staff.leader, "ld-123", previewed=second.sha256)
    assert step.file.stage == "signed"

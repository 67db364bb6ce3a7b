"""The result's way: drafted by the specialist, signed by the leader, sealed by the clerk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import DomainError
from motcua.core.lifecycle import State
from motcua.demo import devca
from motcua.documents import signing
from motcua.documents.certificates import register_certificate, trust_authority, trust_roots
from motcua.documents.models import StoredFile
from motcua.dossiers.ledger import broken_chains
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

    step = seal_and_issue(ready.pk, staff.clerk, "dau-456", "125/GXN-UBND")
    assert step.dossier.state == State.DONE and step.dossier.result_digitised
    assert step.file.stage == "sealed" and step.file.document_number == "125/GXN-UBND"

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
    assert broken_chains() == []


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
        seal_and_issue(ready.pk, staff.clerk, "dau-456", "1/GXN")


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

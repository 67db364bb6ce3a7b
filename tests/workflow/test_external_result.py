"""A result another national system issues (hộ tịch: the Ministry of Justice's software) is
never drafted here: the specialist attaches the PDF signed there, with its number and date,
and the leader and the clerk approve and issue it without signing it again (issue 10, item 6)."""

from __future__ import annotations

import io

import pytest

from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError
from motcua.demo import devca
from motcua.documents import signing
from motcua.documents.stamps import font_dir
from motcua.dossiers.models import Dossier
from motcua.workflow import actions
from motcua.workflow.results import attach_result
from tests.factories import pdf_bytes

pytestmark = pytest.mark.django_db
SYSTEM = "Phần mềm đăng ký, quản lý hộ tịch điện tử dùng chung của Bộ Tư pháp"


class Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name, self.size = name, len(data)


@pytest.fixture
def birth(staff):
    version = Procedure.objects.get(code="1.001193").current_version
    version.result_system = SYSTEM
    version.save(update_fields=["result_system"])
    data = actions.IntakeData(
        "1.001193",
        "direct",
        actions.ApplicantData(name="Ma Thị Hằng"),
        [c["name"] for c in version.components],
    )
    d = actions.receive_dossier(staff.specialist, staff.binh_thanh.desk, data)
    return actions.perform(d.pk, staff.specialist, "start_review")


def signed_in_the_other_system() -> bytes:
    ca = devca.make_ca("CA của hệ thống khác")
    signer = signing.Pkcs12Signer(
        devca.issue(ca, "Ủy ban nhân dân xã Bình Thành", "UBND").pkcs12("x"), "x"
    )
    return signing.sign_pdf(
        pdf_bytes("GIẤY KHAI SINH"),
        signer,
        field_name="Ky",
        stamp_lines=["Đã ký"],
        font_dir=font_dir(),
    )


def test_no_letter_is_drafted_for_a_civil_status_result(staff, birth):
    with pytest.raises(DomainError, match="do Phần mềm đăng ký, quản lý hộ tịch"):
        attach_result(birth.pk, staff.specialist, details={})
    unsigned = Upload(pdf_bytes("Giấy khai sinh"), "khai-sinh.pdf")
    with pytest.raises(DomainError, match="chưa có chữ ký số"):
        attach_result(
            birth.pk,
            staff.specialist,
            upload=unsigned,
            metadata={"document_number": "15/2026", "document_date": "01/12/2026"},
        )
    assert not birth.files.exists()


def test_the_signed_pdf_is_the_result_approved_and_issued_without_a_new_signature(staff, birth):
    pdf = signed_in_the_other_system()
    stored = attach_result(
        birth.pk,
        staff.specialist,
        upload=Upload(pdf, "khai-sinh.pdf"),
        metadata={"document_number": "15/2026", "document_date": "01/12/2026"},
    )
    assert stored.stage == "external" and stored.document_number == "15/2026"
    assert stored.content.open("rb").read() == pdf  # kept as signed, byte for byte
    actions.perform(birth.pk, staff.specialist, "submit_for_approval")
    actions.perform(birth.pk, staff.leader, "approve")
    actions.perform(birth.pk, staff.clerk, "issue")
    d = Dossier.objects.get(pk=birth.pk)
    assert d.state == "done" and d.result_digitised
    assert list(d.files.values_list("stage", flat=True)) == ["external"]

"""Intake that matches the law (issue 10, item 2): a paper marked "(nếu có)" is not required,
the desk records the form of each paper handed over, and the slip prints exactly that."""

from __future__ import annotations

import pytest

from motcua.catalog.actions import import_procedures_file
from motcua.catalog.models import Procedure
from motcua.demo.load import CATALOGUE_FILE
from motcua.documents import slips
from motcua.dossiers.models import Dossier
from tests.dossiers.test_slips import text_of

pytestmark = pytest.mark.django_db

FORM = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu"
DIVORCE = "Giấy tờ chứng minh việc ly hôn hoặc người vợ/chồng đã chết (nếu có)"


@pytest.fixture
def marital(world):
    import_procedures_file(CATALOGUE_FILE)
    return Procedure.objects.get(code="1.004873").current_version


def test_the_catalogue_marks_the_conditional_paper(marital):
    papers = {c["name"]: c for c in marital.components}
    assert papers[FORM]["mandatory"] is True and papers[FORM]["conditional"] is False
    assert papers[DIVORCE]["mandatory"] is False and papers[DIVORCE]["conditional"] is True
    assert papers[DIVORCE]["condition"] == "nếu có"


def test_a_never_married_applicant_is_received_with_only_the_form(client, world, marital):
    client.force_login(world.specialist)
    page = client.get("/ho-so/tiep-nhan/1.004873/").content.decode()
    assert "Không bắt buộc — nếu có" in page and "Bắt buộc" in page
    index = [c["name"] for c in marital.components].index(FORM)
    response = client.post(
        "/ho-so/tiep-nhan/1.004873/",
        {
            "channel": "direct",
            "applicant_kind": "person",
            "applicant_name": "Lương Thị Hoa",
            "applicant_id_number": "019190001234",
            "applicant_sex": "nu",
            "applicant_birth_date": "1990-05-06",
            "components": [FORM],
            f"form_{index}": "original",
            "copies": 1,
            "outcome": "receive",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    dossier = Dossier.objects.get(applicant_name="Lương Thị Hoa")
    assert dossier.state == "received"
    assert dossier.submitted_components == [FORM]
    assert dossier.submitted_forms == {FORM: "original"}
    text = text_of(slips.receipt_slip_pdf(dossier), "receipt-1.004873")
    assert "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu Bản chính" in text
    assert "ly hôn" not in text  # the paper not handed over is not listed as received


def test_without_the_required_form_the_desk_must_ask_for_it(client, world, marital):
    client.force_login(world.specialist)
    response = client.post(
        "/ho-so/tiep-nhan/1.004873/",
        {
            "channel": "direct",
            "applicant_kind": "person",
            "applicant_name": "Lương Thị Hoa",
            "components": [DIVORCE],
            "copies": 1,
            "outcome": "receive",
        },
    )
    assert response.status_code == 200
    assert "Hồ sơ còn thiếu: Tờ khai cấp Giấy xác nhận" in response.content.decode()
    assert not Dossier.objects.exists()
    wrong = client.post(
        "/api/v1/dossiers/",
        {"procedure": "1.004873", "channel": "direct", "applicant_name": "A", "components": [FORM]},
        content_type="application/json",
    )
    assert wrong.status_code == 201, wrong.content
    assert Dossier.objects.get().submitted_forms == {}  # the list names no form for it

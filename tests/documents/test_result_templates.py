"""Per-procedure result templates: chosen by procedure code, then field, then the generic one;
rendered with WeasyPrint and read back from the PDF."""

import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

import motcua.documents
from motcua.core.errors import DomainError
from motcua.documents.result_details import DetailError, amount_in_words, clean_details
from motcua.documents.results import result_templates, result_title
from motcua.workflow import actions
from motcua.workflow.results import attach_result

pytestmark = pytest.mark.django_db
DEMO_CATALOGUE = Path(motcua.documents.__file__).parent.parent / "catalog" / "data"
FUNERAL = {
    "deceased_name": "Hoàng Văn Thào",
    "deceased_birth": "12/04/1941",
    "death_date": "20/11/2026",
    "deceased_category": "người cao tuổi đang hưởng trợ cấp xã hội hàng tháng",
    "amount": "10.000.000",
}


@pytest.fixture
def demo_catalogue(db):
    from motcua.catalog.actions import import_procedures_file

    import_procedures_file(DEMO_CATALOGUE / "procedures_demo.csv")


def in_review(staff, code: str):
    from motcua.catalog.models import Procedure

    version = Procedure.objects.get(code=code).current_version
    applicant = actions.ApplicantData(
        name="Hoàng Thị Lan",
        id_number="019185004321",
        sex="nu",
        birth_date=date(1985, 3, 9),
        address="Xóm Đồng Tâm, xã Bình Thành",
    )
    d = actions.create_draft(
        staff.specialist,
        staff.binh_thanh.desk,
        actions.IntakeData(
            procedure_code=code,
            channel="direct",
            applicant=applicant,
            components=[c["name"] for c in version.components],
        ),
    )
    d = actions.perform(d.pk, staff.specialist, "receive")
    return actions.perform(d.pk, staff.specialist, "start_review")


def text_of(stored) -> str:
    reader = PdfReader(io.BytesIO(stored.content.open("rb").read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_funeral_support_is_a_decision_of_the_chairman(staff, demo_catalogue, tmp_path):
    d = in_review(staff, "1.001731")
    with pytest.raises(DomainError, match="Cần ghi “Họ tên người đã mất”"):
        attach_result(d.pk, staff.specialist)
    stored = attach_result(d.pk, staff.specialist, details=FUNERAL)
    text = text_of(stored)
    for phrase in (
        "QUYẾT ĐỊNH",
        "Về việc hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ BÌNH THÀNH",
        "Căn cứ Nghị định số 20/2021/NĐ-CP",
        "QUYẾT ĐỊNH:",
        "Điều 1.",
        "Hoàng Văn Thào",
        "Người tổ chức mai táng nhận hỗ trợ: bà Hoàng Thị Lan",
        "mất ngày 20/11/2026",
        "10.000.000 đồng (Bằng chữ: Mười triệu đồng)",
        "Điều 2.",
        "Điều 3.",
        "Nơi nhận:",
        "Như Điều 3;",
        "/QĐ-UBND",
        "Lưu: VT, VHXH.",
    ):
        assert phrase in text, phrase
    assert "TM." not in text  # a decision of the chairman, not of the committee
    assert len(PdfReader(io.BytesIO(stored.content.open("rb").read())).pages) == 1
    event = d.events.order_by("-seq").first()
    assert event.action == "attach_result" and event.data["details"]["amount"] == "10.000.000"
    (tmp_path / "quyet-dinh.pdf").write_bytes(stored.content.open("rb").read())
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(tmp_path / "quyet-dinh.pdf"), str(tmp_path / "p")],
        check=True,
    )
    assert list(tmp_path.glob("p*.png"))


def test_a_civil_status_result_is_never_drafted_here(staff, demo_catalogue):
    """Hộ tịch results (here the confirmation of marital status) are issued by the Ministry of
    Justice's software: no template, only the PDF signed there."""
    d = in_review(staff, "1.004873")
    with pytest.raises(DomainError, match="tải lên bản PDF đã ký số"):
        attach_result(d.pk, staff.specialist, details={})


def test_a_field_template_serves_its_procedures_and_generic_the_rest(
    staff, demo_catalogue, settings, tmp_path
):
    folder = tmp_path / "documents" / "results" / "linh-vuc"
    folder.mkdir(parents=True)
    (folder / "bao-tro-xa-hoi.html").write_text(
        "<html><body><p>Mẫu chung lĩnh vực bảo trợ: {{ dossier.applicant_name }}</p></body></html>",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    d = in_review(staff, "1.001699")  # Bảo trợ xã hội, no template of its own
    assert result_templates(d)[1] == "documents/results/linh-vuc/bao-tro-xa-hoi.html"
    stored = attach_result(d.pk, staff.specialist)
    assert "Mẫu chung lĩnh vực bảo trợ: Hoàng Thị Lan" in text_of(stored)
    other = in_review(staff, "1.000748")  # Thi đua, khen thưởng: generic
    text = text_of(attach_result(other.pk, staff.specialist))
    # Titled by the catalogue's result, “Quyết định của Chủ tịch UBND cấp xã tặng Giấy khen”.
    assert "QUYẾT ĐỊNH" in text and "VĂN BẢN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" not in text
    assert "Ủy ban nhân dân xã Bình Thành giải quyết" in text


def test_the_chairman_who_will_sign_is_named_under_the_signature_space(staff, demo_catalogue):
    staff.leader.full_name, staff.leader.title = "Hoàng Văn Đức", "Chủ tịch UBND xã"
    staff.leader.save(update_fields=["full_name", "title"])
    d = in_review(staff, "1.001731")
    text = text_of(attach_result(d.pk, staff.specialist, details=FUNERAL))
    assert "CHỦ TỊCH" in text and "Hoàng Văn Đức" in text
    # No chairman known (only a vice-chairman): the name is left for the signer to know.
    staff.leader.title = "Phó Chủ tịch UBND xã"
    staff.leader.save(update_fields=["title"])
    text = text_of(attach_result(d.pk, staff.specialist, details=FUNERAL))
    assert text.rstrip().endswith("CHỦ TỊCH") and "Hoàng Văn Đức" not in text


@pytest.mark.parametrize(
    ("result", "title"),
    [
        ("Quyết định của Chủ tịch UBND cấp xã tặng Giấy khen", "Quyết định"),
        ("Giấy xác nhận tình trạng hôn nhân", "Giấy xác nhận tình trạng hôn nhân"),
        ("Giấy xác nhận; Văn bản trả lời", "Giấy xác nhận"),
        ("", "Văn bản giải quyết thủ tục hành chính"),
    ],
)
def test_the_title_is_the_catalogue_result(result, title):
    assert result_title(result) == title


def test_details_are_checked():
    today = date(2026, 11, 25)
    cleaned = clean_details("1.001731", {**FUNERAL, "amount": "7 500 000 đồng"}, today)
    assert cleaned["amount"] == "7.500.000"
    assert cleaned["amount_words"] == "Bảy triệu năm trăm nghìn đồng"
    with pytest.raises(DetailError, match="không sau hôm nay"):
        clean_details("1.001731", {**FUNERAL, "death_date": "26/11/2026"}, today)
    with pytest.raises(DetailError, match="số tiền"):
        clean_details("1.001731", {**FUNERAL, "amount": "mười triệu"}, today)
    assert clean_details("9.999999", {}, today) == {}


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (10_000_000, "Mười triệu đồng"),
        (21_000, "Hai mươi mốt nghìn đồng"),
        (105, "Một trăm linh năm đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (15_000_000, "Mười lăm triệu đồng"),
        (2_005_000, "Hai triệu không trăm linh năm nghìn đồng"),
        (1_000_000_000, "Một tỷ đồng"),
    ],
)
def test_amounts_are_read_in_vietnamese(amount, words):
    assert amount_in_words(amount) == words

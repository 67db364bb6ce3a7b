"""Every PDF the system produces, rendered as the views produce it and read back as a person would.

Each document is made from a dossier moved through its lifecycle by the real actions, then
page 1 is rasterised with poppler's ``pdftoppm`` (is there really a printed A4/A5 page?) and the
text is extracted with ``pdftotext -layout`` (is it correct Vietnamese, with the Decree 30/2020
header, the dossier's own data, and no template leftovers?).

To look at the pages: ``pytest tests/documents/test_rendered_pdfs.py --basetemp=/tmp/pdf_review``
keeps each ``<document>.pdf`` and ``<document>.png`` under that folder.
"""

from __future__ import annotations

import functools
import re
import subprocess
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from motcua.documents import slips
from motcua.documents.certificates import register_certificate, trust_authority
from motcua.dossiers.models import Dossier
from motcua.workflow import actions
from motcua.workflow.results import attach_result, seal_and_issue, sign_and_approve

pytestmark = pytest.mark.django_db

APPLICANT = "Nguyễn Thị Hồng Nhung"
ADDRESS = "Số 18 đường Trần Hưng Đạo, xóm Tiến Lợi, thôn Thượng Lỗ, xã Bình Thành"
SPECIALIST = "Trần Thị Thu Hà"
LEADER = "Hoàng Văn Đức"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
# The templates write the motto's second line with a plain hyphen-minus between spaces.
MOTTO_LINE_2 = "Độc lập - Tự do - Hạnh phúc"
# The issuing body, top left: the desk under its People's Committee, or the Committee itself.
DESK_ISSUER = ("UBND XÃ BÌNH THÀNH", "BỘ PHẬN MỘT CỬA")
UNIT_ISSUER = ("ỦY BAN NHÂN DÂN", "XÃ BÌNH THÀNH")
TITLES = {
    "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "VĂN BẢN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
}

A4_MM = (210, 297)
HTML_ESCAPES = re.compile(r"&(?:[a-z]+|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")


@dataclass
class Rendered:
    pdf: bytes
    dossier: Dossier
    title: str
    # Phrases only this document has (its reason, its table, its signer…).
    expected: list[str] = field(default_factory=list)
    issuer: tuple[str, str] = DESK_ISSUER
    # Phrases that must not be there (a placeholder of the form, someone else's name…).
    absent: list[str] = field(default_factory=list)
    # The place and date line, filled with today's date (the result leaves day and month blank).
    dated: bool = True
    # Handed over or filed as one sheet (the control slip grows with the history).
    one_page: bool = True


@pytest.fixture
def office(staff):
    """The Bình Thành desk with people's real names, a phone, and a dossier intake helper."""
    desk = staff.binh_thanh.desk
    desk.phone = "0208 3851 234"
    desk.save(update_fields=["phone"])
    for person, name, title in [
        (staff.specialist, SPECIALIST, "Công chức Tư pháp - Hộ tịch"),
        (staff.leader, LEADER, "Chủ tịch UBND xã"),
        (staff.clerk, "Lê Thị Mỹ Duyên", "Văn thư"),
    ]:
        person.full_name = name
        person.title = title
        person.save(update_fields=["full_name", "title"])
    return staff


def intake(components: list[str] | None = None) -> actions.IntakeData:
    return actions.IntakeData(
        procedure_code="2.001035",
        channel="direct",
        applicant=actions.ApplicantData(
            name=APPLICANT,
            id_number="019185004321",
            phone="0987654321",
            email="nhung.nth@example.vn",
            address=ADDRESS,
        ),
        components=components or ["Dự thảo hợp đồng", "Giấy tờ tùy thân"],
    )


def draft(world) -> Dossier:
    return actions.create_draft(world.specialist, world.binh_thanh.desk, intake())


def received(world) -> Dossier:
    return actions.perform(draft(world).pk, world.specialist, "receive")


def received_on(dossier: Dossier) -> str:
    return timezone.localtime(dossier.received_at).strftime("%d/%m/%Y")


def act(dossier: Dossier, user, action: str, note: str = "", **extra) -> Dossier:
    return actions.perform(dossier.pk, user, action, actions.ActionInput(note=note, **extra))


# --- the documents, each through the function its view calls -----------------------------------


def receipt_slip(world) -> Rendered:
    d = received(world)
    return Rendered(
        slips.receipt_slip_pdf(d),
        d,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        [
            f"ngày {received_on(d)}",
            "Dự thảo hợp đồng",
            "Giấy tờ tùy thân",
            "2 ngày làm việc",
            "50.000 đồng",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            SPECIALIST,
            "Quét mã QR",
        ],
    )


def completion_request(world) -> Rendered:
    """Mẫu 02 at the desk, before reception: the dossier has no code yet."""
    d = act(
        draft(world),
        world.specialist,
        "request_completion",
        "Bản sao giấy tờ tùy thân của bên bán\n- Chữ ký của người làm chứng",
    )
    event = slips.last_event(d, "request_completion")
    return Rendered(
        slips.supplement_request_pdf(d, event),
        d,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        [
            "1. Bản sao giấy tờ tùy thân của bên bán",
            "2. Chữ ký của người làm chứng",
            "0208 3851 234",
        ],
    )


def supplement_request(world) -> Rendered:
    """Mẫu 02 during the review, after the dossier got its code."""
    d = act(received(world), world.specialist, "start_review")
    d = act(d, world.specialist, "request_supplement", "Giấy chứng nhận quyền sở hữu nhà ở")
    event = slips.last_event(d, "request_supplement")
    return Rendered(
        slips.supplement_request_pdf(d, event),
        d,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        ["1. Giấy chứng nhận quyền sở hữu nhà ở"],
    )


def refusal_at_reception(world) -> Rendered:
    d = act(draft(world), world.specialist, "refuse_reception", "Tài sản đang có tranh chấp")
    event = slips.last_event(d, "refuse_reception")
    return Rendered(
        slips.refusal_pdf(d, event),
        d,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        ["Tài sản đang có tranh chấp"],
    )


def refusal_after_review(world) -> Rendered:
    d = act(received(world), world.specialist, "start_review")
    d = act(d, world.leader, "refuse", "Bên bán không phải chủ sở hữu hợp pháp của thửa đất")
    return Rendered(
        slips.refusal_pdf(d, slips.last_event(d, "refuse")),
        d,
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        [
            "Bên bán không phải chủ sở hữu hợp pháp của thửa đất",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            LEADER,
        ],
        issuer=UNIT_ISSUER,
        absent=["NGƯỜI TIẾP NHẬN HỒ SƠ"],
    )


def apology_extension(world) -> Rendered:
    d = received(world)
    new_due = d.due_at + timedelta(days=3)
    d = act(d, world.specialist, "apologize", "Cần xác minh nguồn gốc tài sản", new_due_at=new_due)
    return Rendered(
        slips.apology_pdf(d, slips.last_event(d, "apologize")),
        d,
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        [
            f"Kính gửi: Ông/Bà {APPLICANT}",
            f"Ngày {received_on(d)}",
            "thành thật xin lỗi",
            "Cần xác minh nguồn gốc tài sản",
            timezone.localtime(new_due).strftime("%d/%m/%Y"),
            "Nơi nhận:",
            "TM. ỦY BAN NHÂN DÂN",
            # Recorded by the desk official, signed by the chairman.
            LEADER,
        ],
        issuer=UNIT_ISSUER,
        absent=[SPECIALIST, "THỦ TRƯỞNG CƠ QUAN"],
    )


def stop_notice(world) -> Rendered:
    d = act(received(world), world.specialist, "start_review")
    d = act(d, world.leader, "stop", "Người yêu cầu không bổ sung hồ sơ trong thời hạn")
    return Rendered(
        slips.stop_notice_pdf(d, slips.last_event(d, "stop")),
        d,
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        [
            f"Ngày {received_on(d)}",
            "không bổ sung hồ sơ trong thời hạn",
            "Nơi nhận:",
            "TM. ỦY BAN NHÂN DÂN",
            LEADER,
        ],
        issuer=UNIT_ISSUER,
        absent=["THỦ TRƯỞNG CƠ QUAN"],
    )


def result_draft(world) -> Rendered:
    """The result document as the specialist's "Lập dự thảo từ mẫu" button stores it."""
    d = act(received(world), world.specialist, "start_review")
    stored = attach_result(d.pk, world.specialist)
    return Rendered(
        stored.content.read(),
        d,
        "VĂN BẢN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        [
            f"ngày {received_on(d)}",
            "Chứng thực giao dịch liên quan đến tài sản",
            "TM. ỦY BAN NHÂN DÂN",
            # The chairman who will sign, under the signature space.
            LEADER,
            "Nơi nhận",
            ADDRESS,
            "Ủy ban nhân dân xã Bình Thành giải quyết",
        ],
        issuer=UNIT_ISSUER,
        dated=False,
    )


@functools.cache
def certificates():
    """A development CA, the chairman's certificate and the commune's seal (made once: RSA keys)."""
    from motcua.demo import devca

    ca = devca.make_ca()
    return (
        ca,
        devca.issue(ca, LEADER, "UBND xã Bình Thành"),
        devca.issue(ca, "Ủy ban nhân dân xã Bình Thành", "UBND xã Bình Thành"),
    )


def result_issued(world) -> Rendered:
    """The result as the citizen receives it: signed by the chairman, numbered and sealed."""
    ca, leader, seal = certificates()
    trust_authority("CA thử nghiệm", ca.pem())
    unit = world.binh_thanh
    register_certificate(
        unit=unit, user=world.leader, data=leader.pkcs12("ld-123"), passphrase="ld-123"
    )
    register_certificate(unit=unit, data=seal.pkcs12("dau-456"), passphrase="dau-456")
    d = act(received(world), world.specialist, "start_review")
    attach_result(d.pk, world.specialist)
    d = act(d, world.specialist, "submit_for_approval")
    sign_and_approve(d.pk, world.leader, "ld-123")
    step = seal_and_issue(d.pk, world.clerk, "dau-456", "125/GXN-UBND", "số theo sổ giấy")
    return Rendered(
        step.file.content.read(),
        step.dossier,
        "VĂN BẢN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        [
            "TM. ỦY BAN NHÂN DÂN",
            ADDRESS,
            # The seal's stamp fills the number and the date of issue in the header…
            "Số: 125/GXN-UBND",
            date_line(timezone.localdate()),
            "Đã ký số: Ủy ban nhân dân xã Bình Thành",
            # … the leader's sits in the signature space.
            f"Ký bởi: {LEADER}",
            "Chủ tịch UBND xã Bình Thành",
        ],
        issuer=UNIT_ISSUER,
        dated=False,
    )


def control_slip(world) -> Rendered:
    """Mẫu 06 of a dossier that went the whole way, from reception to the citizen."""
    d = act(received(world), world.specialist, "start_review")
    d = act(d, world.specialist, "submit_for_approval")
    d = act(d, world.leader, "approve")
    d = act(d, world.clerk, "issue")
    d = act(d, world.specialist, "return_result", collected_by=APPLICANT)
    return Rendered(
        slips.control_slip_pdf(d),
        d,
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        [
            f"ngày {received_on(d)}",
            "Tiếp nhận hồ sơ",
            "Trình lãnh đạo",
            "Trả kết quả",
            SPECIALIST,
            LEADER,
        ],
        one_page=False,
    )


DOCUMENTS: dict[str, Callable[[object], Rendered]] = {
    "01-receipt-slip": receipt_slip,
    "02-completion-request": completion_request,
    "02-supplement-request": supplement_request,
    "03-refusal-at-reception": refusal_at_reception,
    "03-refusal-after-review": refusal_after_review,
    "04-apology-extension": apology_extension,
    "05-stop-notice": stop_notice,
    "06-control-slip": control_slip,
    "result-draft": result_draft,
    "result-issued": result_issued,
}


# --- reading a PDF back ------------------------------------------------------------------------


def render_png(pdf: Path) -> Path:
    """Page 1 at 50 dpi, by poppler (a separate reader from the one that wrote it)."""
    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=60,
    )
    return stem.with_suffix(".png")


def extract_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


def flat(text: str) -> str:
    """The text with its layout spaces and line breaks collapsed, for phrase searches."""
    return " ".join(text.split())


def date_line(day) -> str:
    """Nghị định 30/2020: a zero before days under 10 and before the months 1 and 2 only."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"Bình Thành, ngày {day.day:02d} tháng {month} năm {day.year}"


@pytest.fixture(params=list(DOCUMENTS), ids=list(DOCUMENTS))
def document(request, office, tmp_path) -> tuple[str, Rendered, Path]:
    name = request.param
    rendered = DOCUMENTS[name](office)
    rendered.dossier.refresh_from_db()
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(rendered.pdf)
    return name, rendered, path


def test_page_one_is_a_printed_a4_page(document):
    _name, rendered, path = document
    assert rendered.pdf.startswith(b"%PDF")
    png = render_png(path)
    with Image.open(png) as image:
        image.load()
        width, height = image.size
        grey = image.convert("L")
    # Portrait A4 (what the office printer holds), not Letter, A5 or landscape.
    assert width == pytest.approx(A4_MM[0] / 25.4 * 50, abs=2), (width, height)
    assert height / width == pytest.approx(A4_MM[1] / A4_MM[0], rel=0.01), (width, height)
    # Not blank and not a black box: a page of text is mostly paper with a few % of ink.
    dark = sum(grey.histogram()[:128]) / (width * height)
    assert 0.005 < dark < 0.2, dark
    # Ink in the header band (issuer, motto) and none in the margins of Nghị định 30
    # (left 30 mm, right 15 mm): nothing overflows the text area.
    assert sum(grey.crop((0, 0, width, height // 8)).histogram()[:128]) > 50
    mm = width / A4_MM[0]
    left = grey.crop((0, 0, int(25 * mm), height))
    right = grey.crop((width - int(12 * mm), 0, width, height))
    assert sum(left.histogram()[:128]) == 0, "ink in the left margin"
    assert sum(right.histogram()[:128]) == 0, "ink in the right margin"


def test_text_is_correct_vietnamese(document):
    name, rendered, path = document
    raw = extract_text(path)
    text = flat(raw)
    d = rendered.dossier

    assert unicodedata.is_normalized("NFC", raw)
    assert "\ufffd" not in raw
    # No combining mark on its own (a diacritic split from its letter, drawn as a box).
    for i, char in enumerate(raw):
        if unicodedata.combining(char):
            assert i and raw[i - 1].isalpha(), f"lone combining mark U+{ord(char):04X} at {i}"
    for leftover in ("None", "{{", "{%", "}}", "\u00a0\u00a0"):
        assert leftover not in raw, leftover
    assert not HTML_ESCAPES.search(raw), HTML_ESCAPES.search(raw)

    # Header: the issuer at the left of the motto, line by line, then place and date.
    lines = [line for line in raw.splitlines() if line.strip()]
    assert lines[0].strip().split("  ")[0] == rendered.issuer[0], lines[0]
    assert lines[0].index(rendered.issuer[0]) < lines[0].index(MOTTO), lines[0]
    assert lines[1].strip().startswith(rendered.issuer[1]), lines[1]
    assert lines[1].rstrip().endswith(MOTTO_LINE_2), lines[1]
    today = timezone.localdate()
    if rendered.dated:
        assert date_line(today) in text
    else:  # the result leaves day and month to the clerk who numbers it
        assert "Bình Thành, ngày" in text and f"năm {today.year}" in text

    # The document's own title and no other's.
    assert [t for t in TITLES if t in text] == [rendered.title]
    for phrase in rendered.expected:
        assert phrase in text, phrase
    for phrase in rendered.absent:
        assert phrase not in text, phrase
    if d.code:
        assert d.code in text
    assert APPLICANT in text
    if not name.startswith("06"):  # the control slip names the applicant only
        assert ADDRESS in text

    # Dates as dd/mm/yyyy.
    for day, month, year in DATE.findall(text):
        assert (len(day), len(month), len(year)) == (2, 2, 4), f"{day}/{month}/{year}"

    if rendered.one_page:
        assert raw.rstrip("\f").count("\f") == 0, "more than one page"


def test_every_letter_is_drawn_in_the_one_serif_typeface(document):
    """Liberation Serif (Times New Roman's metrics) for every glyph, Vietnamese ones included.

    With Liberation 1.x (Debian's fonts-liberation) ư, ơ, ạ, ế… are missing and WeasyPrint
    draws them in DejaVu Serif, a wider face, inside words: scripts/setup.sh installs
    fonts-liberation2. The signature stamps (pyHanko) embed it under its PostScript name,
    "LiberationSerif", WeasyPrint as "Liberation-Serif".
    """
    _name, _rendered, path = document
    listing = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    fonts = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:] if line.strip()}
    assert fonts and all(font.replace("-", "").startswith("LiberationSerif") for font in fonts), (
        fonts
    )

"""The visible stamps of the two signatures: the leader's in the signature space, the seal's
over the row of the number and date (results/_base.html leaves room for both)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from django.conf import settings

from motcua.core import official
from motcua.core.localtime import LOCAL_TZ
from motcua.documents import signing
from motcua.documents.results import LEADER_FIELD, SEAL_FIELD


def font_dir() -> Path:
    """Where the stamp fonts converted for pyHanko are kept (made once, STACK.md)."""
    return Path(settings.DATA_DIR) / "fonts"


def local_stamp_time(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")


def leader_signature(pdf: bytes, signer, unit, title: str, now: datetime) -> bytes:
    """The leader's signature: its stamp (name, title, time) in the signature space of the
    template (the draft's empty field), else at the bottom right, inside the margins."""
    return signing.sign_pdf(
        pdf,
        signer,
        field_name=LEADER_FIELD,
        stamp_lines=[
            f"Ký bởi: {signer.info.subject}",
            f"{title} UBND {official.unit_in_text(unit.name, unit.division_type)}",
            f"Thời gian ký: {local_stamp_time(now)}",
        ],
        font_dir=font_dir(),
        placement=signing.Placement(box=(345, 60, 550, 122)),
        reason="Phê duyệt kết quả giải quyết thủ tục hành chính",
        location=unit.name,
    )


# The seal's field on a template's result covers the row of "Số:" (left 40 %) and the place
# and date (right 60 %), 11 mm high with 7 mm lines (results/_base.html, #so-va-ngay).
SEAL_ROW_LEFT = 0.4
SEAL_ROW_BASELINE = 14.2  # points below the row's top: 13 pt Liberation Serif in a 7 mm line


def seal_signature(pdf: bytes, signer, unit, number: str, issued_on: date, now: datetime) -> bytes:
    """The unit's seal (văn thư cấp số, ngày, đóng dấu số).

    On a template's result its stamp covers the row of the number and date that the leader
    signed blank, and writes “Số: 125/GXN-UBND” and “Bình Thành, ngày 25 tháng 11 năm 2026”
    there, with who sealed it and when in small type; on an uploaded result it is a box at the
    bottom left, inside the margins.
    """
    dated = official.place_and_date(unit.name, unit.division_type, issued_on)
    sealed_by = f"Đã ký số: {signer.info.subject}, {local_stamp_time(now)}"
    overlay = None
    box = signing.signature_field_box(pdf, SEAL_FIELD)
    if box is not None:
        width, height = box[2] - box[0], box[3] - box[1]
        split = width * SEAL_ROW_LEFT
        baseline = height - SEAL_ROW_BASELINE
        overlay = [
            signing.StampText(f"Số: {number}", split / 2, baseline, size=13),
            signing.StampText(dated, (split + width) / 2, baseline, size=13, face="italic"),
            signing.StampText(sealed_by, (split + width) / 2, 2.5, size=8, colour=signing.INK),
        ]
    return signing.sign_pdf(
        pdf,
        signer,
        field_name=SEAL_FIELD,
        stamp_lines=[f"Số: {number}", dated, sealed_by],
        overlay=overlay,
        font_dir=font_dir(),
        placement=signing.Placement(box=(90, 60, 330, 122)),
        reason="Ban hành văn bản (cấp số, đóng dấu)",
        location=unit.name,
    )


def leader_title(user) -> str:
    """“Chủ tịch” or “Phó Chủ tịch” (from the user's title), for the stamp's second line."""
    return official.stamp_title(user.title, leader=user.has_role("leader"))

"""Báo cáo kết quả tiếp nhận, giải quyết TTHC: the commune's report, drafted by the system.

The content is built once here, as a list of blocks (headings, paragraphs, tables), and the
DOCX and PDF writers in :mod:`motcua.reports.exports` only lay it out, so both files say the
same thing. The structure follows the commune's own report (Bình Thành, 04/2024):
1. results of receiving and handling dossiers — a) the situation (narrative), b) the figures,
   written as the seed writes them, and the per-field table, c) digitisation;
2. the one-stop desk's organisation (narrative) and its staff (appendix);
3. proposals (narrative).
The narrative parts are the unit's :class:`~motcua.reports.models.ReportDraft`, remembered
from one report to the next; the figures never are.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.accounts.queries import committee_signer
from motcua.core import official
from motcua.core.formatting import number_vi, percent_vi
from motcua.core.ratings import Summary
from motcua.core.statistics import Figures
from motcua.reports.feedback import feedback_figures, feedback_sentence
from motcua.reports.models import ReportDraft
from motcua.reports.queries import Scope, report, report_by_field
from motcua.reports.ratings import rating_figures
from motcua.units.models import Unit

# --- numbers as the commune writes them -----------------------------------------------------


def count_vi(n: int) -> str:
    """3834 → "3.834"; 5 → "05" (administrative habit: a zero before a count under ten)."""
    return f"{n:02d}" if 0 < n < 10 else number_vi(n)


def rate_vi(value: float | None) -> str:
    """98.5 → "98,5 %"; 100.0 → "100 %" (as the seed writes a whole percentage)."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{number_vi(value)} %"
    return percent_vi(value)


def day_vi(day: date) -> str:
    return f"{day:%d/%m/%Y}"


ROMAN = ("I", "II", "III", "IV")
BLANK = "\u00a0" * 10  # room for the number the clerk writes in


def _quarter(start: date, end: date) -> int | None:
    if start.day != 1 or start.month % 3 != 1:
        return None
    last = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1) - timedelta(1)
    return (start.month - 1) // 3 + 1 if end == last else None


def period_label(start: date, end: date) -> str:
    """ "Năm 2023", "Quý I/2024", "6 tháng đầu năm 2024", or "Từ ngày … đến ngày …"."""
    if start.year == end.year and start == date(start.year, 1, 1):
        if end == date(end.year, 12, 31):
            return f"Năm {end.year}"
        month_end = date(end.year + (end.month == 12), end.month % 12 + 1, 1) - timedelta(1)
        if end == month_end and end.month in (6, 9):
            return f"{end.month} tháng đầu năm {end.year}"
    quarter = _quarter(start, end)
    if quarter is not None:
        return f"Quý {ROMAN[quarter - 1]}/{start.year}"
    return f"Từ ngày {day_vi(start)} đến ngày {day_vi(end)}"


def segments(start: date, end: date) -> list[tuple[date, date]]:
    """The report period cut at each new year: a report in April 2024 on 2023 and Q1/2024
    gives each its own figures, as the seed does."""
    parts = []
    while start.year < end.year:
        parts.append((start, date(start.year, 12, 31)))
        start = date(start.year + 1, 1, 1)
    parts.append((start, end))
    return parts


# --- the figures sentences (section 1 b and c) -------------------------------------------------


def _share(rate: float | None) -> str:
    return f", đạt {rate_vi(rate)}" if rate is not None else ""


def results_sentence(f: Figures) -> str:
    """Section 1(b), in the seed's own words, from the cohort view."""
    if f.received == 0:
        return "Không có hồ sơ tiếp nhận."
    r = f.rates
    channels = []
    for n, rate, how in (
        (f.received_online, r.get("online_rate"), "tiếp nhận trực tuyến"),
        (f.received_direct, r.get("direct_rate"), "tiếp nhận trực tiếp"),
        (f.received_post, r.get("post_rate"), "tiếp nhận qua dịch vụ bưu chính công ích"),
    ):
        if n:
            channels.append(f"{count_vi(n)} hồ sơ {how}{_share(rate)}")
        elif how != "tiếp nhận qua dịch vụ bưu chính công ích":
            channels.append(f"không có hồ sơ {how}")
    received = f"Tổng số hồ sơ tiếp nhận là {count_vi(f.received)} hồ sơ, trong đó " + (
        ", ".join(channels[:-1]) + " và " + channels[-1] if len(channels) > 1 else channels[0]
    )
    if f.resolved:
        resolved = f"đã giải quyết {count_vi(f.resolved)} hồ sơ{_share(r.get('resolved_rate'))}"
        parts = [
            f"giải quyết trước hạn là {count_vi(f.resolved_early)} hồ sơ"
            if f.resolved_early
            else "không có hồ sơ giải quyết trước hạn",
            f"{count_vi(f.resolved_on_time)} hồ sơ giải quyết đúng hạn"
            if f.resolved_on_time
            else "không có hồ sơ giải quyết đúng hạn",
        ]
    else:
        resolved, parts = "chưa giải quyết xong hồ sơ nào", []
    if f.in_progress_within_time:
        parts.append(f"{count_vi(f.in_progress_within_time)} hồ sơ đang trong thời gian giải quyết")
    if f.in_progress_overdue:
        parts.append(f"{count_vi(f.in_progress_overdue)} hồ sơ đang giải quyết đã quá hạn")
    parts.append(
        f"{count_vi(f.resolved_late)} hồ sơ giải quyết quá hạn"
        if f.resolved_late
        else "không có hồ sơ giải quyết quá hạn"
    )
    tail = resolved + (", trong đó " + ", ".join(parts) if f.resolved else ", " + ", ".join(parts))
    return f"{received}; {tail}."


def digitisation_sentence(f: Figures) -> str:
    """Section 1(c): dossiers whose components and result are both digitised (766 §4.2)."""
    if f.digitisable_dossiers == 0:
        return "Không có hồ sơ thuộc diện phải số hóa."
    return (
        f"Tổng số hồ sơ đã số hóa là {number_vi(f.digitised_dossiers)}/"
        f"{number_vi(f.digitisable_dossiers)} hồ sơ, đạt "
        f"{rate_vi(f.rates.get('digitisation_rate'))} (phần mềm một cửa)."
    )


def ratings_sentence(summary: Summary) -> str:
    """Section 1(d): the citizens' ratings of the period's dossiers (docs/ratings.md)."""
    if summary.count == 0:
        return "Chưa có lượt đánh giá mức độ hài lòng nào trên phần mềm một cửa."
    share = summary.satisfied_share * 100
    return (
        f"Có {number_vi(summary.count)} lượt người dân đánh giá việc giải quyết hồ sơ, trong đó "
        f"{number_vi(summary.satisfied)} lượt hài lòng, rất hài lòng (đạt {percent_vi(share)}) "
        f"và {number_vi(summary.dislikes)} lượt không hài lòng, rất không hài lòng."
    )


# --- the per-field table (flow view, the official form's columns) ---------------------------


@dataclass(frozen=True)
class Head:
    """A header cell of a table: its text and how many columns and rows it spans."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    head: list[list[Head]]
    rows: list[list[str]]
    widths_mm: list[float]
    numeric_from: int = 2  # columns right-aligned from here on
    bold_last: bool = False
    font_pt: float = 10

    def align(self, col: int) -> str:
        """ "center" (STT), "num" (figures) or "" (text)."""
        if col == 0:
            return "center"
        return "num" if col >= self.numeric_from else ""

    @property
    def html_rows(self) -> list[dict]:
        last = len(self.rows) - 1
        return [
            {
                "total": self.bold_last and i == last,
                "cells": [{"text": t, "css": self.align(c)} for c, t in enumerate(row)],
            }
            for i, row in enumerate(self.rows)
        ]


def head_grid(head: list[list[Head]]) -> list[tuple[int, int, Head]]:
    """Place header cells on the grid as HTML does with rowspan/colspan: (row, col, cell)."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, line in enumerate(head):
        c = 0
        for cell in line:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return placed


# TT 01/2020/TT-VPCP, Biểu mẫu kết quả giải quyết TTHC: per field, dossiers to handle, handled,
# in progress. The numbered row under the header is the form's own.
FORM_HEAD = [
    [
        Head("STT", rowspan=3),
        Head("Lĩnh vực", rowspan=3),
        Head("Số hồ sơ nhận giải quyết", colspan=4),
        Head("Số hồ sơ đã giải quyết", colspan=4),
        Head("Số hồ sơ đang giải quyết", colspan=3),
    ],
    [
        Head("Tổng số", rowspan=2),
        Head("Kỳ trước chuyển qua", rowspan=2),
        Head("Tiếp nhận trong kỳ", colspan=2),
        Head("Tổng số", rowspan=2),
        Head("Trước hạn", rowspan=2),
        Head("Đúng hạn", rowspan=2),
        Head("Quá hạn", rowspan=2),
        Head("Tổng số", rowspan=2),
        Head("Trong hạn", rowspan=2),
        Head("Quá hạn", rowspan=2),
    ],
    [Head("Trực tuyến"), Head("Trực tiếp, bưu chính")],
    [Head(f"({i})") for i in range(1, 14)],
]


def form_values(f: Figures) -> list[int]:
    """The 11 figures of one row of the form (columns 3 to 13)."""
    return [
        f.carried_over + f.received,
        f.carried_over,
        f.received_online,
        f.received_direct + f.received_post,
        f.resolved,
        f.resolved_early,
        f.resolved_on_time,
        f.resolved_late,
        f.in_progress,
        f.in_progress_within_time,
        f.in_progress_overdue,
    ]


def form_rows(scope: Scope, start: date, end: date, view: str = "flow") -> list[tuple]:
    """(STT, field name, 11 figures) per field, then ("", "Tổng cộng", totals)."""
    rows = [
        (str(i), field.name, form_values(fig))
        for i, (field, fig) in enumerate(report_by_field(scope, start, end, view), 1)
    ]
    rows.append(("", "Tổng cộng", form_values(report(scope, start, end, view))))
    return rows


def views_sentence(flow: Figures, cohorts: list[tuple[str, Figures]]) -> str:
    """Why the table's totals differ from the sentences above: the sentences count the dossiers
    received in the period (as the seed does); the form of TT 01/2020 counts the period's work,
    the dossiers carried over from before plus those received, and both add up."""
    received = sum(f.received for _, f in cohorts)
    resolved = sum(f.resolved for _, f in cohorts)
    return (
        "Biểu tính theo kỳ báo cáo: số hồ sơ kỳ trước chuyển qua "
        f"({count_vi(flow.carried_over)} hồ sơ) cộng số hồ sơ tiếp nhận trong kỳ "
        f"({count_vi(flow.received)} hồ sơ) bằng số đã giải quyết trong kỳ "
        f"({count_vi(flow.resolved)} hồ sơ) cộng số đang giải quyết ({count_vi(flow.in_progress)} "
        "hồ sơ); các số nêu ở trên chỉ tính hồ sơ tiếp nhận trong kỳ "
        f"({count_vi(received)} hồ sơ tiếp nhận, {count_vi(resolved)} hồ sơ đã giải quyết):"
    )


def form_table(scope: Scope, start: date, end: date) -> Table:
    rows = [
        [n, name, *(number_vi(v) for v in values)]
        for n, name, values in form_rows(scope, start, end)
    ]
    return Table(
        head=FORM_HEAD,
        rows=rows,
        widths_mm=[9, 29, *([11.5] * 11)],
        bold_last=True,
        font_pt=9,
    )


# --- the staff appendix -----------------------------------------------------------------------

ROLE_ORDER = {Role.HEAD: 0, Role.DEPUTY: 1}
DESK_ROLES = (Role.HEAD, Role.DEPUTY, Role.SPECIALIST, Role.LEADER, Role.CLERK)


def desk_staff(unit: Unit) -> list[User]:
    """The unit's active officials, head first, then deputy, then by name."""
    people = (
        User.objects.filter(unit=unit, is_active=True, staff_roles__role__in=DESK_ROLES)
        .distinct()
        .prefetch_related("staff_roles", "fields")
    )

    def order(u: User) -> tuple:
        roles = {r.role for r in u.staff_roles.all()}
        rank = min((ROLE_ORDER.get(r, 9) for r in roles), default=9)
        return rank, u.display_name

    return sorted(people, key=order)


def duty(user: User) -> str:
    """Nhiệm vụ tại Bộ phận, from the roles and fields."""
    roles = {r.role for r in user.staff_roles.all()}
    duties = []
    if Role.HEAD in roles:
        duties.append("Trưởng Bộ phận, phụ trách chung")
    if Role.DEPUTY in roles:
        duties.append("Phó Trưởng Bộ phận")
    if Role.LEADER in roles and not roles & {Role.HEAD, Role.DEPUTY}:
        duties.append("Ký duyệt kết quả giải quyết")
    if Role.SPECIALIST in roles:
        fields = sorted(f.name for f in user.fields.all())
        duties.append(
            "Tiếp nhận, giải quyết hồ sơ lĩnh vực " + ", ".join(fields)
            if fields
            else "Tiếp nhận, hướng dẫn, giải quyết hồ sơ"
        )
    if Role.CLERK in roles:
        duties.append("Văn thư: ký số, đóng dấu, phát hành kết quả")
    return "; ".join(duties)


def staff_table(staff: list[User]) -> Table:
    rows = [[str(i), u.display_name, u.title or "", duty(u)] for i, u in enumerate(staff, 1)]
    return Table(
        head=[
            [
                Head("STT"),
                Head("Họ và tên"),
                Head("Chức vụ, chức danh"),
                Head("Nhiệm vụ tại Bộ phận"),
            ]
        ],
        rows=rows,
        widths_mm=[11, 40, 52, 62],
        numeric_from=99,
        font_pt=11,
    )


def staff_sentence(staff: list[User]) -> str:
    roles = [{r.role for r in u.staff_roles.all()} for u in staff]
    heads = sum(1 for r in roles if Role.HEAD in r)
    deputies = sum(1 for r in roles if Role.DEPUTY in r and Role.HEAD not in r)
    others = len(staff) - heads - deputies
    parts = []
    if heads:
        parts.append(f"{count_vi(heads)} Trưởng Bộ phận")
    if deputies:
        parts.append(f"{count_vi(deputies)} Phó Trưởng Bộ phận")
    if others:
        parts.append(f"{count_vi(others)} công chức chuyên môn được cử đến")
    listed = ", ".join(parts[:-1]) + " và " + parts[-1] if len(parts) > 1 else "".join(parts)
    return (
        f"Bộ phận Một cửa hiện có tổng số {count_vi(len(staff))} người"
        + (f", trong đó {listed}" if listed else "")
        + " (có Phụ lục kèm theo)."
    )


# --- the narrative parts ----------------------------------------------------------------------

SECTION_LABELS = {
    "recipient": "Kính gửi",
    "basis": "Căn cứ báo cáo (câu mở đầu)",
    "situation": "1 a) Tình hình thực hiện",
    "organisation": "2. Về tổ chức, vận hành của Bộ phận Một cửa",
    "proposals": "3. Kiến nghị, đề xuất",
    "recipients": "Nơi nhận (mỗi dòng một nơi)",
}


def default_sections(unit: Unit) -> dict[str, str]:
    """What a commune would write if it had not written anything yet."""
    where = official.unit_in_text(unit.name, unit.division_type)
    province = unit.province if unit.province_id else None
    return {
        "recipient": f"Văn phòng {official.issuer_name(province.name, province.division_type)}"
        if province
        else "",
        "basis": "Thực hiện chế độ báo cáo định kỳ về tình hình, kết quả giải quyết thủ tục "
        "hành chính theo Thông tư số 01/2020/TT-VPCP của Văn phòng Chính phủ",
        "situation": (
            f"Ủy ban nhân dân {where} quan tâm chỉ đạo, tổ chức thực hiện việc tiếp nhận, giải "
            "quyết thủ tục hành chính tại địa phương theo đúng quy định; ban hành Kế hoạch cải "
            "cách hành chính, Kế hoạch kiểm soát thủ tục hành chính và các văn bản chỉ đạo, "
            "điều hành có liên quan; tăng cường tuyên truyền, hướng dẫn người dân nộp hồ sơ "
            "trực tuyến.\n"
            "- Thuận lợi: Được sự quan tâm lãnh đạo, chỉ đạo của cấp ủy, chính quyền; các hệ "
            "thống phần mềm, cơ sở dữ liệu được sử dụng có hiệu quả.\n"
            "- Khó khăn, vướng mắc: Trình độ ứng dụng công nghệ thông tin của một bộ phận người "
            "dân còn hạn chế; trang thiết bị phục vụ Bộ phận Một cửa chưa đồng bộ."
        ),
        "organisation": (
            "Bộ phận Một cửa thực hiện nghiêm túc, đúng quy định các nhiệm vụ về thực hiện cơ "
            "chế một cửa, một cửa liên thông theo Nghị định số 118/2025/NĐ-CP của Chính phủ và "
            "Thông tư số 03/2025/TT-VPCP; niêm yết công khai đầy đủ thủ tục hành chính, phí, lệ "
            "phí, nội quy và lịch trực của cán bộ, công chức tại Bộ phận."
        ),
        "proposals": (
            "- Đề nghị tiếp tục quan tâm đầu tư trang thiết bị phục vụ Bộ phận Một cửa.\n"
            "- Đề nghị thường xuyên tập huấn nghiệp vụ, kỹ năng ứng dụng các hệ thống phần mềm "
            "cho cán bộ, công chức tại Bộ phận Một cửa."
        ),
        "recipients": "Như trên;\nLãnh đạo UBND xã;\nLưu: VT.",
    }


def clean_text(value: str) -> str:
    """NFC, Unix line ends, no trailing spaces: what is stored and printed."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in value.strip().split("\n"))


def sections_for(unit: Unit) -> dict[str, str]:
    """The unit's remembered texts, the defaults where it has none."""
    stored = ReportDraft.objects.filter(unit=unit).values_list("sections", flat=True).first()
    texts = default_sections(unit)
    for key, value in (stored or {}).items():
        if key in texts and isinstance(value, str) and value.strip():
            texts[key] = value
    return texts


@transaction.atomic
def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


# --- the whole document -----------------------------------------------------------------------


@dataclass
class Block:
    """One piece of the body: "heading" (bold), "subheading" (bold italic), "para", "table"."""

    kind: str
    text: str = ""
    table: Table | None = None


@dataclass
class Document:
    issuer: list[str]  # top left, the last line bold
    number: str
    place_date: str
    title: str
    subtitle: str
    recipient: str
    body: list[Block]
    recipients: list[str]
    signer_lines: list[str]
    signer_name: str
    appendix_title: str
    appendix_subtitle: str
    appendix_note: str
    appendix_table: Table
    period: str = ""

    def all_text(self) -> str:
        """Every printed word (the tests compare it with the files)."""
        parts = [*self.issuer, self.number, self.place_date, self.title, self.subtitle]
        for b in self.body:
            parts.append(b.text)
            if b.table:
                parts += [c for row in b.table.rows for c in row]
        return "\n".join(parts)


def draft_document(
    unit: Unit, scope: Scope, start: date, end: date, issued: date | None = None
) -> Document:
    """The whole report of ``unit`` for [start, end]: figures filled in, narrative remembered."""
    issued = issued or timezone.localdate()
    texts = sections_for(unit)
    where = official.unit_in_text(unit.name, unit.division_type)
    period = (
        period_label(start, end)
        if len(segments(start, end)) == 1
        else f"Từ ngày {day_vi(start)} đến ngày {day_vi(end)}"
    )
    parts = segments(start, end)
    cohorts = [(period_label(a, b), report(scope, a, b, "cohort")) for a, b in parts]

    body: list[Block] = [
        Block(
            "para",
            f"{texts['basis'].rstrip('., ')}, Ủy ban nhân dân {where} báo cáo kết quả tiếp "
            "nhận, giải quyết thủ tục hành chính và tình hình tổ chức Bộ phận Một cửa từ ngày "
            f"{day_vi(start)} đến ngày {day_vi(end)} như sau:",
        ),
        Block("heading", "1. Tình hình, kết quả tiếp nhận, giải quyết thủ tục hành chính"),
        Block("subheading", "a) Tình hình thực hiện"),
        *(Block("para", p) for p in paragraphs(texts["situation"])),
        Block("subheading", "b) Kết quả tiếp nhận và giải quyết thủ tục hành chính"),
        Block("para", "- Thống kê kết quả tiếp nhận và giải quyết thủ tục hành chính:"),
        *(
            Block("para", f"+ {label}: Kết quả trên phần mềm một cửa: {results_sentence(f)}")
            for label, f in cohorts
        ),
        Block(
            "para",
            "- Kết quả giải quyết thủ tục hành chính theo từng lĩnh vực (Biểu mẫu theo Thông tư "
            f"số 01/2020/TT-VPCP), từ ngày {day_vi(start)} đến ngày {day_vi(end)}. "
            + views_sentence(report(scope, start, end, "flow"), cohorts),
        ),
        Block("table", table=form_table(scope, start, end)),
        Block("subheading", "c) Về số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"),
        *(Block("para", f"+ {label}: {digitisation_sentence(f)}") for label, f in cohorts),
        Block("subheading", "d) Về đánh giá mức độ hài lòng của người dân"),
        *(
            Block("para", f"+ {label}: {ratings_sentence(rating_figures(scope, a, b).total)}")
            for (label, _), (a, b) in zip(cohorts, parts, strict=True)
        ),
        Block("para", "- Tiếp nhận, xử lý phản ánh, kiến nghị:"),
        *(
            Block("para", f"+ {label}: {feedback_sentence(feedback_figures(scope, a, b))}")
            for (label, _), (a, b) in zip(cohorts, parts, strict=True)
        ),
        Block("heading", "2. Về tổ chức, vận hành của Bộ phận Một cửa"),
        *(Block("para", p) for p in paragraphs(texts["organisation"])),
    ]
    staff = desk_staff(unit)
    body.append(Block("para", "- " + staff_sentence(staff)))
    body += [
        Block("heading", "3. Kiến nghị, đề xuất"),
        *(Block("para", p) for p in paragraphs(texts["proposals"])),
        Block(
            "para",
            "Trên đây là báo cáo kết quả tiếp nhận, giải quyết thủ tục hành chính và tình hình "
            f"tổ chức Bộ phận Một cửa của Ủy ban nhân dân {where}./.",
        ),
    ]
    signer = committee_signer(unit.code)
    return Document(
        issuer=official.issuer_lines(unit.name, unit.division_type),
        number=f"Số:{BLANK}/BC-UBND",
        place_date=official.place_and_date(unit.name, unit.division_type, issued),
        title="BÁO CÁO",
        subtitle="Kết quả tiếp nhận, giải quyết thủ tục hành chính và tình hình tổ chức "
        f"Bộ phận Một cửa {where}",
        recipient=texts["recipient"],
        body=body,
        recipients=[f"- {line.lstrip('- ')}" for line in paragraphs(texts["recipients"])],
        signer_lines=signer.lines,
        signer_name=signer.name,
        appendix_title="PHỤ LỤC",
        appendix_subtitle="Danh sách cán bộ, công chức đang làm việc tại Bộ phận Một cửa",
        appendix_note=f"(Kèm theo Báo cáo số{BLANK}/BC-UBND ngày {day_vi(issued)} "
        f"của Ủy ban nhân dân {where})",
        appendix_table=staff_table(staff),
        period=period,
    )

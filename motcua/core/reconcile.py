"""Reconciliation with the national portal (đối chiếu với Cổng DVCQG): parse its exports and
say, per dossier and per indicator, where the portal and our records differ and why.

Pure Python, no Django import. Times are naive local times (Asia/Ho_Chi_Minh). The portal's
status names, channels (KenhThucHien) and indicator numbers: LEGAL-NOTES §5 and §7c, GLOSSARY.
docs/reconciliation.md explains every reason to a commune.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from motcua.core.classify import DossierClock, Timeliness, by_due_moment, resolution
from motcua.core.dvcqg import STATUS_LABELS, PortalStatus, parse_portal_time
from motcua.core.localtime import LOCAL_TZ
from motcua.core.procedure_rows import RowError, RowsFileError, value_key
from motcua.core.text import fold, nfc

MIN_YEAR, MAX_YEAR = 2000, 2100

# --- the per-dossier export ------------------------------------------------------------------

# Canonical column → the folded header spellings accepted (value_key of the header).
DOSSIER_COLUMNS: dict[str, tuple[str, ...]] = {
    "ma_ho_so": ("ma_ho_so", "mahoso", "so_ho_so", "ma_so_ho_so"),
    "ma_tthc": (
        "ma_tthc",
        "ma_thu_tuc",
        "ma_tthc_thu_tuc",
        "ma_thu_tuc_hanh_chinh",
        "thu_tuc",
        "matthc",
    ),
    "ngay_tiep_nhan": ("ngay_tiep_nhan", "ngaytiepnhan", "thoi_gian_tiep_nhan"),
    "ngay_hen_tra": (
        "ngay_hen_tra",
        "ngayhentra",
        "ngay_hen_tra_ket_qua",
        "han_tra_ket_qua",
        "han_xu_ly",
    ),
    "ngay_ket_thuc": (
        "ngay_ket_thuc",
        "ngay_ket_thuc_xu_ly",
        "ngayketthucxuly",
        "ngay_co_ket_qua",
        "ngay_ket_thuc_xu_ly_co_ket_qua",
        "ngay_ket_thuc_co_ket_qua",
    ),
    "trang_thai": ("trang_thai", "trang_thai_ho_so", "tinh_trang", "tinh_trang_ho_so"),
    "da_so_hoa": ("da_so_hoa", "so_hoa", "ho_so_da_so_hoa", "duoc_so_hoa", "dasohoa"),
    "kenh": ("kenh", "kenh_thuc_hien", "kenhthuchien", "kenh_nop", "kenh_tiep_nhan"),
}
DOSSIER_REQUIRED = ("ma_ho_so", "ngay_tiep_nhan", "trang_thai")
DOSSIER_LABELS = {
    "ma_ho_so": "Mã hồ sơ",
    "ma_tthc": "Mã TTHC",
    "ngay_tiep_nhan": "Ngày tiếp nhận",
    "ngay_hen_tra": "Ngày hẹn trả",
    "ngay_ket_thuc": "Ngày kết thúc xử lý",
    "trang_thai": "Trạng thái",
    "da_so_hoa": "Đã số hoá",
    "kenh": "Kênh",
}

# DVCQG status names (GLOSSARY "States"), keyed by their folded form; a few short spellings.
PORTAL_STATUSES = (
    "Mới tiếp nhận",
    "Đang xử lý",
    "Yêu cầu bổ sung hồ sơ",
    "Từ chối",
    "Dừng xử lý",
    "Đã xử lý xong",
    "Đã trả kết quả",
    "Công dân yêu cầu rút hồ sơ",
)
_STATUS_BY_KEY = {value_key(s): s for s in PORTAL_STATUSES} | {
    "yeu_cau_bo_sung": "Yêu cầu bổ sung hồ sơ",
    "cho_bo_sung": "Yêu cầu bổ sung hồ sơ",
    "rut_ho_so": "Công dân yêu cầu rút hồ sơ",
    "cong_dan_rut_ho_so": "Công dân yêu cầu rút hồ sơ",
    "da_xu_ly": "Đã xử lý xong",
    "da_co_ket_qua": "Đã xử lý xong",
    "tu_choi_giai_quyet": "Từ chối",
    "dung_giai_quyet": "Dừng xử lý",
}
# Statuses that end processing (766 §2.1): the dossier has an end date on the portal.
PORTAL_ENDED = frozenset(
    {"Từ chối", "Dừng xử lý", "Đã xử lý xong", "Đã trả kết quả", "Công dân yêu cầu rút hồ sơ"}
)
SUPPLEMENT_STATUS = "Yêu cầu bổ sung hồ sơ"
# Waiting for the applicant, in both vocabularies: the export's name and the status code's
# (a dossier looked up with TraCuuHoSo carries the portal's code, TrangThaiHoSo 5).
SUPPLEMENT_STATUSES = frozenset({SUPPLEMENT_STATUS, STATUS_LABELS[PortalStatus.SUPPLEMENT]})

# KenhThucHien: 1 direct, 2 online, 3 BCCI (empty = direct, as the 766 formula counts it).
CHANNEL_LABELS = {1: "Trực tiếp", 2: "Trực tuyến", 3: "BCCI"}
_CHANNEL_BY_KEY = {
    "1": 1,
    "2": 2,
    "3": 3,
    "truc_tiep": 1,
    "truc_tuyen": 2,
    "bcci": 3,
    "buu_chinh": 3,
    "buu_chinh_cong_ich": 3,
    "dich_vu_buu_chinh_cong_ich": 3,
    "": 1,
}
_YES = {"co", "1", "x", "true", "yes", "da_so_hoa", "da"}
_NO = {"khong", "0", "false", "no", "chua", "chua_so_hoa"}


class ReconcileFileError(RowsFileError):
    """A portal file that cannot be used; ``errors`` lists every problem (nothing stored)."""

    what = "Tệp hồ sơ của Cổng DVCQG"


@dataclass(frozen=True)
class PortalRow:
    """One dossier as the national portal has it."""

    row: int
    code: str
    procedure_code: str
    received_at: datetime
    due_at: datetime | None
    ended_at: datetime | None
    status: str
    digitised: bool | None
    channel: int | None


_DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
)


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime:
    """dd/mm/yyyy, dd/mm/yyyy HH:MM[:SS] or ISO 8601 → naive local time; a date alone is the
    start of that day (``end_of_day``: its last second, for a due date). ValueError otherwise."""
    text = text.strip()
    value: datetime | None = None
    date_only = False
    for fmt in _DATE_FORMATS:
        try:
            value = datetime.strptime(text, fmt)
        except ValueError:
            continue
        date_only = "%H" not in fmt
        break
    if value is None:
        iso = text.replace(" ", "T", 1)
        value = datetime.fromisoformat(iso)  # ValueError when not ISO either
        date_only = "T" not in iso
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ).replace(tzinfo=None)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError
    if date_only and end_of_day:
        value = datetime.combine(value.date(), time(23, 59, 59))
    return value


def column_map(headers: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Canonical column → position, from headers in any case, with or without diacritics."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = value_key(str(header))
        for name, spellings in columns.items():
            if key in spellings and name not in found:
                found[name] = index
    return found


def parse_portal_rows(headers: list[str], rows: list[list[str]]) -> tuple[list[PortalRow], set]:
    """Validate every row of the portal's per-dossier export; return the rows and the optional
    columns present. Raise :class:`ReconcileFileError` listing every error found."""
    where = column_map(headers, DOSSIER_COLUMNS)
    missing = [c for c in DOSSIER_REQUIRED if c not in where]
    if missing:
        names = ", ".join(f"“{DOSSIER_LABELS[c]}”" for c in missing)
        raise ReconcileFileError([RowError(1, "", f"thiếu cột bắt buộc {names}")])
    parsed: list[PortalRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(str(c or "").strip() for c in cells):
            continue
        v = {
            name: nfc(str(cells[i])) if i < len(cells) and cells[i] is not None else ""
            for name, i in where.items()
        }
        row_errors: list[RowError] = []

        def err(column: str, message: str, _errors=row_errors, _n=number) -> None:
            _errors.append(RowError(_n, DOSSIER_LABELS[column], message))

        code = v["ma_ho_so"]
        key = code.upper()
        if not code or len(code) > 60:
            err("ma_ho_so", "trống hoặc dài quá 60 ký tự")
        elif key in seen:
            err("ma_ho_so", f"mã {code} trùng dòng {seen[key]}")
        seen.setdefault(key, number)
        moments: dict[str, datetime | None] = {}
        for column in ("ngay_tiep_nhan", "ngay_hen_tra", "ngay_ket_thuc"):
            text = v.get(column, "")
            moments[column] = None
            if not text:
                if column == "ngay_tiep_nhan":
                    err(column, "không được để trống")
                continue
            try:
                moments[column] = parse_moment(text, end_of_day=column == "ngay_hen_tra")
            except ValueError:
                err(
                    column,
                    f"“{text}” không phải ngày hợp lệ (dd/mm/yyyy, dd/mm/yyyy HH:MM hoặc "
                    f"yyyy-mm-dd, năm từ {MIN_YEAR} đến {MAX_YEAR})",
                )
        received = moments["ngay_tiep_nhan"]
        ended = moments["ngay_ket_thuc"]
        if received and ended and ended.date() < received.date():
            err("ngay_ket_thuc", "trước ngày tiếp nhận")
        status = _STATUS_BY_KEY.get(value_key(v["trang_thai"]))
        if status is None:
            err(
                "trang_thai",
                f"“{v['trang_thai']}” không phải trạng thái của Cổng DVCQG "
                f"({', '.join(PORTAL_STATUSES)})",
            )
        digitised: bool | None = None
        if "da_so_hoa" in where:
            flag = value_key(v["da_so_hoa"])
            if flag in _YES:
                digitised = True
            elif flag in _NO:
                digitised = False
            elif flag:
                err("da_so_hoa", f"“{v['da_so_hoa']}” không hợp lệ (có/không)")
        channel: int | None = None
        if "kenh" in where:
            channel = _CHANNEL_BY_KEY.get(value_key(v["kenh"]))
            if channel is None:
                err("kenh", f"“{v['kenh']}” không hợp lệ (1 trực tiếp, 2 trực tuyến, 3 BCCI)")
        if row_errors:
            errors.extend(row_errors)
            continue
        assert received is not None and status is not None
        parsed.append(
            PortalRow(
                row=number,
                code=code,
                procedure_code=v.get("ma_tthc", ""),
                received_at=received,
                due_at=moments["ngay_hen_tra"],
                ended_at=ended,
                status=status,
                digitised=digitised,
                channel=channel,
            )
        )
    if not parsed and not errors:
        errors.append(RowError(2, "", "tệp không có dòng dữ liệu nào"))
    if errors:
        raise ReconcileFileError(errors)
    present = {c for c in ("ngay_hen_tra", "ngay_ket_thuc", "da_so_hoa", "kenh") if c in where}
    return parsed, present


# --- the portal's own answers (TraCuuHoSo) ----------------------------------------------------

# What a looked-up dossier gives to compare: its dates, its channel; not whether it is
# digitised — HoSoCoThanhPhanSoHoa says only that its components are, where our 766 figure
# counts a dossier whose components and result are (docs/reconciliation.md).
LOOKUP_COLUMNS = frozenset({"ngay_hen_tra", "ngay_ket_thuc", "kenh"})
LOOKUP_WHAT = "Câu trả lời tra cứu hồ sơ của Cổng DVCQG"


def _lookup_time(value: object, name: str, err) -> datetime | None:
    try:
        moment = parse_portal_time(str(value or ""))
    except ValueError:
        err(name, f"“{value}” không đúng dạng yyyyMMddHHmmss")
        return None
    return moment.replace(tzinfo=None) if moment is not None else None


def lookup_rows(answers: list[tuple[str, object]]) -> list[PortalRow]:
    """The portal's answers to TraCuuHoSo, ``(our dossier code, the answer's result)`` each in
    the order asked, as the rows a file import gives: the status under the name of its code
    (STATUS_LABELS), the dates as naive local times. Raise :class:`ReconcileFileError` listing
    every answer that cannot be read (numbered in the order asked)."""
    parsed: list[PortalRow] = []
    errors: list[RowError] = []
    for number, (code, answer) in enumerate(answers, start=1):
        row_errors: list[RowError] = []

        def err(name: str, message: str, _errors=row_errors, _n=number, _code=code) -> None:
            _errors.append(RowError(_n, name, f"hồ sơ {_code}: {message}"))

        if not isinstance(answer, dict):
            errors.append(RowError(number, "", f"hồ sơ {code}: câu trả lời không đúng dạng"))
            continue
        received = _lookup_time(answer.get("NgayTiepNhan"), "NgayTiepNhan", err)
        if received is None and not row_errors:
            err("NgayTiepNhan", "không có ngày tiếp nhận")
        due = _lookup_time(answer.get("NgayHenTra"), "NgayHenTra", err)
        ended = _lookup_time(answer.get("NgayKetThucXuLy"), "NgayKetThucXuLy", err)
        status_text = str(answer.get("TrangThaiHoSo", "")).strip()
        status = None
        try:
            status = STATUS_LABELS[PortalStatus(int(status_text))]
        except ValueError:
            err("TrangThaiHoSo", f"“{status_text}” không phải mã trạng thái từ 1 đến 10")
        channel_text = str(answer.get("KenhThucHien", "") or "").strip()
        channel = _CHANNEL_BY_KEY.get(channel_text) if channel_text else None
        if channel_text and channel is None:
            err("KenhThucHien", f"“{channel_text}” không hợp lệ (1, 2 hoặc 3)")
        if row_errors:
            errors.extend(row_errors)
            continue
        assert received is not None and status is not None
        parsed.append(
            PortalRow(
                row=number,
                code=code,
                procedure_code=str(answer.get("MaTTHC", "") or "")[:60],
                received_at=received,
                due_at=due,
                ended_at=ended,
                status=status,
                digitised=None,
                channel=channel,
            )
        )
    if errors:
        raise ReconcileFileError(errors, LOOKUP_WHAT)
    return parsed


# --- the indicator file ----------------------------------------------------------------------

INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "ten": ("chi_so", "ten_chi_so", "chi_tieu", "ten_chi_tieu", "ten", "noi_dung", "indicator"),
    "ma": ("ma", "ma_chi_so", "ma_chi_tieu", "code", "stt"),
    "gia_tri": (
        "gia_tri",
        "gia_tri_tren_cong",
        "gia_tri_cong_dvcqg",
        "ket_qua",
        "so_lieu",
        "value",
    ),
}

# Our figure names (motcua.core.statistics.Figures / rates) and how we show them.
INDICATORS: dict[str, str] = {
    "sync_rate": "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG (766 chỉ số 1.4)",
    "received": "Số hồ sơ tiếp nhận",
    "received_online": "Số hồ sơ trực tuyến",
    "received_direct": "Số hồ sơ trực tiếp",
    "received_post": "Số hồ sơ qua BCCI",
    "online_rate": "Tỷ lệ hồ sơ trực tuyến (766 chỉ số 3.3)",
    "resolved": "Số hồ sơ đã giải quyết",
    "resolved_early": "Số hồ sơ giải quyết trước hạn",
    "resolved_on_time": "Số hồ sơ giải quyết đúng hạn",
    "resolved_late": "Số hồ sơ giải quyết quá hạn",
    "in_progress": "Số hồ sơ đang giải quyết",
    "on_time_rate": "Tỷ lệ giải quyết trước hạn, đúng hạn",
    "timely_rate_766": "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn (766 chỉ số 2.1)",
    "digitised_dossiers": "Số hồ sơ đã số hoá",
    "digitisation_rate": "Tỷ lệ hồ sơ thực hiện số hoá (766 chỉ số 4.2)",
}
_INDICATOR_CODES = {
    "1.4": "sync_rate",
    "3.3": "online_rate",
    "2.1": "timely_rate_766",
    "4.2": "digitisation_rate",
} | {k: k for k in INDICATORS}
# (figure, words that must all appear in the folded name), first match wins: rates first.
_INDICATOR_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sync_rate", ("ty le", "dong bo")),
    ("online_rate", ("ty le", "truc tuyen")),
    ("digitisation_rate", ("ty le", "so hoa")),
    ("timely_rate_766", ("ty le", "dung han", "xu ly")),
    ("on_time_rate", ("ty le", "dung han")),
    ("digitised_dossiers", ("so hoa",)),
    ("received_online", ("truc tuyen",)),
    ("received_direct", ("truc tiep",)),
    ("received_post", ("bcci",)),
    ("received_post", ("buu chinh",)),
    ("resolved_early", ("truoc han",)),
    ("resolved_late", ("qua han",)),
    ("resolved_on_time", ("dung han",)),
    ("in_progress", ("dang",)),
    ("resolved", ("da giai quyet",)),
    ("resolved", ("da xu ly",)),
    ("resolved", ("giai quyet",)),
    ("received", ("tiep nhan",)),
)


def indicator_key(name: str, code: str = "") -> str:
    """Our figure for a portal indicator name or number ("" when we have no such figure)."""
    code = code.strip().lower()
    if code in _INDICATOR_CODES:
        return _INDICATOR_CODES[code]
    words = " ".join(re.findall(r"[a-z0-9.]+", fold(name)))
    for number, key in _INDICATOR_CODES.items():
        if re.search(rf"(^|\s){re.escape(number)}(\s|$)", words):
            return key
    for key, needed in _INDICATOR_WORDS:
        if all(w in words for w in needed):
            return key
    return ""


def is_rate(key: str) -> bool:
    return key.endswith("_rate") or key == "timely_rate_766"


def parse_number(text: str, *, rate: bool) -> Decimal:
    """ "98,3 %", "98.3", "3.834", "3,834.5", an Excel fraction 0,983 for a rate → Decimal."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    percent = raw.endswith("%")
    raw = raw.rstrip("%")
    if "," in raw and "." in raw:
        decimal_mark = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        raw = raw.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in raw:
        raw = (
            raw.replace(",", ".")
            if rate or not re.fullmatch(r"\d{1,3}(,\d{3})+", raw)
            else (raw.replace(",", ""))
        )
    elif "." in raw and not rate and re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", "")  # Vietnamese thousands: 3.834
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError from exc
    if not value.is_finite() or value < 0:
        raise ValueError
    if rate and not percent and 0 < value < 1:
        value *= 100  # an Excel percentage cell gives the fraction
    if rate and value > 100:
        raise ValueError
    return value


@dataclass(frozen=True)
class PortalIndicatorRow:
    row: int
    name: str
    code: str
    key: str
    value: Decimal


def parse_indicator_rows(headers: list[str], rows: list[list[str]]) -> list[PortalIndicatorRow]:
    """The portal's indicator figures for the period: name and/or number → value."""
    what = "Tệp chỉ số của Cổng DVCQG"
    where = column_map(headers, INDICATOR_COLUMNS)
    if "gia_tri" not in where or not ({"ten", "ma"} & where.keys()):
        raise ReconcileFileError(
            [RowError(1, "", "cần cột “Chỉ số” (hoặc “Mã chỉ số”) và cột “Giá trị”")], what
        )
    out: list[PortalIndicatorRow] = []
    errors: list[RowError] = []
    for number, cells in enumerate(rows, start=2):
        if not any(str(c or "").strip() for c in cells):
            continue
        v = {
            name: nfc(str(cells[i])) if i < len(cells) and cells[i] is not None else ""
            for name, i in where.items()
        }
        name, code = v.get("ten", ""), v.get("ma", "")
        key = indicator_key(name, code)
        try:
            value = parse_number(v["gia_tri"], rate=is_rate(key) or "%" in v["gia_tri"])
        except ValueError:
            errors.append(RowError(number, "Giá trị", f"“{v['gia_tri']}” không phải số hợp lệ"))
            continue
        out.append(PortalIndicatorRow(number, name or code, code, key, value))
    if not out and not errors:
        errors.append(RowError(2, "", "tệp không có dòng dữ liệu nào"))
    if errors:
        raise ReconcileFileError(errors, what)
    return out


# --- sample files (what the reconciliation form offers to download) -------------------------

# An example of each file the page reads, with the headers it expects and rows of every kind
# (made-up codes; the dates in each format the page accepts).
SAMPLE_DOSSIER_HEADERS = [DOSSIER_LABELS[c] for c in DOSSIER_COLUMNS]
SAMPLE_DOSSIER_ROWS = [
    [
        "000.00.19.H52-250106-0001",
        "1.001193",
        "06/01/2025 08:15",
        "06/01/2025 16:00",
        "06/01/2025 10:30",
        "Đã trả kết quả",
        "có",
        "2",
    ],
    [
        "000.00.19.H52-250107-0002",
        "2.000815",
        "07/01/2025",
        "08/01/2025",
        "",
        "Đang xử lý",
        "không",
        "1",
    ],
    [
        "000.00.19.H52-250108-0003",
        "1.004873",
        "2025-01-08",
        "2025-01-13",
        "2025-01-10",
        "Đã xử lý xong",
        "có",
        "3",
    ],
]
SAMPLE_INDICATOR_HEADERS = ["Mã chỉ số", "Chỉ số", "Giá trị"]
SAMPLE_INDICATOR_ROWS = [
    ["", "Số hồ sơ tiếp nhận", "3.834"],
    ["", "Tỷ lệ hồ sơ trực tuyến", "98,5 %"],
    ["", "Tỷ lệ hồ sơ giải quyết đúng hạn", "97,8 %"],
]


# --- comparison ------------------------------------------------------------------------------


class Reason(StrEnum):
    NOT_ON_PORTAL = "not_on_portal"
    NOT_HERE = "not_here"
    STATUS = "status"
    RECEIVED_DATE = "received_date"
    DUE_DATE = "due_date"
    END_DATE = "end_date"
    TIMELINESS = "timeliness"
    NOT_DIGITISED_THERE = "not_digitised_there"
    DIGITISED_ONLY_THERE = "digitised_only_there"
    CHANNEL = "channel"


REASON_LABELS: dict[Reason, str] = {
    Reason.NOT_ON_PORTAL: "Chưa đồng bộ lên Cổng DVCQG (ảnh hưởng chỉ số 1.4)",
    Reason.NOT_HERE: "Có trên Cổng DVCQG, không có trong phần mềm Một cửa",
    Reason.STATUS: "Khác trạng thái",
    Reason.RECEIVED_DATE: "Khác ngày tiếp nhận",
    Reason.DUE_DATE: "Khác ngày hẹn trả",
    Reason.END_DATE: "Khác ngày kết thúc xử lý",
    Reason.TIMELINESS: "Khác kết quả trước hạn / đúng hạn / quá hạn",
    Reason.NOT_DIGITISED_THERE: "Cổng DVCQG ghi chưa số hoá, phần mềm ghi đã số hoá",
    Reason.DIGITISED_ONLY_THERE: "Cổng DVCQG ghi đã số hoá, phần mềm ghi chưa số hoá",
    Reason.CHANNEL: "Khác kênh nộp hồ sơ",
}

# Reasons that change whether a dossier counts in the period at all.
_PRESENCE = frozenset({Reason.NOT_ON_PORTAL, Reason.NOT_HERE, Reason.RECEIVED_DATE})
_ENDING = _PRESENCE | {Reason.STATUS, Reason.END_DATE}
_TIMING = _ENDING | {Reason.DUE_DATE, Reason.TIMELINESS}
# Which reasons can account for a difference in each figure.
EXPLAINS: dict[str, frozenset[Reason]] = {
    "sync_rate": frozenset({Reason.NOT_ON_PORTAL, Reason.RECEIVED_DATE}),
    "received": _PRESENCE,
    "received_online": _PRESENCE | {Reason.CHANNEL},
    "received_direct": _PRESENCE | {Reason.CHANNEL},
    "received_post": _PRESENCE | {Reason.CHANNEL},
    "online_rate": _PRESENCE | {Reason.CHANNEL},
    "resolved": _ENDING,
    "in_progress": _ENDING,
    "resolved_early": _TIMING,
    "resolved_on_time": _TIMING,
    "resolved_late": _TIMING,
    "on_time_rate": _TIMING,
    "timely_rate_766": _TIMING,
    "digitised_dossiers": _PRESENCE | {Reason.NOT_DIGITISED_THERE, Reason.DIGITISED_ONLY_THERE},
    "digitisation_rate": _PRESENCE | {Reason.NOT_DIGITISED_THERE, Reason.DIGITISED_ONLY_THERE},
}


@dataclass(frozen=True)
class OurDossier:
    """What reconciliation needs of one of our dossiers (times naive local)."""

    ref: str  # primary key, for the link to the dossier page
    code: str
    procedure_code: str
    portal_status: str | None  # our state under its DVCQG name (None: no such status)
    received_at: datetime
    due_at: datetime | None
    ended_at: datetime | None
    channel: int
    digitisable: bool
    digitised: bool
    supplement_requests: int = 0
    pending_supplement_since: datetime | None = None
    apologized: bool = False
    applicant_id: str = ""  # already masked

    @property
    def timeliness(self) -> Timeliness | None:
        """Early / on time / late as our statistics count it (None: in progress)."""
        return resolution(
            DossierClock(
                due_at=self.due_at,
                ended_at=self.ended_at,
                supplement_requests=self.supplement_requests,
                pending_supplement_since=self.pending_supplement_since,
                apologized=self.apologized,
            )
        )


def portal_timeliness(row: PortalRow) -> Timeliness | None:
    """The class the portal's own dates give (766 §2.1): end against due; waiting for a
    supplement counts as ended on time; no end or no due date: not classified."""
    if row.ended_at is None:
        return Timeliness.ON_TIME if row.status in SUPPLEMENT_STATUSES else None
    if row.due_at is None:
        return None
    return by_due_moment(row.ended_at, row.due_at)


@dataclass
class Difference:
    """One dossier that differs, with every reason found."""

    code: str
    ours: OurDossier | None
    portal: PortalRow | None
    reasons: list[Reason] = field(default_factory=list)
    in_period_ours: bool = False
    in_period_portal: bool = False

    @property
    def labels(self) -> list[str]:
        return [REASON_LABELS[r] for r in self.reasons]

    def explains(self, figure: str) -> bool:
        """Whether this dossier can account for a difference in ``figure``."""
        relevant = EXPLAINS.get(figure, frozenset())
        for reason in self.reasons:
            if reason not in relevant:
                continue
            # a received date that moves nothing across the period's edge changes no count
            if reason == Reason.RECEIVED_DATE and self.in_period_ours == self.in_period_portal:
                continue
            return True
        return False


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


def compare_dossier(
    ours: OurDossier, portal: PortalRow, present: set[str] | frozenset[str]
) -> list[Reason]:
    """Every reason one matched dossier differs (columns the file lacks are not compared)."""
    reasons: list[Reason] = []
    if ours.portal_status != portal.status:
        reasons.append(Reason.STATUS)
    if _day(ours.received_at) != _day(portal.received_at):
        reasons.append(Reason.RECEIVED_DATE)
    if "ngay_hen_tra" in present and _day(ours.due_at) != _day(portal.due_at):
        reasons.append(Reason.DUE_DATE)
    if "ngay_ket_thuc" in present and _day(ours.ended_at) != _day(portal.ended_at):
        reasons.append(Reason.END_DATE)
    if "ngay_hen_tra" in present and "ngay_ket_thuc" in present:
        mine, theirs = ours.timeliness, portal_timeliness(portal)
        if mine is not None and theirs is not None and mine != theirs:
            reasons.append(Reason.TIMELINESS)
    if "da_so_hoa" in present and ours.digitisable and portal.digitised is not None:
        if ours.digitised and not portal.digitised:
            reasons.append(Reason.NOT_DIGITISED_THERE)
        elif portal.digitised and not ours.digitised:
            reasons.append(Reason.DIGITISED_ONLY_THERE)
    if "kenh" in present and portal.channel is not None and ours.channel != portal.channel:
        reasons.append(Reason.CHANNEL)
    return reasons


def in_period(moment: datetime | None, start: date, end: date) -> bool:
    return moment is not None and start <= moment.date() <= end


def compare(
    ours: list[OurDossier],
    portal: list[PortalRow],
    start: date,
    end: date,
    present: set[str] | frozenset[str] = frozenset(DOSSIER_COLUMNS),
) -> list[Difference]:
    """The dossiers that differ. In play: ours received in [start, end] and the portal's rows
    received in it; each is matched by code (case-insensitive) with the other side's record
    wherever its date lies, so a dossier dated differently on each side is one difference."""
    mine = {d.code.upper(): d for d in ours}
    theirs = {r.code.upper(): r for r in portal}
    keys = [k for k, d in mine.items() if in_period(d.received_at, start, end)]
    keys += [k for k, r in theirs.items() if in_period(r.received_at, start, end) and k not in mine]
    keys += [
        k
        for k, r in theirs.items()
        if in_period(r.received_at, start, end)
        and k in mine
        and not in_period(mine[k].received_at, start, end)
    ]
    out: list[Difference] = []
    for key in keys:
        d, r = mine.get(key), theirs.get(key)
        diff = Difference(
            code=(d or r).code,  # type: ignore[union-attr]
            ours=d,
            portal=r,
            in_period_ours=d is not None and in_period(d.received_at, start, end),
            in_period_portal=r is not None and in_period(r.received_at, start, end),
        )
        if r is None:
            diff.reasons.append(Reason.NOT_ON_PORTAL)
        elif d is None:
            diff.reasons.append(Reason.NOT_HERE)
        else:
            diff.reasons.extend(compare_dossier(d, r, present))
        if diff.reasons:
            out.append(diff)
    return sorted(out, key=lambda x: ((x.ours or x.portal).received_at, x.code))  # type: ignore[union-attr]


def reason_counts(differences: list[Difference]) -> dict[Reason, int]:
    """How many dossiers have each reason (a dossier may have several), in Reason order."""
    counts = {reason: 0 for reason in Reason}
    for diff in differences:
        for reason in diff.reasons:
            counts[reason] += 1
    return {r: n for r, n in counts.items() if n}


@dataclass(frozen=True)
class IndicatorComparison:
    key: str
    label: str
    portal_name: str
    ours: float | None
    portal: float | None
    difference: float | None
    explaining: int  # dossiers whose reasons can account for the difference

    @property
    def differs(self) -> bool:
        return self.difference is not None and self.difference != 0


def compare_indicators(
    ours: dict[str, float | int | None],
    portal: list[PortalIndicatorRow],
    differences: list[Difference],
) -> list[IndicatorComparison]:
    """Per indicator: our value, the portal's, the difference (portal − ours, one decimal for
    rates) and how many differing dossiers can account for it. Without an indicator file, our
    figures alone (portal value unknown)."""
    rows: list[IndicatorComparison] = []
    given = {p.key: p for p in portal if p.key}
    keys = list(INDICATORS) if not portal else [p.key or "" for p in portal]
    for index, key in enumerate(keys):
        p = given.get(key) if key else None
        if not key and portal:
            p_row = portal[index]
            rows.append(
                IndicatorComparison("", p_row.name, p_row.name, None, float(p_row.value), None, 0)
            )
            continue
        mine = ours.get(key)
        theirs = float(p.value) if p is not None else None
        diff = None
        if mine is not None and theirs is not None:
            diff = round(theirs - float(mine), 1) if is_rate(key) else round(theirs - mine, 1)
        explaining = sum(1 for d in differences if d.explains(key)) if diff else 0
        rows.append(
            IndicatorComparison(
                key,
                INDICATORS[key],
                p.name if p is not None else "",
                mine,
                theirs,
                diff,
                explaining,
            )
        )
    return rows

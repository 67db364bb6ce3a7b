"""The national portal's procedure catalogue against ours (đối chiếu danh mục TTHC với Cổng
DVCQG): read one procedure as the portal describes it (``LayThuTuc``) into our catalogue's
values, and say per procedure what differs — name, field, duration, fee, online level, level —
and which procedures are only on one side (``LayDanhSachTTHC``).

Pure Python, no Django import. The portal's names for these values are not public (Thông tư
04/2025/TT-VPCP's annexes are not published; docs/portal.md "Open questions"): :data:`FIELD_NAMES`
holds the names read, in the style of the OpenCPS/DVCQG calls, and a province overrides any of
them in one place (``MOTCUA_DVCQG_CATALOGUE_FIELDS``). A value the portal gives that our
catalogue cannot hold (a level "Cấp tỉnh", a unit "tuần") is :class:`Unreadable`: shown, never
applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from motcua.core.procedure_rows import (
    DURATION_UNITS,
    LEVELS,
    MAX_DURATION,
    MAX_FEE,
    parse_fee,
    parse_number,
    value_key,
)
from motcua.core.text import nfc

# What we read of a procedure → the portal's key for it. The first four are the protocol's own
# (the dossier shape of DongBoHoSoMC uses them); the others are our choice until a province
# confirms them. ``fees`` is a list of items with the amount under ``fee_amount`` (as the
# dossier's DanhSachLePhi items carry Gia); the procedure's fee is their sum.
FIELD_NAMES: dict[str, str] = {
    "code": "MaTTHC",
    "name": "TenTTHC",
    "field_code": "MaLinhVuc",
    "field_name": "TenLinhVuc",
    "duration": "ThoiHanGiaiQuyet",
    "duration_unit": "DonViThoiHan",
    "fees": "DanhSachLePhi",
    "fee_amount": "Gia",
    "online_level": "MucDo",
    "level": "CapThucHien",
}

# The values compared, in the order shown, with their Vietnamese names.
ATTRIBUTES: dict[str, str] = {
    "name": "Tên thủ tục",
    "field_name": "Lĩnh vực",
    "duration": "Thời hạn giải quyết",
    "fee": "Phí, lệ phí",
    "online_level": "Mức độ dịch vụ công trực tuyến",
    "level": "Cấp thực hiện",
}

# MucDo: the levels of Nghị định 42/2022 (toàn trình, một phần) and the older numbers still seen
# in provincial systems (4 = toàn trình, 3 = một phần, 2 and 1 = information only).
ONLINE_LEVELS: dict[str, str] = {
    "toan_trinh": "toan_trinh",
    "dvc_truc_tuyen_toan_trinh": "toan_trinh",
    "muc_do_4": "toan_trinh",
    "4": "toan_trinh",
    "mot_phan": "mot_phan",
    "dvc_truc_tuyen_mot_phan": "mot_phan",
    "muc_do_3": "mot_phan",
    "3": "mot_phan",
    "khong": "khong",
    "": "khong",
    "cung_cap_thong_tin": "khong",
    "muc_do_2": "khong",
    "muc_do_1": "khong",
    "2": "khong",
    "1": "khong",
}

# CapThucHien: the levels our catalogue holds (a commune's own, a vertical agency in the
# commune); "Cấp tỉnh", "Cấp bộ" … are not procedures a commune performs.
PORTAL_LEVELS: dict[str, str] = LEVELS | {"ubnd_cap_xa": "xa", "uy_ban_nhan_dan_cap_xa": "xa"}


class CatalogueShapeError(ValueError):
    """The portal's answer is not a catalogue (a list of procedures, a procedure)."""


def field_names(overrides: dict | None = None) -> dict[str, str]:
    """:data:`FIELD_NAMES` with a province's ``overrides`` (ValueError on an unknown key or an
    empty name)."""
    names = dict(FIELD_NAMES)
    for key, value in (overrides or {}).items():
        if key not in FIELD_NAMES:
            known = ", ".join(FIELD_NAMES)
            raise ValueError(f"Không có trường “{key}” trong danh mục của Cổng (có: {known}).")
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"Tên trường “{key}” của Cổng phải là một chuỗi không rỗng.")
        names[key] = value.strip()
    return names


@dataclass(frozen=True)
class Unreadable:
    """A value the portal gave that our catalogue cannot hold (shown, never applied)."""

    raw: str


@dataclass(frozen=True)
class Duration:
    value: Decimal
    unit: str  # ProcedureVersion.DurationUnit value

    def same_as(self, other: Duration) -> bool:
        """Equal durations; 0 is "within the day" whatever the unit."""
        if self.value == 0 and other.value == 0:
            return True
        return self.value == other.value and self.unit == other.unit


@dataclass(frozen=True)
class CatalogueValues:
    """What is compared of one procedure (None: not given, so not compared)."""

    name: str | None = None
    field_name: str | None = None
    duration: Duration | Unreadable | None = None
    fee: int | Unreadable | None = None
    online_level: str | Unreadable | None = None
    level: str | Unreadable | None = None


@dataclass(frozen=True)
class OurProcedure:
    code: str
    portal_code: str  # the procedure's MaTTHC when mapped, "" when it is our code
    values: CatalogueValues

    @property
    def key(self) -> str:
        return self.portal_code or self.code


@dataclass(frozen=True)
class ListedProcedure:
    """One line of the portal's list (LayDanhSachTTHC)."""

    code: str
    name: str


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(nfc(str(value)).split())
    return text or None


def _raw(value: object) -> str:
    return " ".join(nfc(str(value)).split())[:200]


def listed_procedures(result: object, names: dict[str, str] = FIELD_NAMES) -> list[ListedProcedure]:
    """The portal's list of procedures (its codes and names); CatalogueShapeError when the
    answer is not a list of procedures with codes."""
    if not isinstance(result, list):
        raise CatalogueShapeError("Cổng DVCQG trả lời danh sách thủ tục không đúng dạng.")
    out: dict[str, ListedProcedure] = {}
    for item in result:
        code = _text(item.get(names["code"])) if isinstance(item, dict) else None
        if code is None:
            raise CatalogueShapeError(
                f"Cổng DVCQG trả lời danh sách thủ tục có dòng không có mã ({names['code']})."
            )
        out.setdefault(code, ListedProcedure(code, _text(item.get(names["name"])) or ""))
    return list(out.values())


def _number(value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        number = Decimal(str(value))
    else:
        number = parse_number(str(value))
    if not number.is_finite() or number < 0 or number > MAX_DURATION:
        raise ValueError
    return number


def read_duration(value: object, unit: object) -> Duration | Unreadable | None:
    if value is None or value == "":
        return None
    try:
        number = _number(value)
    except (InvalidOperation, ValueError):
        return Unreadable(_raw(value))
    our_unit = DURATION_UNITS.get(value_key(str(unit or "")))
    if our_unit is None:
        if number == 0:  # within the day: the unit does not matter
            return Duration(number, "working_days")
        return Unreadable(f"{_raw(value)} {_raw(unit or '')}".strip())
    return Duration(number, our_unit)


def _amount(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        amount = int(value)
    else:
        amount = parse_fee(str(value))
    if not 0 <= amount <= MAX_FEE:
        raise ValueError
    return amount


def read_fee(items: object, amount_key: str) -> int | Unreadable | None:
    """The procedure's fee in đồng: the sum of its fee items' amounts (no items: free)."""
    if items is None:
        return None
    if not isinstance(items, list):
        return Unreadable(_raw(items))
    total = 0
    for item in items:
        value = item.get(amount_key) if isinstance(item, dict) else item
        try:
            total += _amount(value)
        except ValueError:
            return Unreadable(_raw(value))
    return total if total <= MAX_FEE else Unreadable(str(total))


def _choice(value: object, vocabulary: dict[str, str]) -> str | Unreadable | None:
    if value is None:
        return None
    found = vocabulary.get(value_key(str(value)))
    return found if found is not None else Unreadable(_raw(value))


def read_procedure(answer: object, names: dict[str, str] = FIELD_NAMES) -> CatalogueValues:
    """One procedure as the portal describes it (LayThuTuc's result; a list of one is taken as
    its item); CatalogueShapeError when it is not a procedure."""
    if isinstance(answer, list) and len(answer) == 1:
        answer = answer[0]
    if not isinstance(answer, dict):
        raise CatalogueShapeError("Cổng DVCQG trả lời thông tin thủ tục không đúng dạng.")
    return CatalogueValues(
        name=_text(answer.get(names["name"])),
        field_name=_text(answer.get(names["field_name"])),
        duration=read_duration(answer.get(names["duration"]), answer.get(names["duration_unit"])),
        fee=read_fee(answer.get(names["fees"]), names["fee_amount"]),
        online_level=_choice(answer.get(names["online_level"]), ONLINE_LEVELS),
        level=_choice(answer.get(names["level"]), PORTAL_LEVELS),
    )


# --- comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One value of one procedure that differs: ours and the portal's."""

    code: str  # our procedure code
    portal_code: str  # its MaTTHC on the portal
    attribute: str  # a key of ATTRIBUTES
    ours: object
    theirs: object

    @property
    def label(self) -> str:
        return ATTRIBUTES[self.attribute]

    @property
    def applicable(self) -> bool:
        """The portal's value is one our catalogue can hold."""
        return not isinstance(self.theirs, Unreadable)

    def row_values(self) -> dict:
        """The portal's value as fields of a catalogue row (ProcedureRow)."""
        if self.attribute == "duration":
            assert isinstance(self.theirs, Duration)
            return {"duration": self.theirs.value, "duration_unit": self.theirs.unit}
        return {self.attribute: self.theirs}


def _same(ours: object, theirs: object) -> bool:
    if isinstance(ours, Duration) and isinstance(theirs, Duration):
        return ours.same_as(theirs)
    return ours == theirs


@dataclass
class CatalogueComparison:
    changes: list[Change] = field(default_factory=list)
    only_ours: list[OurProcedure] = field(default_factory=list)
    only_portal: list[ListedProcedure] = field(default_factory=list)
    matched: int = 0

    def changed_codes(self) -> list[str]:
        """Our codes of the procedures with at least one difference, in order."""
        return list(dict.fromkeys(c.code for c in self.changes))

    def changes_of(self, code: str) -> list[Change]:
        """The differences of one procedure, by our code or its portal code."""
        return [c for c in self.changes if code in (c.code, c.portal_code)]


def compare_catalogue(
    ours: list[OurProcedure],
    listed: list[ListedProcedure],
    theirs: dict[str, CatalogueValues],
) -> CatalogueComparison:
    """Our active procedures against the portal's: matched by the portal code (MaTTHC) of each
    of ours — its mapped code, else its own —; ``theirs`` holds the portal's description of
    each matched one (a value it does not give is not compared)."""
    listed_codes = {p.code for p in listed}
    mine = sorted(ours, key=lambda p: p.code)
    out = CatalogueComparison()
    matched_keys = set()
    for procedure in mine:
        if procedure.key not in listed_codes:
            out.only_ours.append(procedure)
            continue
        matched_keys.add(procedure.key)
        out.matched += 1
        portal = theirs.get(procedure.key, CatalogueValues())
        for attribute in ATTRIBUTES:
            their_value = getattr(portal, attribute)
            if their_value is None:
                continue
            our_value = getattr(procedure.values, attribute)
            if not _same(our_value, their_value):
                out.changes.append(
                    Change(procedure.code, procedure.key, attribute, our_value, their_value)
                )
    out.only_portal = sorted(
        (p for p in listed if p.code not in matched_keys), key=lambda p: p.code
    )
    return out

"""The 766 indicator set (Bộ chỉ số 766) as computed for one unit and one period.

Pure Python, no Django import. Quyết định 766/QĐ-TTg (23/6/2022) sets the 100-point indicator
set on which the national portal (Cổng DVCQG) scores ministries, provinces and communes in real
time. Formulas: LEGAL-NOTES §5; point ceilings and targets: LEGAL-NOTES "Second, independent
reading" (the portal operator's "Mô tả công thức tính chỉ số 766", as transcribed in a public
repository file ``formula-document.js``). docs/statistics.md has the table with sources and
confidence per indicator.

Rules, each decided here once:

- **Value**: a percentage rounded half-up to 2 decimals (the formula document: "làm tròn 2 chữ
  số thập phân"), unlike the periodic report's 1 decimal (:func:`motcua.core.statistics.rate`).
- **Points**: full at or above the target; below it ``value × max ÷ target``. Indicators for
  which the document gives no target are linear (``value × max ÷ 100``, i.e. target 100 %).
  Points are computed from the rounded value and rounded half-up to 2 decimals, so the table
  can be re-computed by hand. They never exceed the ceiling.
- **N/A** (không áp dụng): when the denominator is 0, when the data does not exist in this
  system (ratings, feedback, links to the portal's personal data store, population data), when
  only the national portal holds it (3.5a: its list of procedures integrated for payment), or
  when the indicator is not measured at this level (1.1–1.3 concern publishing procedures, a
  province's or ministry's task: N/A for a commune). An N/A indicator earns
  nothing and its ceiling leaves the maximum: a group shows ``points / available``, the total
  likewise, and :attr:`IndicatorSet.scaled` re-scales the total to 100 for comparison with the
  portal's score. The document only says "mẫu số = 0: hiển thị 0 hoặc N/A theo quy định báo
  cáo"; the portal's own treatment of N/A in its total is not documented (LOW confidence), so
  both numbers are shown and neither pretends to be the portal's score.
- Information-only indicators (2.2, 3.2, 5.1) have a ceiling of 0: shown, never scored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class Group(StrEnum):
    """The six groups, keyed as the portal's reporting API keys them (groupScores)."""

    CKMB = "CKMB"
    TDGQ = "TDGQ"
    CLGQ = "CLGQ"
    TTTT = "TTTT"
    MDSH = "MDSH"
    MDHL = "MDHL"


GROUP_NAMES = {
    Group.CKMB: "Công khai, minh bạch",
    Group.TDGQ: "Tiến độ, kết quả giải quyết",
    Group.CLGQ: "Dịch vụ công trực tuyến",
    Group.TTTT: "Thanh toán trực tuyến",
    Group.MDSH: "Số hoá hồ sơ",
    Group.MDHL: "Mức độ hài lòng",
}
GROUP_MAX = {
    Group.CKMB: Decimal(18),
    Group.TDGQ: Decimal(20),
    Group.CLGQ: Decimal(12),
    Group.TTTT: Decimal(10),
    Group.MDSH: Decimal(22),
    Group.MDHL: Decimal(18),
}


class Level(StrEnum):
    COMMUNE = "commune"
    PROVINCE = "province"


@dataclass(frozen=True)
class IndicatorInputs:
    """What the system knows of one unit (or a province's communes) for one period.

    Dossier counts are of the cohort view (dossiers received in the period; resolved by its
    end or still in progress). ``None`` means "this system has no such data", which makes the
    indicators that need it N/A; 0 is a real zero.
    """

    level: Level = Level.COMMUNE
    # dossiers (cohort view, motcua.core.statistics.Figures)
    received: int = 0
    received_online: int = 0  # DVCQG channel 2 (KenhThucHien = 2), incl. assisted
    # online dossiers that count for 3.3 (with an electronic result where the procedure gives
    # a paper one); None: not known, received_online is used
    online_counted: int | None = None
    synced: int | None = None  # received in the period and synced to DVCQG
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    in_progress_within_time: int = 0
    in_progress_overdue: int = 0
    digitisable: int = 0  # subject to digitisation (MOTCUA_DIGITISATION_EXEMPT_FIELDS)
    digitised: int = 0  # components and result both digitised
    results_due: int = 0  # dossiers with a result to issue (resolved in the cohort)
    electronic_results: int = 0
    reused: int = 0  # at least one component reused from stored digitised data
    # the catalogue (procedures of the unit's level)
    procedures: int = 0
    procedures_online: int = 0  # một phần or toàn trình
    procedures_online_used: int = 0  # of those, with at least one online dossier
    # payments: procedures of the unit's level with a non-zero fee; of those, integrated with
    # the portal's payment platform (None: only the portal knows, 3.5a is its own) and with
    # an online payment in the period; dossiers of such procedures (cohort) and paid online
    fee_procedures: int | None = None
    fee_procedures_integrated: int | None = None
    fee_procedures_paid_online: int | None = None
    fee_dossiers: int | None = None
    fee_dossiers_paid_online: int | None = None
    # digitisation beyond the dossier's own files
    certified_copies: int | None = None
    certified_copies_electronic: int | None = None
    store_linked: int | None = None  # components from / result to the portal's personal store
    population_procedures: int | None = None
    population_procedures_connected: int | None = None
    population_dossiers: int | None = None
    # feedback (PAKN) and ratings
    pakn: int | None = None
    pakn_classified: int | None = None
    pakn_on_time: int | None = None
    pakn_satisfied: int | None = None
    complained: int | None = None  # dossiers with a PAKN or a "dislike"
    # publishing procedures (province / ministry level)
    published: int | None = None
    published_on_time: int | None = None
    to_publicise: int | None = None
    publicised_on_time: int | None = None
    publicised: int | None = None
    complete_parts: int | None = None

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def in_progress(self) -> int:
        return self.in_progress_within_time + self.in_progress_overdue

    def as_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --- arithmetic ------------------------------------------------------------------------------


def percent(ratio: Fraction) -> Decimal:
    """A ratio as a percentage, rounded half-up to 2 decimals (Fraction keeps it exact)."""
    exact = ratio * 100
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(CENT, ROUND_HALF_UP)


def points_for(value: Decimal, target: Decimal, ceiling: Decimal) -> Decimal:
    """Full points at or above the target, else value × ceiling ÷ target (2 decimals)."""
    if value >= target:
        return ceiling
    earned = (max(value, Decimal(0)) * ceiling / target).quantize(CENT, ROUND_HALF_UP)
    return min(earned, ceiling)


# --- the indicators --------------------------------------------------------------------------

NO_DATA = "Hệ thống chưa có dữ liệu này"
NOT_AT_LEVEL = "Chỉ tính cho cấp tỉnh, bộ (không tính cho cấp xã)"
ZERO = "Mẫu số bằng 0"
# 3.5a counts procedures the national portal has integrated with its payment platform: a
# list only the portal keeps, so it scores 3.5a itself (docs/statistics.md).
PORTAL_COMPUTES = "Cổng DVCQG tự tính (danh sách TTHC tích hợp thanh toán do Cổng quản lý)"


@dataclass(frozen=True)
class Outcome:
    """A formula's result: an exact ratio (and the counts shown), or why it is N/A."""

    ratio: Fraction | None = None
    numerator: int | None = None
    denominator: int | None = None
    na: str = ""
    note: str = ""


def _ratio(part: int | None, whole: int | None, note: str = "") -> Outcome:
    if part is None or whole is None:
        return Outcome(na=NO_DATA)
    if whole == 0:
        return Outcome(na=ZERO)
    return Outcome(Fraction(min(part, whole), whole), part, whole, note=note)


def _publishing(part: int | None, whole: int | None, level: Level) -> Outcome:
    if level == Level.COMMUNE:
        return Outcome(na=NOT_AT_LEVEL)
    return _ratio(part, whole)


def _timely(i: IndicatorInputs) -> Outcome:
    """2.1: (resolved early or on time + in progress within time) / resolved and in progress."""
    return _ratio(
        i.resolved_early + i.resolved_on_time + i.in_progress_within_time,
        i.resolved + i.in_progress,
    )


def _online(i: IndicatorInputs) -> Outcome:
    """3.3: online dossiers / received × sync rate (1.4)."""
    if i.received == 0:
        return Outcome(na=ZERO)
    notes = []
    counted = i.online_counted
    if counted is None:
        counted = i.received_online
        notes.append("mọi hồ sơ trực tuyến đều được tính (chưa xét kết quả điện tử)")
    ratio = Fraction(min(counted, i.received), i.received)
    if i.synced is None:
        notes.append("chưa nhân tỷ lệ đồng bộ (không có số liệu đồng bộ)")
    else:
        ratio *= Fraction(min(i.synced, i.received), i.received)
    return Outcome(ratio, counted, i.received, note="; ".join(notes))


def _satisfaction(i: IndicatorInputs) -> Outcome:
    """5.4: 100 % − (late or overdue rate + rate of dossiers with a PAKN or a dislike)."""
    if i.complained is None:
        return Outcome(na=NO_DATA)
    handled = i.resolved + i.in_progress
    if handled == 0:
        return Outcome(na=ZERO)
    unhappy = i.resolved_late + i.in_progress_overdue + i.complained
    kept = max(handled - unhappy, 0)
    note = "" if i.pakn is not None else "chỉ tính đánh giá không hài lòng (chưa có số liệu PAKN)"
    return Outcome(Fraction(kept, handled), kept, handled, note=note)


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    group: Group
    ceiling: Decimal
    target: Decimal
    formula: str
    confidence: str
    compute: Callable[[IndicatorInputs], Outcome]


def _d(code, name, group, ceiling, target, formula, confidence, compute) -> Definition:
    return Definition(
        code, name, group, Decimal(ceiling), Decimal(target), formula, confidence, compute
    )


G = Group
DEFINITIONS: tuple[Definition, ...] = (
    _d(
        "1.1",
        "Tỷ lệ TTHC công bố đúng hạn",
        G.CKMB,
        6,
        100,
        "TTHC công bố đúng hạn / TTHC công bố trong kỳ",
        "trung bình-cao",
        lambda i: _publishing(i.published_on_time, i.published, i.level),
    ),
    _d(
        "1.2",
        "Tỷ lệ TTHC được cập nhật, công khai đúng hạn trên CSDL quốc gia về TTHC",
        G.CKMB,
        4,
        100,
        "TTHC công khai đúng hạn / TTHC phải cập nhật, công khai trong kỳ",
        "trung bình-cao",
        lambda i: _publishing(i.publicised_on_time, i.to_publicise, i.level),
    ),
    _d(
        "1.3",
        "Tỷ lệ TTHC công khai đầy đủ các bộ phận tạo thành",
        G.CKMB,
        2,
        100,
        "TTHC đủ bộ phận tạo thành (khoản 2 Điều 8 NĐ 63/2010) / TTHC đã công khai",
        "trung bình-cao",
        lambda i: _publishing(i.complete_parts, i.publicised, i.level),
    ),
    _d(
        "1.4",
        "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG",
        G.CKMB,
        6,
        100,
        "hồ sơ đã đồng bộ có ngày tiếp nhận trong kỳ / hồ sơ tiếp nhận trong kỳ",
        "trung bình-cao",
        lambda i: _ratio(i.synced, i.received),
    ),
    _d(
        "2.1",
        "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
        G.TDGQ,
        20,
        100,
        "(đã giải quyết trước hạn, đúng hạn + đang giải quyết trong hạn) / (đã + đang giải quyết)",
        "trung bình (tuyến tính × 20 chưa được xác nhận)",
        _timely,
    ),
    _d(
        "2.2",
        "Thời gian giải quyết TTHC trung bình (theo từng TTHC)",
        G.TDGQ,
        0,
        100,
        "tổng thời gian giải quyết / số hồ sơ đã giải quyết (chỉ để theo dõi, không chấm điểm)",
        "trung bình",
        lambda i: Outcome(na="Chỉ tính theo từng TTHC, không chấm điểm"),
    ),
    _d(
        "3.1",
        "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến",
        G.CLGQ,
        6,
        80,
        "TTHC có DVCTT một phần hoặc toàn trình / TTHC có cấp thực hiện của đơn vị",
        "thấp (chia 6 + 6 điểm là của chúng tôi)",
        lambda i: _ratio(i.procedures_online, i.procedures),
    ),
    _d(
        "3.2",
        "Tỷ lệ dịch vụ công trực tuyến có phát sinh hồ sơ",
        G.CLGQ,
        0,
        100,
        "DVCTT có hồ sơ trực tuyến trong kỳ / DVCTT (chỉ để theo dõi, không chấm điểm)",
        "trung bình",
        lambda i: _ratio(i.procedures_online_used, i.procedures_online),
    ),
    _d(
        "3.3",
        "Tỷ lệ hồ sơ trực tuyến",
        G.CLGQ,
        6,
        50,
        "hồ sơ trực tuyến (kênh 2; có kết quả điện tử nếu TTHC trả kết quả giấy) / hồ sơ "
        "tiếp nhận × tỷ lệ đồng bộ",
        "thấp (chia 6 + 6 điểm là của chúng tôi)",
        _online,
    ),
    _d(
        "3.5a",
        "Tỷ lệ TTHC có nghĩa vụ tài chính được tích hợp thanh toán trực tuyến trên Cổng DVCQG",
        G.TTTT,
        2,
        80,
        "TTHC có phí, lệ phí được tích hợp thanh toán / TTHC có phí, lệ phí",
        "trung bình-cao",
        lambda i: (
            Outcome(na=PORTAL_COMPUTES)
            if i.fee_procedures_integrated is None
            else _ratio(i.fee_procedures_integrated, i.fee_procedures)
        ),
    ),
    _d(
        "3.5b",
        "Tỷ lệ TTHC có nghĩa vụ tài chính có phát sinh thanh toán trực tuyến",
        G.TTTT,
        2,
        80,
        "TTHC có phí, lệ phí có hồ sơ thanh toán trực tuyến trong kỳ / TTHC có phí, lệ phí",
        "trung bình-cao",
        lambda i: _ratio(i.fee_procedures_paid_online, i.fee_procedures),
    ),
    _d(
        "3.6",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        G.TTTT,
        6,
        100,
        "hồ sơ thanh toán trực tuyến / hồ sơ của TTHC có phí, lệ phí khác 0",
        "trung bình-cao",
        lambda i: _ratio(i.fee_dossiers_paid_online, i.fee_dossiers),
    ),
    _d(
        "4.1",
        "Tỷ lệ hồ sơ có cấp kết quả giải quyết TTHC điện tử",
        G.MDSH,
        6,
        100,
        "hồ sơ có tệp kết quả điện tử / hồ sơ đã giải quyết",
        "trung bình-cao",
        lambda i: _ratio(i.electronic_results, i.results_due),
    ),
    _d(
        "4.2",
        "Tỷ lệ hồ sơ thực hiện số hoá",
        G.MDSH,
        4,
        80,
        "hồ sơ có tệp trong thành phần hồ sơ và trong kết quả / hồ sơ thuộc diện số hoá",
        "trung bình-cao",
        lambda i: _ratio(i.digitised, i.digitisable),
    ),
    _d(
        "4.2b",
        "Tỷ lệ chứng thực bản sao điện tử từ bản chính",
        G.MDSH,
        2,
        100,
        "bản sao điện tử được chứng thực từ bản chính / yêu cầu chứng thực bản sao (mã 4.2b "
        "là của chúng tôi)",
        "trung bình",
        lambda i: _ratio(i.certified_copies_electronic, i.certified_copies),
    ),
    _d(
        "4.3",
        "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hoá",
        G.MDSH,
        2,
        80,
        "hồ sơ có ít nhất một thành phần tái sử dụng dữ liệu số hoá / hồ sơ tiếp nhận",
        "trung bình-cao",
        lambda i: _ratio(i.reused, i.received),
    ),
    _d(
        "4.4",
        "Tỷ lệ hồ sơ số hoá có kết nối, chia sẻ với Kho dữ liệu cá nhân trên Cổng DVCQG",
        G.MDSH,
        4,
        100,
        "hồ sơ có thành phần lấy từ Kho hoặc kết quả đồng bộ lên Kho / hồ sơ tiếp nhận",
        "trung bình-cao",
        lambda i: _ratio(i.store_linked, i.received),
    ),
    _d(
        "4.5a",
        "Tỷ lệ TTHC kết nối, chia sẻ dữ liệu dân cư",
        G.MDSH,
        2,
        100,
        "TTHC có hồ sơ dùng dữ liệu dân cư (VNeID, CSDL dân cư) / TTHC cho người dân",
        "trung bình-cao",
        lambda i: _ratio(i.population_procedures_connected, i.population_procedures),
    ),
    _d(
        "4.5b",
        "Tỷ lệ hồ sơ sử dụng thông tin, dữ liệu từ CSDL quốc gia về dân cư",
        G.MDSH,
        2,
        100,
        "hồ sơ dùng dữ liệu dân cư / hồ sơ tiếp nhận",
        "trung bình-cao",
        lambda i: _ratio(i.population_dossiers, i.received),
    ),
    _d(
        "5.1",
        "Tỷ lệ phản ánh, kiến nghị theo phân loại",
        G.MDHL,
        0,
        100,
        "PAKN được phân loại / PAKN trong kỳ (chỉ để theo dõi, không chấm điểm)",
        "trung bình",
        lambda i: _ratio(i.pakn_classified, i.pakn),
    ),
    _d(
        "5.2",
        "Tiến độ xử lý phản ánh, kiến nghị",
        G.MDHL,
        6,
        100,
        "PAKN xử lý đúng hạn (từ chối ≤ 2, yêu cầu bổ sung ≤ 5, xử lý ≤ 15, công khai ≤ 2 "
        "ngày làm việc) / PAKN tiếp nhận, xử lý trong kỳ",
        "trung bình-cao",
        lambda i: _ratio(i.pakn_on_time, i.pakn),
    ),
    _d(
        "5.3",
        "Tỷ lệ hài lòng trong xử lý phản ánh, kiến nghị",
        G.MDHL,
        6,
        100,
        "(PAKN − không hài lòng − quá hạn − bị nhắc lại) / PAKN",
        "trung bình-cao",
        lambda i: _ratio(i.pakn_satisfied, i.pakn),
    ),
    _d(
        "5.4",
        "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
        G.MDHL,
        6,
        90,
        "100 % − (tỷ lệ hồ sơ quá hạn + tỷ lệ hồ sơ có PAKN hoặc đánh giá không hài lòng)",
        "trung bình-cao",
        _satisfaction,
    ),
)

assert all(
    sum((d.ceiling for d in DEFINITIONS if d.group == g), Decimal(0)) == GROUP_MAX[g] for g in Group
), "the ceilings of each group must add up to the group's points"


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One indicator's result. ``value`` and ``points`` are None when N/A."""

    code: str
    name: str
    group: Group
    formula: str
    target: Decimal
    ceiling: Decimal
    confidence: str
    value: Decimal | None
    points: Decimal | None
    numerator: int | None = None
    denominator: int | None = None
    na: str = ""
    note: str = ""

    @property
    def applicable(self) -> bool:
        return self.value is not None

    @property
    def available(self) -> Decimal:
        """The points this indicator can earn here (0 when N/A)."""
        return self.ceiling if self.applicable else Decimal(0)


@dataclass(frozen=True)
class GroupScore:
    group: Group
    name: str
    ceiling: Decimal  # the group's nominal points (18, 20, …)
    available: Decimal  # of those, the ceilings of indicators that apply
    points: Decimal


@dataclass(frozen=True)
class IndicatorSet:
    indicators: tuple[Indicator, ...]
    groups: tuple[GroupScore, ...]
    points: Decimal
    available: Decimal
    ceiling: Decimal = HUNDRED

    @property
    def scaled(self) -> Decimal | None:
        """The total re-scaled to 100 over the indicators that apply (None if none apply)."""
        if self.available == 0:
            return None
        return (self.points * HUNDRED / self.available).quantize(CENT, ROUND_HALF_UP)

    def get(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    def as_json(self) -> dict:
        def num(x: Decimal | None) -> float | None:
            return float(x) if x is not None else None

        return {
            "points": num(self.points),
            "available": num(self.available),
            "scaled": num(self.scaled),
            "groups": [
                {
                    "group": g.group.value,
                    "name": g.name,
                    "ceiling": num(g.ceiling),
                    "available": num(g.available),
                    "points": num(g.points),
                }
                for g in self.groups
            ],
            "indicators": [
                {
                    "code": i.code,
                    "name": i.name,
                    "group": i.group.value,
                    "value": num(i.value),
                    "target": num(i.target),
                    "ceiling": num(i.ceiling),
                    "points": num(i.points),
                    "numerator": i.numerator,
                    "denominator": i.denominator,
                    "na": i.na,
                    "note": i.note,
                }
                for i in self.indicators
            ],
        }


def evaluate(definition: Definition, inputs: IndicatorInputs) -> Indicator:
    out = definition.compute(inputs)
    value = points = None
    if out.ratio is not None:
        value = percent(out.ratio)
        points = points_for(value, definition.target, definition.ceiling)
    return Indicator(
        code=definition.code,
        name=definition.name,
        group=definition.group,
        formula=definition.formula,
        target=definition.target,
        ceiling=definition.ceiling,
        confidence=definition.confidence,
        value=value,
        points=points,
        numerator=out.numerator,
        denominator=out.denominator,
        na=out.na,
        note=out.note,
    )


def indicator_set(inputs: IndicatorInputs) -> IndicatorSet:
    """Every indicator, the group subtotals and the total, for one unit and period."""
    indicators = tuple(evaluate(d, inputs) for d in DEFINITIONS)
    groups = []
    for g in Group:
        mine = [i for i in indicators if i.group == g]
        groups.append(
            GroupScore(
                group=g,
                name=GROUP_NAMES[g],
                ceiling=GROUP_MAX[g],
                available=sum((i.available for i in mine), Decimal(0)),
                points=sum((i.points or Decimal(0) for i in mine), Decimal(0)),
            )
        )
    return IndicatorSet(
        indicators=indicators,
        groups=tuple(groups),
        points=sum((g.points for g in groups), Decimal(0)),
        available=sum((g.available for g in groups), Decimal(0)),
    )

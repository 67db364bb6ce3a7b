"""Fees and charges (phí, lệ phí): a procedure's published rule and the amount of one case.

Pure Python, no Django import. A procedure version carries one :class:`FeeRule` (stored as
the JSON of :func:`rule_to_dict`); :func:`quote` turns it and the case's quantities into
the amount with its lines, the same on the catalogue page, the intake form, the public API,
the payment request and the receipt. Amounts are whole đồng (VND has no smaller unit in
use); a percentage is rounded half up to the đồng. Sources of the rules: docs/fees.md.

How a rule reads:

- ``basis`` says what is counted: nothing (free), the case, each copy, each page of each
  copy (in tiers, with a cap per copy: the certified-copy fee of TT 226/2016/TT-BTC), or
  each unit of something else (a plot of land, a square metre …, named by ``unit_label``).
- ``online_percent``: what a case submitted online pays, as a percentage of the desk's
  price (100 when the province charges the same; 50 where its resolution halves it).
- ``exemptions``: the categories of person the rule exempts, each with its legal basis and
  the share it removes (100: free).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from motcua.core.errors import DomainError
from motcua.core.formatting import number_vi

# Ceilings on what a case may ask for: far above any real case, low enough that a typing
# slip (or a hostile query) cannot make a page compute a 40-digit amount.
MAX_PAGES = 100_000
MAX_COPIES = 10_000
MAX_UNITS = 1_000_000
MAX_PRICE = 1_000_000_000_000


class FeeError(DomainError):
    """A fee rule or a fee question that cannot be used."""

    default_code = "invalid_fee"


class FeeKind(StrEnum):
    """Phí (for a service) or lệ phí (for the State's act), Luật Phí và lệ phí 2015."""

    FEE = "phi"
    CHARGE = "le_phi"


KIND_LABELS = {FeeKind.FEE: "Phí", FeeKind.CHARGE: "Lệ phí"}


class Basis(StrEnum):
    FREE = "mien"
    PER_CASE = "ho_so"
    PER_COPY = "ban"
    PER_PAGE = "trang"
    PER_UNIT = "don_vi"


BASIS_LABELS = {
    Basis.FREE: "Miễn phí, lệ phí",
    Basis.PER_CASE: "Theo hồ sơ (trường hợp)",
    Basis.PER_COPY: "Theo bản",
    Basis.PER_PAGE: "Theo trang, có mức tối đa mỗi bản",
    Basis.PER_UNIT: "Theo đơn vị tính khác",
}


class CollectAt(StrEnum):
    """When the desk asks for the fee: at reception (a certified copy, paid on the spot) or
    when the result is returned (DOMAIN.md step 5), as the procedure's published text says."""

    RECEPTION = "tiep_nhan"
    RETURN = "tra_ket_qua"


COLLECT_LABELS = {CollectAt.RECEPTION: "khi tiếp nhận hồ sơ", CollectAt.RETURN: "khi trả kết quả"}


class Channel(StrEnum):
    DESK = "truc_tiep"
    ONLINE = "truc_tuyen"


# The categories of person a rule may exempt (the codes a query names, the labels shown).
# A rule lists the ones its own legal basis exempts; a category outside the rule exempts
# nothing.
EXEMPTION_LABELS: dict[str, str] = {
    "nguoi_co_cong": "Người có công với cách mạng và thân nhân",
    "ho_ngheo": "Thành viên hộ nghèo",
    "ho_can_ngheo": "Thành viên hộ cận nghèo",
    "nguoi_khuyet_tat": "Người khuyết tật",
    "tre_em": "Trẻ em",
    "nguoi_cao_tuoi": "Người cao tuổi",
    "dan_toc_thieu_so": (
        "Người dân tộc thiểu số ở xã có điều kiện kinh tế - xã hội đặc biệt khó khăn"
    ),
}


@dataclass(frozen=True)
class Tier:
    """Pages ``first``..``last`` (``last`` None: every page from ``first``) at ``price`` each."""

    first: int
    last: int | None
    price: int


@dataclass(frozen=True)
class Exemption:
    category: str  # a key of EXEMPTION_LABELS
    basis: str  # its legal basis
    percent: int = 100  # the share of the amount it removes


@dataclass(frozen=True)
class FeeRule:
    basis: Basis = Basis.FREE
    kind: FeeKind = FeeKind.CHARGE
    name: str = ""  # "Lệ phí đăng ký kết hôn"; empty: the kind and the procedure's name
    price: int = 0  # per case, per copy or per unit
    tiers: tuple[Tier, ...] = ()  # per page
    cap_per_copy: int | None = None  # per page
    unit_label: str = ""  # per unit: "thửa đất", "m²"
    online_percent: int = 100
    exemptions: tuple[Exemption, ...] = ()
    legal_basis: str = ""
    collect_at: CollectAt = CollectAt.RETURN

    @property
    def is_free(self) -> bool:
        return self.basis == Basis.FREE or (
            self.price == 0 and not any(t.price for t in self.tiers)
        )


FREE = FeeRule()


@dataclass(frozen=True)
class Case:
    """What one dossier asks for: pages of the document, copies, units, how it came in and
    who the applicant is."""

    pages: int = 1
    copies: int = 1
    units: int = 1
    channel: Channel = Channel.DESK
    exemption: str = ""


@dataclass(frozen=True)
class Line:
    label: str
    quantity: int
    unit_price: int
    amount: int


@dataclass(frozen=True)
class Quote:
    amount: int
    lines: tuple[Line, ...]
    basis: str  # the legal basis of the rule (and of the exemption applied)
    kind: FeeKind = FeeKind.CHARGE
    name: str = ""

    def as_dict(self) -> dict:
        return {
            "amount": self.amount,
            "lines": [
                {
                    "label": line.label,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "amount": line.amount,
                }
                for line in self.lines
            ],
            "basis": self.basis,
            "kind": self.kind.value,
            "name": self.name,
        }


def _percent_of(amount: int, percent: int) -> int:
    """``percent`` % of ``amount``, rounded half up to the đồng (integers only)."""
    return (amount * percent + 50) // 100


def page_price(rule: FeeRule, pages: int) -> tuple[int, list[tuple[int, int, int, int]]]:
    """One copy of ``pages`` pages: its price (capped) and the tiers it used as
    ``(first, last, price, pages in the tier)``."""
    used = []
    total = 0
    for tier in rule.tiers:
        last = pages if tier.last is None else min(tier.last, pages)
        count = last - tier.first + 1
        if count <= 0:
            continue
        used.append((tier.first, last, tier.price, count))
        total += count * tier.price
    if rule.cap_per_copy is not None:
        total = min(total, rule.cap_per_copy)
    return total, used


def check_case(case: Case) -> Case:
    """The case's quantities within bounds, or a :class:`FeeError` saying which is wrong."""
    for value, name, most in (
        (case.pages, "Số trang", MAX_PAGES),
        (case.copies, "Số bản", MAX_COPIES),
        (case.units, "Số lượng", MAX_UNITS),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise FeeError(f"{name} phải là số nguyên.")
        if value < 0 or value > most:
            raise FeeError(f"{name} phải từ 0 đến {number_vi(most)}.")
    if case.exemption and case.exemption not in EXEMPTION_LABELS:
        raise FeeError(
            f"Không có đối tượng miễn, giảm “{case.exemption[:40]}”. Dùng một trong: "
            + ", ".join(EXEMPTION_LABELS)
            + "."
        )
    return case


CASE_FIELDS = (("pages", "Số trang"), ("copies", "Số bản"), ("units", "Số lượng"))
# What a form or a query may say of a case (its channel comes from the dossier).
CASE_KEYS = ("pages", "copies", "units", "exemption")


def parse_case(values: Mapping[str, str]) -> Case:
    """A case from text (a query string, a form): ``pages``, ``copies``, ``units`` (whole
    numbers, 1 when absent), ``channel`` (truc_tiep, truc_tuyen) and ``exemption`` (a code of
    :data:`EXEMPTION_LABELS`), checked; a :class:`FeeError` in Vietnamese otherwise."""
    numbers = {}
    for key, name in CASE_FIELDS:
        text = str(values.get(key) or "").strip()
        if not text:
            numbers[key] = 1
        elif not text.isascii() or not text.isdigit():
            raise FeeError(f"{name} phải là số nguyên không âm (nhận được “{text[:20]}”).")
        elif len(text) > 12:
            raise FeeError(f"{name} quá lớn.")
        else:
            numbers[key] = int(text)
    channel = str(values.get("channel") or Channel.DESK.value)
    if channel not in {c.value for c in Channel}:
        raise FeeError(
            f"Kênh nộp “{channel[:20]}” không hợp lệ: dùng truc_tiep (trực tiếp) hoặc "
            "truc_tuyen (trực tuyến)."
        )
    exemption = str(values.get("exemption") or "")
    return check_case(Case(channel=Channel(channel), exemption=exemption, **numbers))


def rule_name(rule: FeeRule, procedure_name: str = "") -> str:
    if rule.name:
        return rule.name
    kind = KIND_LABELS[rule.kind]
    return f"{kind} {procedure_name[:1].lower()}{procedure_name[1:]}".strip()


def quote(rule: FeeRule, case: Case, procedure_name: str = "") -> Quote:
    """The amount of ``case`` under ``rule``, line by line.

    Lines: what is counted (one per page tier for a per-page rule, each already summed over
    the copies, then a negative line when the cap per copy applies), then, when they apply,
    a negative line for the online reduction and one for the exemption. The amount is the
    sum of the lines, never below zero.
    """
    check_case(case)
    name = rule_name(rule, procedure_name)
    basis = rule.legal_basis
    if rule.is_free:
        return Quote(0, (), basis, rule.kind, name)
    lines: list[Line] = []
    if rule.basis == Basis.PER_CASE:
        lines.append(Line(name, 1, rule.price, rule.price))
    elif rule.basis == Basis.PER_COPY:
        lines.append(Line(f"{name} (mỗi bản)", case.copies, rule.price, rule.price * case.copies))
    elif rule.basis == Basis.PER_UNIT:
        label = f"{name} (mỗi {rule.unit_label})" if rule.unit_label else name
        lines.append(Line(label, case.units, rule.price, rule.price * case.units))
    elif rule.basis == Basis.PER_PAGE:
        per_copy, used = page_price(rule, case.pages)
        uncapped = 0
        for first, last, price, count in used:
            pages = f"trang {first}" if first == last else f"trang {first}–{last}"
            quantity = count * case.copies
            lines.append(Line(f"{name}, {pages}", quantity, price, quantity * price))
            uncapped += count * price
        if per_copy < uncapped:
            over = uncapped - per_copy
            lines.append(
                Line(
                    f"Phần vượt mức tối đa {number_vi(rule.cap_per_copy)} đồng/bản",
                    case.copies,
                    -over,
                    -over * case.copies,
                )
            )
    subtotal = sum(line.amount for line in lines)
    if case.channel == Channel.ONLINE and rule.online_percent != 100 and subtotal:
        online = _percent_of(subtotal, rule.online_percent)
        lines.append(
            Line(
                f"Nộp trực tuyến: thu {rule.online_percent} % mức thu",
                1,
                online - subtotal,
                online - subtotal,
            )
        )
        subtotal = online
    if case.exemption and subtotal:
        exemption = next((e for e in rule.exemptions if e.category == case.exemption), None)
        if exemption is not None:
            off = _percent_of(subtotal, exemption.percent)
            word = "Miễn" if exemption.percent >= 100 else f"Giảm {exemption.percent} %"
            lines.append(Line(f"{word}: {EXEMPTION_LABELS[exemption.category]}", 1, -off, -off))
            subtotal -= off
            if exemption.basis:
                basis = f"{basis}; {exemption.basis}" if basis else exemption.basis
    return Quote(max(subtotal, 0), tuple(lines), basis, rule.kind, name)


# --- the stored form ---------------------------------------------------------------------------


def rule_to_dict(rule: FeeRule) -> dict:
    """The JSON stored with a procedure version (and compared by its content hash)."""
    if rule.basis == Basis.FREE:
        out: dict = {"basis": Basis.FREE.value}
        if rule.legal_basis:
            out["legal_basis"] = rule.legal_basis
        return out
    out = {"basis": rule.basis.value, "kind": rule.kind.value}
    if rule.name:
        out["name"] = rule.name
    if rule.basis == Basis.PER_PAGE:
        out["tiers"] = [[t.first, t.last, t.price] for t in rule.tiers]
        if rule.cap_per_copy is not None:
            out["cap_per_copy"] = rule.cap_per_copy
    else:
        out["price"] = rule.price
    if rule.basis == Basis.PER_UNIT:
        out["unit_label"] = rule.unit_label
    if rule.online_percent != 100:
        out["online_percent"] = rule.online_percent
    if rule.exemptions:
        out["exemptions"] = [[e.category, e.percent, e.basis] for e in rule.exemptions]
    if rule.legal_basis:
        out["legal_basis"] = rule.legal_basis
    if rule.collect_at != CollectAt.RETURN:
        out["collect_at"] = rule.collect_at.value
    return out


def _whole(value, what: str, most: int = MAX_PRICE) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > most:
        raise FeeError(f"{what} phải là số nguyên từ 0 đến {number_vi(most)}.")
    return value


def _items(value, what: str, size: int) -> list[tuple]:
    """A stored list of ``size``-item lists (tiers, exemptions), or a :class:`FeeError`."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)) or not all(
        isinstance(item, (list, tuple)) and len(item) == size for item in value
    ):
        raise FeeError(f"{what} không đúng dạng.")
    return [tuple(item) for item in value]


def rule_from_dict(data: dict | None) -> FeeRule:
    """A rule from its stored JSON (empty: free); :class:`FeeError` when it is not one.

    The rule comes back in its canonical form: only the values its basis uses (a price for a
    per-page rule, tiers for a per-case one … are dropped), so that
    ``rule_from_dict(rule_to_dict(rule_from_dict(d))) == rule_from_dict(d)``."""
    if not data:
        return FREE
    if not isinstance(data, dict):
        raise FeeError("Cách tính phí, lệ phí không đúng dạng.")
    try:
        basis = Basis(data.get("basis", Basis.FREE))
    except ValueError:
        raise FeeError(
            f"Không có cách tính phí “{data.get('basis')}”: dùng "
            + ", ".join(b.value for b in Basis)
            + "."
        ) from None
    legal = str(data.get("legal_basis") or "")
    if basis == Basis.FREE:
        return FeeRule(legal_basis=legal)
    try:
        kind = FeeKind(data.get("kind", FeeKind.CHARGE))
    except ValueError:
        raise FeeError("Loại phải là “phí” hoặc “lệ phí”.") from None
    tiers: tuple[Tier, ...] = ()
    cap = None
    price = 0
    if basis == Basis.PER_PAGE:
        tiers = tuple(
            Tier(
                _whole(a, "Trang đầu của bậc", MAX_PAGES),
                None if b is None else _whole(b, "Trang cuối của bậc", MAX_PAGES),
                _whole(p, "Mức thu mỗi trang"),
            )
            for a, b, p in _items(data.get("tiers"), "Các bậc phí theo trang", 3)
        )
        check_tiers(tiers)
        if data.get("cap_per_copy") is not None:
            cap = _whole(data["cap_per_copy"], "Mức tối đa mỗi bản")
    else:
        price = _whole(data.get("price", 0), "Mức thu")
    exemptions = []
    seen: set[str] = set()
    for category, percent, legal_text in _items(data.get("exemptions"), "Đối tượng miễn, giảm", 3):
        if category not in EXEMPTION_LABELS:
            raise FeeError(f"Không có đối tượng miễn, giảm “{category}”.")
        if category in seen:
            raise FeeError(f"Đối tượng miễn, giảm “{EXEMPTION_LABELS[category]}” ghi hai lần.")
        seen.add(category)
        if _whole(percent, "Tỷ lệ miễn, giảm", 100) == 0:
            raise FeeError("Tỷ lệ miễn, giảm phải từ 1 đến 100.")
        exemptions.append(Exemption(category, str(legal_text or ""), percent))
    return FeeRule(
        basis=basis,
        kind=kind,
        name=str(data.get("name") or ""),
        price=price,
        tiers=tiers,
        cap_per_copy=cap,
        unit_label=str(data.get("unit_label") or "") if basis == Basis.PER_UNIT else "",
        online_percent=_whole(data.get("online_percent", 100), "Tỷ lệ thu khi nộp trực tuyến", 100),
        exemptions=tuple(exemptions),
        legal_basis=legal,
        collect_at=_collect_at(data.get("collect_at")),
    )


def _collect_at(value) -> CollectAt:
    try:
        return CollectAt(value or CollectAt.RETURN)
    except ValueError:
        raise FeeError(
            "Thời điểm thu phí phải là “tiep_nhan” (khi tiếp nhận) hoặc “tra_ket_qua” "
            "(khi trả kết quả)."
        ) from None


def check_tiers(tiers: tuple[Tier, ...]) -> None:
    """Tiers start at page 1, follow each other without gap or overlap, and only the last
    may be open-ended."""
    if not tiers:
        raise FeeError("Tính theo trang cần ít nhất một bậc (ví dụ “1-2: 2000; 3-: 1000”).")
    expected = 1
    for index, tier in enumerate(tiers):
        if tier.first != expected:
            raise FeeError(
                f"Bậc thứ {index + 1} phải bắt đầu từ trang {expected} (các bậc liền nhau, "
                "bắt đầu từ trang 1)."
            )
        if tier.last is None:
            if index != len(tiers) - 1:
                raise FeeError("Chỉ bậc cuối cùng được để trống trang cuối.")
            return
        if tier.last < tier.first:
            raise FeeError(f"Bậc thứ {index + 1}: trang cuối nhỏ hơn trang đầu.")
        expected = tier.last + 1


def headline(rule: FeeRule) -> int:
    """The amount a catalogue's plain column shows: a desk case of one copy of one page (or
    one unit); 0 when the rule is free."""
    return 0 if rule.is_free else quote(rule, Case()).amount


def describe(rule: FeeRule) -> str:
    """The rule in one Vietnamese sentence, as the catalogue page and the disclosure board
    show it: "Lệ phí: 2.000 đồng/trang (trang 1–2), 1.000 đồng/trang (từ trang 3), tối đa
    200.000 đồng/bản"."""
    if rule.is_free:
        return "Miễn phí, lệ phí"
    kind = KIND_LABELS[rule.kind]
    if rule.basis == Basis.PER_CASE:
        text = f"{number_vi(rule.price)} đồng/hồ sơ"
    elif rule.basis == Basis.PER_COPY:
        text = f"{number_vi(rule.price)} đồng/bản"
    elif rule.basis == Basis.PER_UNIT:
        text = f"{number_vi(rule.price)} đồng/{rule.unit_label or 'đơn vị'}"
    else:
        parts = []
        for tier in rule.tiers:
            if tier.last is None:
                pages = f"từ trang {tier.first}"
            elif tier.first == tier.last:
                pages = f"trang {tier.first}"
            else:
                pages = f"trang {tier.first}–{tier.last}"
            parts.append(f"{number_vi(tier.price)} đồng/trang ({pages})")
        text = ", ".join(parts)
        if rule.cap_per_copy is not None:
            text += f", tối đa {number_vi(rule.cap_per_copy)} đồng/bản"
    if rule.online_percent == 0:
        text += "; nộp trực tuyến: 0 đồng"
    elif rule.online_percent != 100:
        text += f"; nộp trực tuyến thu {rule.online_percent} %"
    if rule.exemptions:
        names = ", ".join(
            EXEMPTION_LABELS[e.category].lower()
            + ("" if e.percent >= 100 else f" (giảm {e.percent} %)")
            for e in rule.exemptions
        )
        text += f"; miễn, giảm cho: {names}"
    if rule.collect_at == CollectAt.RECEPTION:
        text += f"; nộp {COLLECT_LABELS[CollectAt.RECEPTION]}"
    return f"{kind}: {text}"

"""Verifying the sealed log (``motcua audit verify``, docs/audit.md).

Three passes, each reading the database once in order, in batches, so a province's year fits
in a few megabytes of memory:

1. **Dossiers**, in batches of ids: each dossier's chain of events (each seal recomputed with
   the key, each link to the event before) and its row against the seal its latest event made.
2. **Units**, by event number: no number missing from 1 to the head, each event naming the
   seal of the one before, the head naming the last; the checkpoints (already checked for
   their signature, :mod:`motcua.documents.checkpoints`) matched against the events they name.
3. What the findings name: the dossiers' codes.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

from motcua.core.audit import (
    GENESIS,
    Checkpoint,
    Finding,
    Tampering,
    event_seal,
    row_seal,
)
from motcua.core.lifecycle import EVENT_LABELS, STATE_LABELS, State
from motcua.core.localtime import local
from motcua.dossiers.ledger import SEALED_FIELDS, audit_key, event_payload, sealed_values
from motcua.dossiers.models import AuditHead, Dossier, DossierEvent

BATCH = 1000


def verify_log(
    key: bytes, checkpoints: Iterable[Checkpoint] = (), *, batch: int = BATCH
) -> tuple[int, list[Finding]]:
    """``(events checked, findings)`` over the whole database."""
    findings: list[Finding] = []
    count = _check_dossiers(key, findings, batch)
    by_unit: dict[str, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        by_unit.setdefault(checkpoint.unit, []).append(checkpoint)
    units = set(AuditHead.objects.values_list("unit_id", flat=True))
    units |= set(DossierEvent.objects.values_list("unit_id", flat=True).distinct())
    units |= set(by_unit)
    for unit in sorted(units):
        _check_unit(unit, sorted(by_unit.get(unit, []), key=lambda c: c.number), findings)
    return count, findings


# -- pass 1: dossier by dossier ---------------------------------------------------------------


def _check_dossiers(key: bytes, findings: list[Finding], batch: int) -> int:
    count, after = 0, None
    columns = ("id", *SEALED_FIELDS)
    while True:
        qs = Dossier.objects.order_by("id")
        if after is not None:
            qs = qs.filter(id__gt=after)
        rows = list(qs.only(*[c.removesuffix("_id") for c in columns])[:batch])
        if not rows:
            return count
        after = rows[-1].id
        chains: dict = {d.id: [] for d in rows}
        events = DossierEvent.objects.filter(dossier_id__in=list(chains)).order_by(
            "dossier_id", "seq"
        )
        for event in events:
            chains[event.dossier_id].append(event)
            count += 1
        for dossier in rows:
            _check_chain(key, dossier, chains[dossier.id], findings)


def _check_chain(key: bytes, dossier: Dossier, events: list, findings: list[Finding]) -> None:
    name = dossier.code or f"(nháp) {dossier.id}"
    unit = dossier.unit_id
    if not events:
        findings.append(
            Finding(
                Tampering.NO_EVENTS,
                f"Hồ sơ {name}: không còn sự kiện nào trong nhật ký (đã bị xoá).",
                unit=unit,
                dossier=name,
            )
        )
        return
    prev, expected_seq = GENESIS, 1
    for event in events:
        if event.seq != expected_seq:
            missing = _run(expected_seq, event.seq - 1)
            findings.append(
                Finding(
                    Tampering.EVENT_MISSING,
                    f"Hồ sơ {name}: thiếu sự kiện {missing} (đã bị xoá).",
                    unit=unit,
                    dossier=name,
                    seq=expected_seq,
                )
            )
        sealed = event_seal(key, event.prev_hash, event_payload(event))
        if not hmac.compare_digest(sealed, event.hash):
            findings.append(
                Finding(
                    Tampering.EVENT_CHANGED,
                    f"Hồ sơ {name}: sự kiện số {event.seq} "
                    f"({EVENT_LABELS.get(event.action, event.action).lower()}, "
                    f"{local(event.at):%d/%m/%Y %H:%M}) bị sửa ngoài phần mềm "
                    "(mã niêm phong không khớp).",
                    unit=unit,
                    dossier=name,
                    seq=event.seq,
                    number=event.number,
                )
            )
        elif event.prev_hash != prev and event.seq == expected_seq:
            findings.append(
                Finding(
                    Tampering.EVENT_MISSING,
                    f"Hồ sơ {name}: sự kiện số {event.seq} không nối với sự kiện trước nó "
                    "(nhật ký bị thay thế).",
                    unit=unit,
                    dossier=name,
                    seq=event.seq,
                )
            )
        prev, expected_seq = event.hash, event.seq + 1
    last = events[-1]
    if not hmac.compare_digest(row_seal(key, sealed_values(dossier)), last.row):
        what = "trạng thái, hạn trả, người nộp hoặc thông tin khác"
        if dossier.state != last.to_state:
            what = (
                f"trạng thái “{state_label(dossier.state)}” trong khi sự kiện cuối ghi "
                f"“{state_label(last.to_state)}”"
            )
        findings.append(
            Finding(
                Tampering.ROW_CHANGED,
                f"Hồ sơ {name}: dữ liệu hồ sơ không khớp với sự kiện cuối (số {last.seq}) — "
                f"{what}: bị sửa ngoài phần mềm, hoặc các sự kiện sau số {last.seq} đã bị xoá.",
                unit=unit,
                dossier=name,
                seq=last.seq,
            )
        )


# -- pass 2: unit by unit ---------------------------------------------------------------------


def _check_unit(unit: str, checkpoints: list[Checkpoint], findings: list[Finding]) -> None:
    head = AuditHead.objects.filter(unit_id=unit).first()
    wanted = {c.number: c for c in checkpoints}
    seen: dict[int, str] = {}
    rows = (
        DossierEvent.objects.filter(unit_id=unit)
        .order_by("number")
        .values_list("number", "unit_prev", "hash", "dossier__code", "seq")
    )
    previous: tuple | None = None  # (number, hash, code, seq)
    for number, unit_prev, seal, code, seq in rows.iterator(chunk_size=5000):
        if number in wanted:
            seen[number] = seal
        if previous is None:
            expected = GENESIS if number == 1 else None
        else:
            expected = previous[1] if previous[0] == number - 1 else None
        if expected is not None and unit_prev != expected:
            findings.append(
                Finding(
                    Tampering.LINK_BROKEN,
                    f"Đơn vị {unit}: sự kiện số {number} của nhật ký đơn vị (hồ sơ {code}, "
                    f"sự kiện {seq}) không nối với sự kiện số {number - 1}: sự kiện số "
                    f"{number - 1} đã bị sửa hoặc thay thế.",
                    unit=unit,
                    dossier=code or "",
                    seq=seq,
                    number=number,
                )
            )
        if previous is not None and previous[0] < number - 1:
            _gap(unit, previous[0] + 1, number - 1, previous, (number, seal, code, seq), findings)
        elif previous is None and number > 1:
            _gap(unit, 1, number - 1, None, (number, seal, code, seq), findings)
        previous = (number, seal, code, seq)
    last_number = previous[0] if previous else 0
    head_last = head.last if head else 0
    if head_last > last_number:
        _gap(unit, last_number + 1, head_last, previous, None, findings)
    elif head_last < last_number or (head and previous and head.head != previous[1]):
        findings.append(
            Finding(
                Tampering.HEAD_MISMATCH,
                f"Đơn vị {unit}: đầu nhật ký (số {head_last}) không khớp với sự kiện cuối "
                f"(số {last_number}): đầu nhật ký bị sửa ngoài phần mềm.",
                unit=unit,
                number=last_number,
            )
        )
    _check_checkpoints(unit, checkpoints, seen, last_number, findings)


def _gap(unit, first, last, before, after, findings: list[Finding]) -> None:
    around = []
    if before is not None:
        around.append(f"sau sự kiện số {before[0]} (hồ sơ {before[2]}, sự kiện {before[3]})")
    if after is not None:
        around.append(f"trước sự kiện số {after[0]} (hồ sơ {after[2]}, sự kiện {after[3]})")
    where = f" — {', '.join(around)}" if around else ""
    findings.append(
        Finding(
            Tampering.NUMBERS_MISSING,
            f"Đơn vị {unit}: nhật ký đơn vị thiếu sự kiện {_run(first, last)}{where}: "
            "sự kiện hoặc cả hồ sơ đã bị xoá ngoài phần mềm.",
            unit=unit,
            number=first,
        )
    )


def _check_checkpoints(
    unit: str,
    checkpoints: list[Checkpoint],
    seen: dict[int, str],
    last_number: int,
    findings: list[Finding],
) -> None:
    good = 0
    for checkpoint in checkpoints:
        seal = seen.get(checkpoint.number)
        if seal is not None and hmac.compare_digest(seal, checkpoint.head):
            good = checkpoint.number
            continue
        when = checkpoint.at[:10]
        if checkpoint.number > last_number:
            problem = (
                f"nhật ký đơn vị chỉ còn đến số {last_number}: các sự kiện từ số "
                f"{last_number + 1} đã bị xoá"
            )
        elif seal is None:
            problem = f"sự kiện số {checkpoint.number} không còn"
        else:
            problem = (
                f"sự kiện số {checkpoint.number} đã mang mã khác: nhật ký đã bị viết lại "
                f"(kể cả niêm phong) ở khoảng từ sự kiện số {good + 1} đến số "
                f"{checkpoint.number}; hồ sơ có sự kiện trong khoảng đó: "
                f"{_codes_between(unit, good + 1, checkpoint.number)}"
            )
        findings.append(
            Finding(
                Tampering.CHECKPOINT_MISMATCH,
                f"Đơn vị {unit}: điểm kiểm tra ký ngày {when} (sự kiện số {checkpoint.number}) "
                f"không khớp — {problem}.",
                unit=unit,
                number=checkpoint.number,
            )
        )


def _codes_between(unit: str, first: int, last: int, limit: int = 20) -> str:
    codes = list(
        DossierEvent.objects.filter(unit_id=unit, number__gte=first, number__lte=last)
        .values_list("dossier__code", flat=True)
        .distinct()
        .order_by("dossier__code")[: limit + 1]
    )
    text = ", ".join(c or "(nháp)" for c in codes[:limit])
    return text + (" …" if len(codes) > limit else "")


def state_label(value: str) -> str:
    """A state as officials read it; a value that is no state (written by hand) as it is."""
    try:
        return STATE_LABELS[State(value)]
    except ValueError:
        return value


def _run(first: int, last: int) -> str:
    return f"số {first}" if first == last else f"số {first} đến {last}"


def log_problems() -> list[str]:
    """What verify would say, without checkpoints: the messages (empty when all is sound)."""
    return [finding.message for finding in verify_log(audit_key())[1]]

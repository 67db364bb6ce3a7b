"""VietQR payloads and their PNG: our encoder against the naive one, in the same run (a
benchmark, not a test; it asserts only that both give the same payloads).

    .venv/bin/python bench/bench_vietqr.py

(a)  ``motcua.core.vietqr.vietqr_payload`` over 20,000 random (BIN, account, amount, dossier
     code) cases, the message made by ``transfer_message`` beforehand (untimed);
(b1) the baseline: the same objects glued with f-strings, checksum by ``crccheck``'s
     ``Crc16CcittFalse`` — the obvious way with a CRC package;
(b2) the same with the bit-by-bit CRC loop most published encoders carry;
(c)  PNG renders (``motcua.documents.pdf.qr_png``) at scale 8 and 3, and the SVG the slips
     embed (``qr_svg``) for comparison.
CPU time (time.process_time), median of 5 runs; the machine is shared, so the load is printed.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from datetime import date, timedelta

from _setup import median  # also the Django settings qr_svg's module needs to import
from crccheck.crc import Crc16CcittFalse

from motcua.core.codes import format_dossier_code
from motcua.core.vietqr import transfer_message, vietqr_payload
from motcua.documents.pdf import qr_png, qr_svg

N = 20_000
N_IMAGES = 300
RUNS = 5


# --- the baselines ------------------------------------------------------------------------------


def naive_payload(bin: str, account: str, amount: int, message: str, crc: Callable) -> str:
    def field(tag: str, value: str) -> str:
        return tag + str(len(value)).zfill(2) + value

    beneficiary = field("00", bin) + field("01", account)
    napas = field("00", "A000000727") + field("01", beneficiary) + field("02", "QRIBFTTA")
    text = field("00", "01") + field("01", "12") + field("38", napas)
    text += field("53", "704") + field("54", str(amount)) + field("58", "VN")
    if message:
        text += field("62", field("08", message))
    text += "6304"
    return text + crc(text)


def crccheck_hex(text: str) -> str:
    return f"{Crc16CcittFalse.calc(text.encode()):04X}"


def bitwise_hex(text: str) -> str:
    crc = 0xFFFF
    for byte in text.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return f"{crc:04X}"


# --- the cases, the clock -----------------------------------------------------------------------


def make_cases(rng: random.Random) -> list[tuple[str, str, int, str]]:
    """BINs as banks have them, accounts of 6-19 characters, fees of 1,000 đ to 50 million đ,
    messages of dossier codes of units with 2-5 levels of electronic code."""
    cases = []
    for _ in range(N):
        bin = f"9704{rng.randrange(100):02d}"
        account = "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 19)))
        amount = rng.randrange(1, 50_000) * 1000
        unit = ".".join(
            rng.choice(["H15", "000", "00", "50", "05", "13", "G12"])
            for _ in range(rng.randint(2, 5))
        )
        received = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        code = format_dossier_code(unit, received, rng.randint(1, 3000))
        cases.append((bin, account, amount, transfer_message(code)))
    return cases


def cpu_runs(work: Callable[[], object], runs: int = RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.process_time()
        work()
        times.append(time.process_time() - began)
    return times


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def report(rows: list[tuple[str, list[float], int]]) -> None:
    for name, times, count in rows:
        m = median(times)
        print(
            f"  {name:44s} {m:7.3f} s  ({min(times):.3f}-{max(times):.3f})"
            f"  {count / m:>10,.0f} per CPU-second  {m / count * 1e6:8.1f} µs each"
        )


def main() -> None:
    print(f"machine: {os.cpu_count()} CPUs, {load()}")
    cases = make_cases(random.Random(2026))

    ours = [vietqr_payload(*case) for case in cases]
    assert ours == [naive_payload(*case, crccheck_hex) for case in cases]
    assert ours[:2000] == [naive_payload(*case, bitwise_hex) for case in cases[:2000]]
    print(f"{N:,} cases: our payloads equal the naive encoder's on every case")

    a = cpu_runs(lambda: [vietqr_payload(*case) for case in cases])
    b1 = cpu_runs(lambda: [naive_payload(*case, crccheck_hex) for case in cases])
    b2 = cpu_runs(lambda: [naive_payload(*case, bitwise_hex) for case in cases])
    print(f"\n{N:,} payloads, CPU seconds, median of {RUNS} (min-max):")
    report(
        [
            ("(a)  vietqr_payload", a, N),
            ("(b1) f-strings + crccheck Crc16CcittFalse", b1, N),
            ("(b2) f-strings + bit-by-bit CRC loop", b2, N),
        ]
    )
    print(
        f"  ratio (b1)/(a): {median(b1) / median(a):.1f}×   (b2)/(a): {median(b2) / median(a):.1f}×"
    )

    payloads = ours[:N_IMAGES]
    qr_png(payloads[0])  # import segno, untimed
    c8 = cpu_runs(lambda: [qr_png(p, scale=8) for p in payloads])
    c3 = cpu_runs(lambda: [qr_png(p, scale=3) for p in payloads])
    svg = cpu_runs(lambda: [qr_svg(p) for p in payloads])
    sizes = sorted(len(qr_png(p)) for p in payloads)
    print(f"\n{N_IMAGES} QR images, CPU seconds, median of {RUNS} (min-max):")
    report(
        [
            ("(c)  qr_png, scale 8", c8, N_IMAGES),
            ("(c)  qr_png, scale 3", c3, N_IMAGES),
            ("     qr_svg, scale 3 (the slips' SVG)", svg, N_IMAGES),
        ]
    )
    print(f"  PNG size at scale 8: median {sizes[len(sizes) // 2]:,} bytes")
    print(f"\n{load()}")


if __name__ == "__main__":
    main()

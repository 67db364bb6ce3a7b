"""The e-receipt's PDF and its seal signature against a bare WeasyPrint page (a benchmark).

    MOTCUA_DATA_DIR=/tmp/bench-receipt .venv/bin/python bench/bench_receipt.py [RUNS]

Interleaved, RUNS times (default 20) after a warm-up: ``documents.receipts.receipt_pdf`` (the
template, its QR code, the empty signature field), ``sign_receipt`` (the seal's visible PAdES
signature, a development certificate) and, as the baseline, a fresh
``HTML(string="<p>…</p>").write_pdf()`` of one paragraph. Medians in ms and the ratios to the
baseline; the machine's load before and after (the machine is shared). No database needed.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from datetime import date, datetime

import _setup  # noqa: F401  (the settings and a throw-away data directory)
from _setup import median


def main(runs: int) -> None:
    import django

    django.setup()
    from weasyprint import HTML

    from motcua.core.fees import FeeKind
    from motcua.core.localtime import LOCAL_TZ
    from motcua.core.receipts import PaymentMethod, ReceiptData, ReceiptLine, ReceiptRef
    from motcua.demo import devca
    from motcua.documents import signing
    from motcua.documents.receipts import receipt_pdf, sign_receipt

    data = ReceiptData(
        unit_name="Ủy ban nhân dân xã Bình Thành",
        unit_tax_code="0312345678",
        unit_address="Ấp Bình Thạnh, xã Bình Thành",
        form_symbol="01BLP0-001",
        series="BT-26E",
        number=12,
        payer_name="Nguyễn Thị Hồng Nhung",
        payer_address="Ấp Tân Hưng, xã Bình Thành",
        fee_name="Phí chứng thực bản sao từ bản chính",
        fee_kind=FeeKind.FEE,
        lines=(ReceiptLine("Trang 1–2", 2, 2000, 4000), ReceiptLine("Từ trang 3", 8, 1000, 8000)),
        payment_method=PaymentMethod.BANK,
        issued_at=datetime(2026, 12, 2, 9, 41, tzinfo=LOCAL_TZ),
        dossier_code="000.00.05.H12-261202-0007",
        verify_url="https://motcua.example.vn/tra-cuu/000.00.05.H12-261202-0007/",
        replaces=ReceiptRef("01BLP0-001", "BT-26E", 11, date(2026, 12, 1)),
    )
    ca = devca.make_ca()
    issued = devca.issue(ca, "Ủy ban nhân dân xã Bình Thành", "UBND xã Bình Thành")
    seal = signing.Pkcs12Signer(issued.pkcs12("x", [ca.certificate]), "x")
    unsigned = receipt_pdf(data)
    calls = {
        "baseline (bare WeasyPrint paragraph)": lambda: HTML(
            string="<p>Biên lai thu phí, lệ phí</p>"
        ).write_pdf(),
        "receipt_pdf": lambda: receipt_pdf(data),
        "sign_receipt": lambda: sign_receipt(unsigned, seal),
    }
    for call in calls.values():  # warm-up: fonts, stylesheets, the stamp's font
        call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    load_before = os.getloadavg()
    for _ in range(runs):
        for name, call in calls.items():
            gc.collect()
            start = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - start) * 1000)
    load_after = os.getloadavg()
    base = median(times["baseline (bare WeasyPrint paragraph)"])
    print(f"runs: {runs}; load before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    for name, values in times.items():
        print(f"{name:40s} median {median(values):8.1f} ms   ×{median(values) / base:5.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)

"""Result PDF generation and signing time per document (a benchmark, not a test).

    MOTCUA_DATA_DIR=/tmp/bench-signing .venv/bin/python bench/bench_signing.py [DOCUMENTS]

Generates DOCUMENTS (default 20) result PDFs from the template with WeasyPrint, signs each with
a leader's certificate and seals it with the unit's (two PAdES signatures), and verifies them;
prints the median time of each step.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_DATA_DIR", tempfile.mkdtemp(prefix="motcua-bench-"))


def main(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.demo import devca
    from motcua.demo.load import load_demo
    from motcua.documents import signing
    from motcua.documents.results import result_pdf
    from motcua.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    desk = load_demo(with_dossiers=False)
    from motcua.demo.dossiers import generate_year

    generate_year(desk, days=10, per_day=max(count, 5))
    dossiers = list(Dossier.objects.filter(state="returned")[:count])
    ca = devca.make_ca()
    leader = signing.Pkcs12Signer(devca.issue(ca, "Lãnh đạo", "UBND").pkcs12("x"), "x")
    seal = signing.Pkcs12Signer(devca.issue(ca, "UBND xã", "UBND").pkcs12("y"), "y")
    fonts = Path(os.environ["MOTCUA_DATA_DIR"]) / "fonts"
    signing.stamp_font(fonts)  # the one-off font conversion is not a per-document cost
    times = {"render": [], "sign": [], "seal": [], "verify": []}
    for dossier in dossiers:
        t0 = time.perf_counter()
        pdf = result_pdf(dossier, desk)
        t1 = time.perf_counter()
        signed = signing.sign_pdf(pdf, leader, field_name="A", stamp_lines=["Ký"], font_dir=fonts)
        t2 = time.perf_counter()
        sealed = signing.sign_pdf(
            signed,
            seal,
            field_name="B",
            stamp_lines=["Dấu"],
            font_dir=fonts,
            placement=signing.Placement(box=(40, 60, 290, 130)),
        )
        t3 = time.perf_counter()
        assert all(r.ok for r in signing.verify_pdf(sealed, [ca.pem()]))
        t4 = time.perf_counter()
        for key, value in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            times[key].append(value * 1000)
    print(f"{len(dossiers)} documents, median ms per document:")
    for key, values in times.items():
        print(f"  {key:7s} {statistics.median(values):7.0f} ms (max {max(values):.0f})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)

"""Slip and result PDFs: our renderer against the naive WeasyPrint call (a benchmark, not a test).

    MOTCUA_DATA_DIR=/tmp/bench-pdf .venv/bin/python bench/bench_pdf.py [RUNS]

Four documents of real dossiers (a throw-away database with the demo desk and generated
dossiers, as bench/bench_signing.py builds it): the receipt slip (Mẫu 01, with its QR code),
the supplement request (Mẫu 02), the control slip (Mẫu 06) of a returned dossier (7 rows) and
a result drafted from the template. For each, in the same run, interleaved, RUNS times
(default 30) after a warm-up:

- ours: ``motcua.documents.pdf.render_pdf`` (template → HTML → our stylesheets, parsed once
  per process, and one font configuration → PDF);
- naive: the same HTML with the same CSS inline in a ``<style>``, rendered as main did before:
  a fresh ``HTML(string=...).write_pdf()`` (stylesheets parsed, fonts set up, every time);
- the whole function a view calls (``slips.receipt_slip_pdf`` …, ``actions.result_pdf``):
  its queries, the QR code and the signature fields too.

Both renderers are checked to print the same text. Medians in ms (wall and this process's CPU
time), the ratios, and the machine's load (``os.getloadavg``) before and after: the machine is
shared. Garbage is collected between calls, untimed (which spares the baselines the teardown
of their font configurations).
"""

from __future__ import annotations

import functools
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from _setup import demo_database


def captured_render(call: Callable[[], bytes]) -> tuple[str | list[str], dict]:
    """The template and context a document function hands to ``render_document``."""
    from motcua.documents import pdf, results

    seen: list[tuple] = []
    real = pdf.render_document

    def spy(template, context):
        seen.append((template, context))
        return real(template, context)

    # the results module imports the function by name: spy on it there too
    holders = [pdf, results]
    for module in holders:
        module.render_document = spy
    try:
        call()
    finally:
        for module in holders:
            module.render_document = real
    return seen[-1]


def naive_pdf(template, context: dict, css: str) -> bytes:
    """Before this change: the template's HTML with its CSS inline, a fresh WeasyPrint run."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(template, context).replace("</head>", f"<style>{css}</style></head>", 1)
    return HTML(string=html, base_url=".").write_pdf()


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(
            ["pdftotext", "-layout", f.name, "-"], check=True, capture_output=True, text=True
        ).stdout


def documents(desk) -> dict[str, Callable[[], bytes]]:
    """name → the function its view calls."""
    from motcua.demo.dossiers import generate_year
    from motcua.documents import slips
    from motcua.documents.results import result_pdf
    from motcua.dossiers.models import Dossier
    from motcua.workflow import actions

    generate_year(desk, days=10, per_day=5)
    returned = Dossier.objects.filter(state="returned").order_by("code")
    done = next(d for d in returned if d.events.count() == 7)
    # A fresh dossier through the desk's actions, up to a supplement request of three items.
    specialist = done.events.get(action="receive").actor
    draft = actions.create_draft(
        specialist,
        desk,
        actions.IntakeData(
            procedure_code=done.procedure.code,
            channel="direct",
            applicant=actions.ApplicantData(
                name="Nguyễn Thị Hồng Nhung",
                phone="0987654321",
                address="Số 18 đường Trần Hưng Đạo, thôn Thượng Lỗ, xã Bình Thành",
            ),
            components=[c["name"] for c in done.procedure_version.components],
        ),
    )
    received = actions.perform(draft.pk, specialist, "receive")
    actions.perform(received.pk, specialist, "start_review")
    note = "Bản sao giấy khai sinh\n- Giấy xác nhận nơi cư trú\n- Chữ ký của người làm chứng"
    asked = actions.perform(
        received.pk, specialist, "request_supplement", actions.ActionInput(note=note)
    )
    event = slips.last_event(asked, "request_supplement")
    return {
        "01 receipt slip, QR": lambda: slips.receipt_slip_pdf(received),
        "02 supplement, 3 items": lambda: slips.supplement_request_pdf(asked, event),
        f"06 control, {done.events.count()} rows": lambda: slips.control_slip_pdf(done),
        "result, generic": lambda: result_pdf(done, desk),
    }


def timed(call: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU (this process) milliseconds: the CPU time is less shaken by other load."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


# Main's slip grids were laid out automatically (columns sized from every cell's text).
FIXED_GRIDS = "table-layout: fixed; overflow-wrap: break-word; "


def main(runs: int) -> None:
    desk = demo_database()
    import weasyprint

    from motcua.documents import pdf

    load_before = os.getloadavg()
    began = time.perf_counter()
    pdf.shared_styles()
    first_setup = (time.perf_counter() - began) * 1000
    css = "\n".join(pdf.stylesheet_source(name) for name in pdf.STYLESHEETS)
    assert FIXED_GRIDS in css
    renderers = ("main", "naive", "ours", "function")
    cases = []
    for name, function in documents(desk).items():
        template, context = captured_render(function)
        ours = functools.partial(pdf.render_pdf, template, context)
        naive = functools.partial(naive_pdf, template, context, css)
        main_ = functools.partial(naive_pdf, template, context, css.replace(FIXED_GRIDS, ""))
        if shutil.which("pdftotext"):
            assert pdf_text(ours()) == pdf_text(naive()), f"{name}: the two renderers differ"
        cases.append((name, dict(zip(renderers, (main_, naive, ours, function), strict=True))))
    times = {name: {key: [] for key in renderers} for name, _ in cases}
    for _ in range(2):  # warm-up
        for _name, calls in cases:
            for call in calls.values():
                call()
    for _ in range(runs):
        for name, calls in cases:
            for key, call in calls.items():
                # Each call's garbage is collected before the next is timed, untimed: else a
                # fresh FontConfiguration of the baselines (fontconfig's set-up, a Pango font
                # map) is torn down inside whichever call comes next.
                gc.collect()
                times[name][key].append(timed(call))
    load_after = os.getloadavg()

    print(
        f"WeasyPrint {weasyprint.__version__}, {runs} runs each after a warm-up, interleaved. "
        f"Load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}, "
        f"on {os.cpu_count()} CPUs."
    )
    print(f"Once per process: stylesheets parsed and fonts set up in {first_setup:.0f} ms.")
    print(
        "main = main's way (CSS inline, fresh HTML().write_pdf(), automatic grids); naive = the "
        "same HTML and CSS as ours, inline, fresh; ours = render_pdf; function = what the view "
        "calls (queries, QR code, signature fields too)."
    )
    for index, label in ((0, "wall"), (1, "CPU")):
        print(f"\nmedian {label} ms (p90)")
        print(
            f"{'document':24s}"
            + "".join(f"{key:>14s}" for key in renderers)
            + f"{'main/ours':>10s}{'naive/ours':>11s}"
        )
        for name, _ in cases:
            values = {key: [v[index] for v in times[name][key]] for key in renderers}
            med = {key: statistics.median(v) for key, v in values.items()}
            p90 = {key: statistics.quantiles(v, n=10)[-1] for key, v in values.items()}
            print(
                f"{name:24s}"
                + "".join(f"{med[key]:7.1f} ({p90[key]:4.0f})" for key in renderers)
                + f"{med['main'] / med['ours']:10.2f}{med['naive'] / med['ours']:11.2f}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)

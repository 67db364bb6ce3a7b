"""Read and write the CSV / XLSX files that importers and exports use.

One place for file formats, so every importer reports the same clear Vietnamese errors.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path


class TableFileError(ValueError):
    """A file that cannot be read as a table (Vietnamese message)."""


def read_table(path: str | Path) -> tuple[list[str], list[list[str]]]:
    """Return ``(headers, rows)`` of a UTF-8 CSV (comma or semicolon) or an XLSX file."""
    path = Path(path)
    if not path.is_file():
        raise TableFileError(f"Không tìm thấy tệp “{path}”.")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    if suffix in {".csv", ".txt", ""}:
        return _read_csv(path.read_bytes())
    raise TableFileError(f"Tệp “{path.name}” không phải CSV hoặc XLSX.")


def _read_csv(raw: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableFileError(
            f"Tệp CSV không phải mã UTF-8 (byte lỗi ở vị trí {exc.start}). "
            "Hãy lưu lại tệp với bảng mã UTF-8."
        ) from exc
    if not text.strip():
        raise TableFileError("Tệp trống.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return [h.strip() for h in rows[0]], rows[1:]


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise TableFileError(f"Không đọc được tệp Excel “{path.name}”: tệp hỏng?") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [
            ["" if c is None else _cell_text(c) for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()
    if not rows:
        raise TableFileError("Tệp trống.")
    return [h.strip() for h in rows[0]], rows[1:]


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def write_table(
    path: str | Path, headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = ""
) -> None:
    """Write a CSV (UTF-8 with BOM, so Excel shows the diacritics) or an XLSX file."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook(write_only=False)
        sheet = workbook.active
        sheet.title = (sheet_title or "Dữ liệu")[:31]
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        workbook.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)

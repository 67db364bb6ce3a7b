"""Read and write the CSV / XLSX files that importers and exports use.

One place for file formats, so every importer reports the same clear Vietnamese errors.
:func:`open_table` reads a file row by row (an import of a million rows must not hold them
all); :func:`read_table` is the same as a list, for the small files (catalogue, portal export).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from pathlib import Path


class TableFileError(ValueError):
    """A file that cannot be read as a table (Vietnamese message)."""


def read_table(path: str | Path) -> tuple[list[str], list[list[str]]]:
    """Return ``(headers, rows)`` of a UTF-8 CSV (comma or semicolon) or an XLSX file."""
    with open_table(path) as (headers, rows):
        return headers, list(rows)


@contextmanager
def open_table(path: str | Path) -> Iterator[tuple[list[str], Iterator[list[str]]]]:
    """``with open_table(path) as (headers, rows):`` — the rows are read one at a time.

    Same formats and errors as :func:`read_table`; an error met while reading the rows (a
    byte that is not UTF-8 in the middle of a CSV, a broken XLSX) is a :class:`TableFileError`
    raised by the iteration. The file is closed when the block ends.
    """
    path = Path(path)
    if not path.is_file():
        raise TableFileError(f"Không tìm thấy tệp “{path}”.")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        with _open_xlsx(path) as table:
            yield table
    elif suffix in {".csv", ".txt", ""}:
        with _open_csv(path) as table:
            yield table
    else:
        raise TableFileError(f"Tệp “{path.name}” không phải CSV hoặc XLSX.")


def _not_utf8(path: Path) -> TableFileError:
    return TableFileError(
        f"Tệp CSV không phải mã UTF-8 (byte lỗi ở vị trí {_first_bad_byte(path)}). "
        "Hãy lưu lại tệp với bảng mã UTF-8."
    )


def _first_bad_byte(path: Path) -> int:
    """Offset in the file of the first byte that is not UTF-8 (read again, on the error path
    only: the text reader's own error counts from the start of its current chunk)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # exc.object is the bytes held back from the previous chunk + this chunk
                return offset - (len(exc.object) - len(chunk)) + exc.start
            if not chunk:
                return offset
            offset += len(chunk)


@contextmanager
def _open_csv(path: Path) -> Iterator[tuple[list[str], Iterator[list[str]]]]:
    # newline="" keeps the line ends inside quoted cells, as the csv module asks
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            # blank lines before the header are kept, so an empty file is told apart
            leading: list[str] = []
            for line in handle:
                leading.append(line)
                if line.strip():
                    break
            else:
                raise TableFileError("Tệp trống.")
        except UnicodeDecodeError as exc:
            raise _not_utf8(path) from exc
        first_line = leading[0].split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(chain(leading, handle), delimiter=delimiter)
        try:
            headers = next(reader)
        except UnicodeDecodeError as exc:
            raise _not_utf8(path) from exc

        def rows() -> Iterator[list[str]]:
            try:
                for row in reader:
                    yield [unsafe_cell(cell) for cell in row]
            except UnicodeDecodeError as exc:
                raise _not_utf8(path) from exc

        yield [h.strip() for h in headers], rows()


@contextmanager
def _open_xlsx(path: Path) -> Iterator[tuple[list[str], Iterator[list[str]]]]:
    from openpyxl import load_workbook

    try:
        # read_only: openpyxl parses the sheet's XML as it is iterated, not all at once
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise TableFileError(f"Không đọc được tệp Excel “{path.name}”: tệp hỏng?") from exc
    try:
        cells = workbook.worksheets[0].iter_rows(values_only=True)

        def rows() -> Iterator[list[str]]:
            while True:
                try:
                    row = next(cells)
                except StopIteration:
                    return
                except Exception as exc:  # a broken sheet shows only when it is read
                    raise TableFileError(
                        f"Không đọc được tệp Excel “{path.name}”: tệp hỏng?"
                    ) from exc
                yield ["" if c is None else unsafe_cell(_cell_text(c)) for c in row]

        stream = rows()
        headers = next(stream, None)
        if headers is None:
            raise TableFileError("Tệp trống.")
        yield [h.strip() for h in headers], stream
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# A text cell starting with one of these is run as a formula by Excel, LibreOffice and Google
# Sheets (OWASP "CSV injection"): a citizen's name "=HYPERLINK(…)" in the log book.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as it may go into a spreadsheet: a text that a spreadsheet would run as a
    formula gets a leading apostrophe (shown as written, never run); numbers, dates and other
    texts are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


def unsafe_cell(text: str) -> str:
    """The value :func:`safe_cell` neutralised, as it was (what our own exports read back:
    a catalogue exported, edited and imported again keeps its "- Bước 1" lines)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def write_table(
    path: str | Path, headers: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str = ""
) -> None:
    """Write a CSV (UTF-8 with BOM, so Excel shows the diacritics) or an XLSX file; every text
    cell that a spreadsheet would take for a formula is neutralised (:func:`safe_cell`)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook(write_only=False)
        sheet = workbook.active
        sheet.title = (sheet_title or "Dữ liệu")[:31]
        sheet.append(safe_row(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(safe_row(row))
        sheet.freeze_panes = "A2"
        workbook.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(safe_row(headers))
        writer.writerows(safe_row(row) for row in rows)

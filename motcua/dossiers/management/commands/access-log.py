"""``motcua access-log export FILE``: the access log of personal data, as CSV or XLSX."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.core.localtime import LOCAL_TZ
from motcua.dossiers.privacy import ACCESS_COLUMNS, access_rows
from motcua.tabular import write_table


def day(text: str | None, *, end: bool = False) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(), LOCAL_TZ)
    except ValueError as error:
        raise CommandError(f"Ngày “{text}” không đúng dạng YYYY-MM-DD.") from error
    return moment + timedelta(days=1) if end else moment


class Command(BaseCommand):
    help = (
        "Nhật ký xem dữ liệu cá nhân (ai đã xem dữ liệu của ai, khi nào, từ đâu): "
        "“motcua access-log export FILE.csv|FILE.xlsx [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
        "[--unit MÃ]”."
    )

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["export"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--from", dest="start")
        parser.add_argument("--to", dest="end")
        parser.add_argument("--unit", default="")

    def handle(self, *args, file, start=None, end=None, unit="", **options):
        if file.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("Tệp xuất phải là .csv hoặc .xlsx.")
        rows = list(access_rows(day(start), day(end, end=True), unit))
        write_table(file, ACCESS_COLUMNS, rows, sheet_title="Nhật ký xem dữ liệu cá nhân")
        self.stdout.write(
            f"Đã xuất {len(rows)} dòng nhật ký vào {file} "
            f"(lúc {timezone.localtime():%H:%M %d/%m/%Y})."
        )

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from motcua.core.periods import PeriodError, parse_period
from motcua.reports import exports
from motcua.reports.queries import Scope, report, units_of


class Command(BaseCommand):
    help = (
        "Báo cáo kết quả tiếp nhận, giải quyết TTHC của một xã (hoặc cả tỉnh) trong một kỳ: "
        "motcua report --unit 05605 --from 2023-01-01 --to 2023-12-31 --format json"
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị hành chính (xã hoặc tỉnh)")
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument(
            "--format", default="json", choices=["json", "xlsx", "docx", "pdf", "csv"]
        )
        parser.add_argument("--view", default=None, choices=["cohort", "flow"])
        parser.add_argument("--output", help="tệp kết quả (mặc định: ra màn hình, chỉ json/csv)")

    def handle(self, *args, unit, start, end, format, view, output, **options):
        try:
            start, end = parse_period(start, end)
        except PeriodError as exc:
            raise CommandError(exc.message) from exc
        try:
            scope = Scope(units_of(unit))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            figures = report(scope, start, end, view or "cohort").as_json()
            figures["unit"] = unit
            data = (json.dumps(figures, ensure_ascii=False, indent=2) + "\n").encode()
        else:
            if format in ("xlsx", "docx", "pdf") and not output:
                raise CommandError(f"Cần --output để ghi tệp {format}.")
            data = exports.render(format, unit, scope, start, end, view or "flow")
        if output:
            with open(output, "wb") as fh:
                fh.write(data)
            self.stderr.write(f"Đã ghi {output} ({len(data):,} byte).".replace(",", "."))
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()

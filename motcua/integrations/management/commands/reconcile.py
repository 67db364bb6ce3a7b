import sys

from django.core.management.base import BaseCommand, CommandError

from motcua.core.periods import PeriodError, parse_period
from motcua.core.reconcile import ReconcileFileError
from motcua.integrations import actions, queries
from motcua.integrations.queries import indicator_row
from motcua.units.models import Unit


class Command(BaseCommand):
    help = (
        "Đối chiếu hồ sơ và chỉ số của một xã với dữ liệu xuất từ Cổng DVCQG: "
        "motcua reconcile --unit 05605 --dossiers portal.csv [--indicators ind.csv] "
        "--from 2023-01-01 --to 2023-12-31 [--output diff.xlsx]"
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị hành chính (xã)")
        parser.add_argument("--dossiers", required=True, help="tệp hồ sơ của Cổng (CSV/XLSX)")
        parser.add_argument("--indicators", help="tệp chỉ số của Cổng (CSV/XLSX)")
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", help="ghi các hồ sơ khác nhau ra tệp .xlsx hoặc .csv")

    def handle(self, *args, unit, dossiers, indicators, start, end, output, **options):
        try:
            start, end = parse_period(start, end)
        except PeriodError as exc:
            raise CommandError(exc.message) from exc
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(f"Không có đơn vị hành chính mã {unit}.")
        if output and not output.lower().endswith((".xlsx", ".csv")):
            raise CommandError("Tệp --output phải là .xlsx hoặc .csv.")
        try:
            imp = actions.import_reconciliation(None, found, start, end, dossiers, indicators)
        except (ReconcileFileError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        rec = queries.reconciliation(imp)
        out = sys.stdout
        out.write(
            f"Đối chiếu {found.name} ({unit}) từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}: "
            f"phần mềm {rec.ours_in_period} hồ sơ, Cổng DVCQG {rec.portal_in_period} hồ sơ "
            f"trong kỳ; {len(rec.differences)} hồ sơ khác nhau.\n"
        )
        if rec.portal_outside_period:
            out.write(f"({rec.portal_outside_period} dòng của Cổng ngoài kỳ, không đối chiếu.)\n")
        for code, label, count in rec.summary:
            out.write(f"  {count:>6}  {label} [{code}]\n")
        if rec.indicators:
            out.write("Chỉ số (phần mềm | Cổng DVCQG | chênh lệch | số hồ sơ giải thích):\n")
            for i in rec.indicators:
                label, _, ours, portal, diff, explaining = indicator_row(i)
                out.write(
                    f"  {label}: {ours or '—'} | {portal or '—'} | {diff or '—'}"
                    f" | {explaining or '—'}\n"
                )
        if output:
            queries.export(rec, output)
            self.stderr.write(f"Đã ghi {output}.")

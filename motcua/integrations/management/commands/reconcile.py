import sys

from django.core.management.base import BaseCommand, CommandError

from motcua.core.periods import PeriodError, parse_period
from motcua.core.reconcile import ReconcileFileError
from motcua.dvcqg.client import Connector, PortalError, connector_on
from motcua.integrations import actions, queries
from motcua.integrations.queries import indicator_row
from motcua.units.models import Unit

SHOWN = 50  # differing dossiers listed on the terminal; --output writes them all


class Command(BaseCommand):
    help = (
        "Đối chiếu hồ sơ và chỉ số của một xã với Cổng DVCQG, từ tệp xuất của Cổng hoặc tra "
        "cứu trực tiếp từng hồ sơ: motcua reconcile --unit 05605 (--dossiers portal.csv | "
        "--from-portal) [--indicators ind.csv] --from 2023-01-01 --to 2023-12-31 "
        "[--output diff.xlsx]"
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị hành chính (xã)")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--dossiers", help="tệp hồ sơ của Cổng (CSV/XLSX)")
        source.add_argument(
            "--from-portal",
            action="store_true",
            help="tra cứu từng hồ sơ của kỳ trên Cổng DVCQG qua kết nối",
        )
        parser.add_argument("--indicators", help="tệp chỉ số của Cổng (CSV/XLSX)")
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--output", help="ghi các hồ sơ khác nhau ra tệp .xlsx hoặc .csv")

    def handle(self, *args, unit, dossiers, from_portal, indicators, start, end, output, **_):
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
            if from_portal:
                imp = self.from_portal(found, start, end, indicators)
            else:
                imp = actions.import_reconciliation(None, found, start, end, dossiers, indicators)
        except (ReconcileFileError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        rec = queries.reconciliation(imp)
        out = sys.stdout
        where = "Cổng DVCQG (tra cứu từng hồ sơ)" if from_portal else "Cổng DVCQG"
        out.write(
            f"Đối chiếu {found.name} ({unit}) từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}: "
            f"phần mềm {rec.ours_in_period} hồ sơ, {where} {rec.portal_in_period} hồ sơ "
            f"trong kỳ; {len(rec.differences)} hồ sơ khác nhau.\n"
        )
        if rec.portal_outside_period:
            out.write(f"({rec.portal_outside_period} dòng của Cổng ngoài kỳ, không đối chiếu.)\n")
        for code, label, count in rec.summary:
            out.write(f"  {count:>6}  {label} [{code}]\n")
        if rec.differences:
            out.write("Hồ sơ khác nhau:\n")
            for d in rec.differences[:SHOWN]:
                out.write(f"  {d.code}: {'; '.join(d.labels)}\n")
            if len(rec.differences) > SHOWN:
                more = len(rec.differences) - SHOWN
                out.write(f"  … và {more} hồ sơ khác (--output để ghi đủ ra tệp).\n")
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

    def from_portal(self, unit: Unit, start, end, indicators):
        if not connector_on():
            raise CommandError("Chưa cấu hình Cổng DVCQG (MOTCUA_DVCQG_URL trống).")
        if not Unit.objects.filter(code=unit.code, desk__isnull=False).exists():
            raise CommandError(f"{unit.name} chưa có Bộ phận Một cửa (mã đơn vị trên Cổng).")

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"Đã tra cứu {done}/{total} hồ sơ trên Cổng DVCQG…")

        try:
            connector = Connector()
            try:
                return actions.import_from_portal(
                    None, unit, start, end, connector, indicators, progress=progress
                )
            finally:
                connector.close()
        except PortalError as exc:
            raise CommandError(f"{exc.message} Chưa lưu gì.") from exc

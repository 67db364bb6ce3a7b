from django.core.management.base import BaseCommand, CommandError

from motcua.core.formatting import number_vi
from motcua.reports import cells
from motcua.reports.queries import units_of


class Command(BaseCommand):
    help = (
        "Số liệu thống kê cộng dồn: “motcua stats verify” đối chiếu với hồ sơ gốc, "
        "“motcua stats rebuild” tính lại từ hồ sơ gốc."
    )

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify", "rebuild"])
        parser.add_argument("--unit", help="mã đơn vị (xã, hoặc tỉnh = mọi xã của tỉnh)")

    def handle(self, *args, subcommand, unit=None, **options):
        try:
            codes = units_of(unit) if unit else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if subcommand == "rebuild":
            count = cells.rebuild(codes)
            self.stdout.write(f"Đã tính lại {number_vi(count)} ô thống kê từ hồ sơ gốc.")
            return
        mismatches = cells.verify(codes)
        for m in mismatches[:50]:
            k = m.key
            if m.month:
                where = (
                    f"ô theo tháng, tiếp nhận tháng {k.received_day:%m/%Y}, kết thúc "
                    f"{f'tháng {k.ended_day:%m/%Y}' if k.ended_day else '—'}"
                )
            else:
                where = (
                    f"tiếp nhận {k.received_day:%d/%m/%Y}, kết thúc "
                    f"{f'{k.ended_day:%d/%m/%Y}' if k.ended_day else '—'}"
                )
            self.stderr.write(
                f"Đơn vị {k.unit}, lĩnh vực {k.field}, {where}: "
                f"đang lưu {m.stored}, tính lại {m.computed}"
            )
        if mismatches:
            raise CommandError(
                f"{len(mismatches)} ô thống kê lệch với hồ sơ gốc; "
                "chạy “motcua stats rebuild” để tính lại."
            )
        self.stdout.write("Số liệu thống kê khớp với hồ sơ gốc.")

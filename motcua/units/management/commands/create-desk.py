from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import UnitError
from motcua.units.actions import create_desk


class Command(BaseCommand):
    help = "Tạo (hoặc cập nhật) Bộ phận Một cửa của một xã; chạy lại nhiều lần được."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị hành chính, ví dụ 05605")
        parser.add_argument("--name", help="tên hiển thị của bộ phận")
        parser.add_argument("--electronic-code", help="mã định danh điện tử, ví dụ H15.50.05.13")

    def handle(self, *args, **options):
        try:
            desk, created = create_desk(
                unit_code=options["unit"],
                name=options.get("name"),
                electronic_code=options.get("electronic_code"),
            )
        except UnitError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Đã tạo" if created else "Đã có"
        self.stdout.write(f"{verb}: {desk.name} — mã định danh {desk.electronic_code}")

from django.core.management.base import BaseCommand

from motcua.units.actions import load_units


class Command(BaseCommand):
    help = "Nạp danh mục tỉnh và xã/phường từ gói vietnam-provinces (chạy lại nhiều lần được)."

    def handle(self, *args, **options):
        result = load_units()
        self.stdout.write(
            f"Đã nạp {result.provinces} tỉnh/thành phố và {result.communes} xã/phường/đặc khu "
            f"({result.created} mới)."
        )

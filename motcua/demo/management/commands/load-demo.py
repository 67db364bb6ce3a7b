from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.demo.load import demo_accounts, load_demo
from motcua.dossiers.history import analyze


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: xã Bình Thành (Thái Nguyên), 12 cán bộ Bộ phận Một cửa, danh mục TTHC."

    def handle(self, *args, **options):
        desk = load_demo()
        analyze()  # a bulk load: the planner needs statistics (docs/operations.md)
        self.stdout.write(f"Dữ liệu mẫu sẵn sàng: {desk.name} ({desk.unit.code}).")
        self.stdout.write(f"Tài khoản mẫu (mật khẩu: {settings.MOTCUA_DEMO_PASSWORD}):")
        for username, title in demo_accounts():
            self.stdout.write(f"  {username:<12} {title}")

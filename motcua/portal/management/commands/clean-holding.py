from django.core.management.base import BaseCommand

from motcua.portal.holding import LIFETIME, clean_holding


class Command(BaseCommand):
    help = "Xoá các tệp người nộp đính kèm trên trang nộp trực tuyến đã giữ quá 24 giờ."

    def handle(self, *args, **options):
        removed = clean_holding()
        hours = int(LIFETIME.total_seconds() // 3600)
        self.stdout.write(f"Đã xoá {removed} bộ tệp giữ tạm quá {hours} giờ.")

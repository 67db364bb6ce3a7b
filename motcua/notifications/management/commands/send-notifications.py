from django.core.management.base import BaseCommand

from motcua.notifications.models import Notification
from motcua.notifications.tasks import MAX_ATTEMPTS, deliver


class Command(BaseCommand):
    help = (
        "Gửi lại các thông báo chưa gửi được "
        "(chạy định kỳ nếu không dùng tiến trình nền motcua worker)."
    )

    def handle(self, *args, **options):
        pending = Notification.objects.exclude(status=Notification.Status.SENT).filter(
            attempts__lt=MAX_ATTEMPTS
        )
        results = [deliver(pk).status for pk in pending.values_list("pk", flat=True)]
        self.stdout.write(f"Đã gửi {results.count('sent')}/{len(results)} thông báo còn chờ.")

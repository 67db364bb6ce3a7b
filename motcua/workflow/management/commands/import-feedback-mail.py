from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.units.models import Unit
from motcua.workflow.feedback_mail import import_mail


class Command(BaseCommand):
    help = (
        "Nhập phản ánh, kiến nghị gửi qua thư điện tử: mỗi thư (tệp .eml, hoặc từng thư của "
        "tệp mbox) thành một phản ánh, thư đã nhập thì bỏ qua: "
        "motcua import-feedback-mail --unit 05605 hop-thu.mbox thu-1.eml"
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị hành chính (xã) nhận thư")
        parser.add_argument("files", nargs="+", help="tệp .eml hoặc mbox")

    def handle(self, *args, unit, files, **_):
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(f"Không có đơn vị hành chính mã {unit}.")
        paths = [Path(f) for f in files]
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise CommandError("Không có tệp: " + ", ".join(missing))
        result = import_mail(found, paths)
        for code in result.received:
            self.stdout.write(f"Đã nhận {code}")
        for where, why in result.refused:
            self.stderr.write(f"Không nhận {where}: {why}")
        self.stdout.write(
            f"Nhận {len(result.received)} phản ánh, bỏ qua {result.skipped} thư đã nhập, "
            f"không nhận {len(result.refused)} thư."
        )
        if result.refused:
            raise CommandError("Có thư không nhận được (xem lý do ở trên).", returncode=1)

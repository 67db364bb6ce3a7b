from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.ledger import broken_chains
from motcua.dossiers.models import DossierEvent


class Command(BaseCommand):
    help = "Kiểm tra nhật ký xử lý hồ sơ: “motcua audit verify” kiểm tra chuỗi băm của mọi hồ sơ."

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args, **options):
        total = DossierEvent.objects.count()
        broken = broken_chains()
        if broken:
            for code, seq in broken:
                self.stderr.write(f"Hồ sơ {code}: nhật ký bị thay đổi từ sự kiện số {seq}.")
            raise CommandError(f"{len(broken)} hồ sơ có nhật ký bị thay đổi ngoài phần mềm.")
        self.stdout.write(f"Nhật ký nguyên vẹn: {total} sự kiện đã kiểm tra.")

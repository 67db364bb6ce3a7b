from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.documents.certificates import trust_authority


class Command(BaseCommand):
    help = (
        "Tin cậy một tổ chức chứng thực (chứng thư gốc PEM/DER) và nạp danh sách thu hồi (CRL); "
        "chạy lại để cập nhật CRL."
    )

    def add_arguments(self, parser):
        parser.add_argument("certificate", help="tệp chứng thư số của tổ chức chứng thực")
        parser.add_argument(
            "--name", required=True, help="tên hiển thị, ví dụ 'Ban Cơ yếu Chính phủ'"
        )
        parser.add_argument("--crl", help="tệp danh sách chứng thư số bị thu hồi (CRL)")

    def handle(self, *args, **options):
        try:
            certificate = Path(options["certificate"]).read_bytes()
            crl = Path(options["crl"]).read_bytes() if options.get("crl") else None
            authority = trust_authority(options["name"], certificate, crl)
        except (OSError, ValueError, DomainError) as exc:
            raise CommandError(f"Không nạp được: {exc}") from exc
        self.stdout.write(
            f"Đã tin cậy: {authority.name} — {len(authority.revoked_serials)} chứng thư bị thu hồi."
        )

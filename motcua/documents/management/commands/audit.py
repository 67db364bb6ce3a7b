"""``motcua audit verify`` and ``motcua audit checkpoint`` (docs/audit.md)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.documents import checkpoints
from motcua.dossiers.integrity import verify_log
from motcua.dossiers.ledger import audit_key
from motcua.keyfiles import KeyFileError


class Command(BaseCommand):
    help = (
        "Nhật ký xử lý hồ sơ: “motcua audit verify” kiểm tra niêm phong của mọi sự kiện, số thứ "
        "tự của nhật ký từng đơn vị, dữ liệu từng hồ sơ và các điểm kiểm tra đã ký; "
        "“motcua audit checkpoint” ký và ghi điểm kiểm tra (--loop: định kỳ)."
    )

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify", "checkpoint"])
        parser.add_argument(
            "--checkpoints",
            nargs="*",
            type=Path,
            help="tệp hoặc thư mục điểm kiểm tra (mặc định: MOTCUA_AUDIT_CHECKPOINT_DIR), "
            "ví dụ bản tỉnh đã nhận",
        )
        parser.add_argument("--loop", action="store_true", help="ghi điểm kiểm tra định kỳ")

    def handle(self, *args, subcommand, **options):
        try:
            key = audit_key()
        except KeyFileError as error:
            raise CommandError(str(error)) from error
        if subcommand == "checkpoint":
            return self.checkpoint(key, options["loop"])
        good, findings = checkpoints.read_checkpoints(key, options["checkpoints"])
        count, more = verify_log(key, good)
        findings += more
        if findings:
            for finding in findings:
                self.stderr.write(finding.message)
            dossiers = {f.dossier for f in findings if f.dossier}
            raise CommandError(
                f"Nhật ký bị thay đổi ngoài phần mềm: {len(findings)} phát hiện, "
                f"{len(dossiers)} hồ sơ được nêu tên."
            )
        self.stdout.write(
            f"Nhật ký nguyên vẹn: {count} sự kiện, {len(good)} điểm kiểm tra đã đối chiếu."
        )

    def checkpoint(self, key: bytes, loop: bool) -> None:
        passphrase = settings.MOTCUA_RECEIPT_PASSPHRASE
        if loop:
            checkpoints.loop(key, passphrase, settings.MOTCUA_AUDIT_CHECKPOINT_HOURS)
        for checkpoint in checkpoints.write_checkpoints(key, passphrase):
            how = "con dấu số" if checkpoint.method == "seal" else "khoá nhật ký (chưa có con dấu)"
            self.stdout.write(
                f"Đơn vị {checkpoint.unit}: điểm kiểm tra tại sự kiện số {checkpoint.number}, "
                f"ký bằng {how}."
            )

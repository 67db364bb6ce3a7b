"""``motcua restore SNAPSHOT``: into an empty installation, then verified."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.documents.backup import RestoreError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (motcua backup) vào MOTCUA_DATA_DIR và cơ sở dữ liệu trống, "
        "rồi kiểm tra nhật ký (audit verify) và số liệu thống kê (stats verify) trên bản khôi phục."
    )
    requires_system_checks = []  # nothing may open the database before it is in place

    def add_arguments(self, parser):
        parser.add_argument("snapshot", type=Path)

    def handle(self, *args, snapshot, **options):
        try:
            ok, lines = restore(snapshot)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        for line in lines[:-1]:
            self.stderr.write(line)
        self.stdout.write(lines[-1])
        if not ok:
            raise CommandError("Bản khôi phục không qua được kiểm tra.")

"""``motcua backup DIR``: the database, the files and the keys, consistent while running."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from motcua.documents.backup import MANIFEST, backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu, tệp hồ sơ, khoá nhật ký và điểm kiểm tra vào một thư mục mới "
        "trong DIR (nhất quán khi hệ thống đang chạy)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        snapshot = backup(directory)
        manifest = json.loads((snapshot / MANIFEST).read_text())
        self.stdout.write(
            f"Đã sao lưu vào {snapshot}: {manifest['dossiers']} hồ sơ, {manifest['events']} sự "
            f"kiện, {len(manifest['files'])} tệp. Giữ bản sao khoá nhật ký (keys/) tách khỏi "
            "bản sao cơ sở dữ liệu."
        )

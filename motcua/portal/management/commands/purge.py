"""``motcua purge [--loop]``: the housekeeping of what citizens leave behind (issue 13, M7)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from motcua.documents.orphans import sweep_orphan_files
from motcua.dossiers.privacy import prune_access_log
from motcua.portal.holding import clean_holding
from motcua.portal.purge import purge_unconfirmed


class Command(BaseCommand):
    help = (
        "Dọn dữ liệu: hồ sơ trực tuyến không được xác nhận quá MOTCUA_UNCONFIRMED_HOURS giờ "
        "(xoá tệp và thông tin người nộp), tệp giữ tạm quá 24 giờ, tệp không thuộc hồ sơ nào "
        "quá một ngày, nhật ký xem dữ liệu cá nhân quá MOTCUA_ACCESS_LOG_MONTHS tháng. "
        "--loop: mỗi giờ một lần (motcua serve chạy như vậy)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=int, default=3600)

    def handle(self, *args, loop=False, interval=3600, **options):
        while True:
            drafts, held, orphans = purge_unconfirmed(), clean_holding(), sweep_orphan_files()
            old_lines = prune_access_log()
            if not loop or drafts or held or orphans or old_lines:
                self.stdout.write(
                    f"Đã xoá {drafts} hồ sơ trực tuyến không được xác nhận, {held} bộ tệp giữ "
                    f"tạm, {orphans} tệp không thuộc hồ sơ nào, {old_lines} dòng nhật ký xem "
                    "dữ liệu cá nhân quá thời hạn lưu."
                )
            if not loop:
                return
            time.sleep(max(60, interval))

import time

from django.core.management.base import BaseCommand, CommandError

from motcua.core.dossier_rows import DossierFileError
from motcua.dossiers.importing import import_dossiers_file
from motcua.tabular import TableFileError


class Command(BaseCommand):
    help = "Nhập hồ sơ cũ từ tệp CSV/XLSX (từ phần mềm trước đây): nhập tất cả hoặc không nhập gì."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến độ")

    def handle(self, *args, **options):
        began = time.perf_counter()
        try:
            result = import_dossiers_file(
                options["file"], progress=False if options["no_progress"] else True
            )
        except (DossierFileError, TableFileError) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - began
        self.stdout.write(f"Đã nhập: {result} ({elapsed:.1f} giây)")

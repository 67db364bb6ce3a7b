from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.actions import import_procedures_file
from motcua.core.procedure_rows import CatalogFileError
from motcua.tabular import TableFileError


class Command(BaseCommand):
    help = "Nhập danh mục TTHC từ tệp CSV/XLSX (UTF-8): nhập tất cả hoặc không nhập gì."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .csv hoặc .xlsx")

    def handle(self, *args, **options):
        try:
            result = import_procedures_file(options["file"])
        except (CatalogFileError, TableFileError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã nhập danh mục: {result}")

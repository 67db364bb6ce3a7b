from django.core.management.base import BaseCommand

from motcua.catalog.queries import export_rows
from motcua.tabular import write_table


class Command(BaseCommand):
    help = "Xuất danh mục TTHC ra tệp CSV hoặc XLSX (cùng cấu trúc với tệp nhập)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .csv hoặc .xlsx")

    def handle(self, *args, **options):
        headers, rows = export_rows()
        write_table(options["file"], headers, rows, sheet_title="Danh mục TTHC")
        self.stdout.write(f"Đã xuất {len(rows)} thủ tục ra {options['file']}.")

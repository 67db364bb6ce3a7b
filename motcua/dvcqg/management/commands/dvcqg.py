"""`motcua dvcqg …`: the national portal connector from the command line (docs/portal.md)."""

from __future__ import annotations

import json
import secrets
import signal
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError
from motcua.core.portal_catalogue import FIELD_NAMES
from motcua.dvcqg import catalogue
from motcua.dvcqg.client import Connector, PortalError, connector_on
from motcua.dvcqg.fake import FakePortal
from motcua.dvcqg.models import ConnectorState, OutboxRow, PortalClient, token_digest
from motcua.dvcqg.payloads import agency_code
from motcua.dvcqg.push import push, unsent_count
from motcua.units.models import Unit


class Command(BaseCommand):
    help = "Kết nối Cổng Dịch vụ công quốc gia: gửi hàng đợi đồng bộ, chạy Cổng giả lập."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="command", required=True)
        p = sub.add_parser("push", help="gửi các lệnh đồng bộ đang chờ lên Cổng DVCQG")
        p.add_argument("--loop", action="store_true", help="chạy mãi, mỗi --interval giây")
        p.add_argument("--interval", type=float, default=30.0)
        p.add_argument("--force", action="store_true", help="gửi ngay, bỏ qua thời gian chờ")
        p = sub.add_parser("fake-portal", help="chạy Cổng DVCQG GIẢ LẬP trên 127.0.0.1")
        p.add_argument("--port", type=int, default=8099)
        p.add_argument("--username", default="motcua")
        p.add_argument("--password", default="matkhau-gia")
        p.add_argument("--dstcode", default="FAKE")
        p.add_argument("--catalogue", help="tệp JSON danh sách thủ tục của Cổng giả lập")
        p.add_argument(
            "--catalogue-from-db",
            action="store_true",
            help="Cổng giả lập công bố danh mục thủ tục đang có trong cơ sở dữ liệu (bản demo)",
        )
        sub.add_parser("status", help="tình trạng hàng đợi đồng bộ")
        p = sub.add_parser(
            "pull-catalogue",
            help="so sánh danh mục thủ tục với Cổng DVCQG; chỉ cập nhật khi được chấp nhận",
        )
        p.add_argument("--unit", help="mã đơn vị: hỏi danh mục của cơ quan này trên Cổng (madonvi)")
        chosen = p.add_mutually_exclusive_group()
        chosen.add_argument(
            "--accept",
            action="append",
            metavar="MÃ_TTHC",
            help="dùng giá trị của Cổng cho thủ tục này (lặp lại được)",
        )
        chosen.add_argument(
            "--accept-all", action="store_true", help="dùng giá trị của Cổng cho mọi thủ tục khác"
        )
        p = sub.add_parser(
            "add-client", help="cấp mã truy cập cho hệ thống gửi hồ sơ từ Cổng DVCQG sang"
        )
        p.add_argument("--name", required=True, help="tên hệ thống, ví dụ: Cổng DVCQG")
        p.add_argument(
            "--unit", action="append", required=True, help="mã đơn vị được gửi tới (lặp lại)"
        )

    def handle(self, *args, command, **options):
        if command == "push":
            return self.push(options)
        if command == "fake-portal":
            return self.fake(options)
        if command == "add-client":
            return self.add_client(options["name"], options["unit"])
        if command == "pull-catalogue":
            return self.pull_catalogue(options)
        return self.status()

    def add_client(self, name: str, codes: list[str]):
        units = list(Unit.objects.filter(code__in=codes))
        missing = sorted(set(codes) - {u.code for u in units})
        if missing:
            raise CommandError(f"Không có đơn vị mã: {', '.join(missing)}.")
        token = secrets.token_urlsafe(32)
        client = PortalClient.objects.create(name=name, token_digest=token_digest(token))
        client.units.set(units)
        self.stdout.write(
            f"Đã cấp mã truy cập cho “{name}”. Mã chỉ hiện một lần, hãy lưu lại:\n{token}"
        )

    def pull_catalogue(self, options):
        if not connector_on():
            raise CommandError("Chưa cấu hình Cổng DVCQG (MOTCUA_DVCQG_URL trống).")
        madonvi = ""
        if options["unit"]:
            if not Unit.objects.filter(code=options["unit"], desk__isnull=False).exists():
                raise CommandError(f"Không có Bộ phận Một cửa của đơn vị mã {options['unit']}.")
            madonvi = agency_code(options["unit"])
        try:
            connector = Connector()
            try:
                pulled = catalogue.pull(connector, madonvi)
            finally:
                connector.close()
        except PortalError as exc:
            raise CommandError(exc.message) from exc
        except ValueError as exc:  # the answer's shape, or the configured field names
            raise CommandError(str(exc)) from exc
        codes = None if options["accept_all"] else options["accept"]
        accepting = bool(options["accept_all"] or codes)
        self.stdout.write(catalogue.report(pulled, accepting=accepting))
        if not accepting:
            return
        try:
            accepted = catalogue.accept(pulled.comparison, codes)
        except (ValueError, DomainError) as exc:
            raise CommandError(f"{exc} Chưa thay đổi gì.") from exc
        self.stdout.write(
            f"\nĐã cập nhật theo Cổng DVCQG {len(accepted.codes)} thủ tục "
            f"({', '.join(accepted.codes)}): mỗi thủ tục có phiên bản mới, ghi vào nhật ký "
            "thay đổi cấu hình."
        )
        for change in accepted.skipped:
            self.stdout.write(
                f"Giữ nguyên {change.label.lower()} của {change.code}: Cổng DVCQG ghi "
                f"{catalogue.value_text(change.attribute, change.theirs)}."
            )

    def push(self, options):
        if not connector_on():
            raise CommandError("Chưa cấu hình Cổng DVCQG (MOTCUA_DVCQG_URL trống).")
        if options["loop"]:
            return self.loop(options["interval"])
        try:
            connector = Connector()
        except PortalError as exc:
            raise CommandError(exc.message) from exc
        result = push(connector, force=True)
        connector.close()
        self.stdout.write(f"Đã gửi {result.sent} lệnh đồng bộ lên Cổng DVCQG.")
        if result.drained:
            self.stdout.write("Hàng đợi đã hết.")
            return
        reasons = [result.stopped] if result.stopped else []
        if result.refused or result.dead:
            reasons.append(f"{result.refused + result.dead} lệnh bị Cổng từ chối")
        self.stderr.write(
            f"Còn {result.left} lệnh chưa gửi được"
            + (f" ({unsent_count() - result.left} lệnh đã dừng gửi)" if result.dead else "")
            + (": " + "; ".join(reasons) if reasons else ".")
        )
        sys.exit(2)

    def loop(self, interval: float):
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            try:
                result = push()
                if result.sent:
                    self.stdout.write(f"Đã gửi {result.sent} lệnh; còn {result.left}.")
            except PortalError as exc:
                self.stderr.write(exc.message)
            slept = 0.0
            while slept < interval and not stopping:
                time.sleep(0.2)
                slept += 0.2

    def fake(self, options):
        catalogue = []
        if options["catalogue"]:
            with open(options["catalogue"], encoding="utf-8") as handle:
                catalogue = json.load(handle)
        elif options["catalogue_from_db"]:
            catalogue = fake_catalogue()
        server = FakePortal(
            options["port"],
            username=options["username"],
            password=options["password"],
            dstcode=options["dstcode"],
            catalogue=catalogue,
        )
        self.stdout.write(
            f"Cổng DVCQG GIẢ LẬP (không phải Cổng thật) tại {server.url} — "
            f"tài khoản {options['username']}, dstcode {options['dstcode']}. Ctrl+C để dừng."
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()

    def status(self):
        counts = dict(OutboxRow.objects.order_by().values_list("status").annotate(n=Count("id")))
        labels = dict(OutboxRow.Status.choices)
        for status in OutboxRow.Status:
            self.stdout.write(f"{labels[status]}: {counts.get(status.value, 0)}")
        state = ConnectorState.objects.filter(pk=1).first()
        if state and state.last_success_at:
            self.stdout.write(
                "Đồng bộ thành công gần nhất: "
                + timezone.localtime(state.last_success_at).strftime("%H:%M:%S %d/%m/%Y")
            )
        if state and state.failing_since:
            self.stdout.write(f"Đang lỗi: {state.last_failure}")


def fake_catalogue() -> list[dict]:
    """Our active procedures as the FAKE portal publishes them (the demo's catalogue), in the
    names `motcua.core.portal_catalogue.FIELD_NAMES` reads."""
    names = FIELD_NAMES
    out = []
    for procedure in Procedure.objects.filter(is_active=True).select_related(
        "current_version__field"
    ):
        version = procedure.current_version
        if version is None:
            continue
        out.append(
            {
                names["code"]: procedure.portal_code or procedure.code,
                names["name"]: version.name,
                names["field_code"]: version.field.slug,
                names["field_name"]: version.field.name,
                names["duration"]: str(version.duration.normalize()),
                names["duration_unit"]: version.get_duration_unit_display(),
                names["fees"]: [{names["fee_amount"]: version.fee}] if version.fee else [],
                names["online_level"]: version.get_online_level_display()
                if version.online_level != "khong"
                else "",
                names["level"]: version.get_level_display(),
            }
        )
    return out

from django.core.management.base import BaseCommand, CommandError

from motcua.core.errors import DomainError
from motcua.core.feedback import Rules
from motcua.feedback.queries import rules_for
from motcua.units.models import Unit
from motcua.workflow.feedback import set_rules


class Command(BaseCommand):
    help = (
        "Xem hoặc đặt thời hạn xử lý phản ánh, kiến nghị của một tỉnh (ngày làm việc; mặc định "
        "theo Bộ chỉ số 766: từ chối 2, yêu cầu bổ sung 5, trả lời 15, công khai 2): "
        "motcua feedback-rules --province 19 [--handle 10]"
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="mã tỉnh, thành phố")
        for step in ("refuse", "ask", "handle", "publish"):
            parser.add_argument(f"--{step}", type=int)

    def handle(self, *args, province, **given):
        unit = Unit.objects.filter(code=province).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị hành chính mã {province}.")
        now = rules_for(unit)
        steps = ("refuse", "ask", "handle", "publish")
        if any(given.get(s) is not None for s in steps):
            try:
                now = Rules(
                    **{s: getattr(now, s) if given.get(s) is None else given[s] for s in steps}
                )
                set_rules(None, unit, now)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{unit.name}: từ chối {now.refuse}, yêu cầu bổ sung {now.ask}, trả lời "
            f"{now.handle}, công khai {now.publish} ngày làm việc."
        )

"""The procedure catalogue (danh mục TTHC), versioned."""

from __future__ import annotations

from django.db import models

from motcua.core.fees import FeeRule, describe
from motcua.core.formatting import money_vi
from motcua.core.procedure_rows import rule_for

DEFAULT_PROCESS = [
    {"step": "Tiếp nhận, kiểm tra hồ sơ", "role": "specialist", "share": 5},
    {"step": "Thẩm định, số hoá, dự thảo kết quả và tham mưu", "role": "specialist", "share": 60},
    {"step": "Lãnh đạo xem xét, ký duyệt", "role": "leader", "share": 20},
    {"step": "Văn thư vào số, đóng dấu, ban hành", "role": "clerk", "share": 10},
    {"step": "Thu phí, lệ phí và trả kết quả", "role": "specialist", "share": 5},
]


class Field(models.Model):
    """Lĩnh vực thủ tục hành chính (hộ tịch, chứng thực, đất đai …)."""

    name = models.CharField("tên lĩnh vực", max_length=120, unique=True)
    slug = models.SlugField("đường dẫn", max_length=120, unique=True)

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """Thủ tục hành chính: the stable identity (national code) of a procedure."""

    code = models.CharField("mã TTHC", max_length=20, unique=True)
    current_version = models.ForeignKey(
        "ProcedureVersion",
        verbose_name="phiên bản hiện hành",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    field = models.ForeignKey(
        Field, verbose_name="lĩnh vực", on_delete=models.PROTECT, related_name="procedures"
    )
    name = models.CharField("tên thủ tục", max_length=600)
    # The procedure's code on the national portal (MaTTHC); empty: its own code.
    portal_code = models.CharField("mã TTHC trên Cổng DVCQG", max_length=40, blank=True)
    search_text = models.TextField(editable=False, default="")
    is_active = models.BooleanField("đang áp dụng", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["field__name", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ProcedureVersion(models.Model):
    """One published version of a procedure; a dossier keeps the version it was received under."""

    class Level(models.TextChoices):
        COMMUNE = "xa", "Cấp xã"
        VERTICAL = "nganh_doc", "Cơ quan ngành dọc"

    class DurationUnit(models.TextChoices):
        WORKING_DAYS = "working_days", "ngày làm việc"
        WORKING_HOURS = "working_hours", "giờ làm việc"
        DAYS = "days", "ngày"

    class OnlineLevel(models.TextChoices):
        FULL = "toan_trinh", "Toàn trình"
        PARTIAL = "mot_phan", "Một phần"
        NONE = "khong", "Không (chỉ trực tiếp / bưu chính)"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    name = models.CharField("tên thủ tục", max_length=600)
    field = models.ForeignKey(Field, verbose_name="lĩnh vực", on_delete=models.PROTECT)
    level = models.CharField("cấp thực hiện", max_length=12, choices=Level.choices)
    agency = models.CharField("cơ quan thực hiện", max_length=300)
    duration = models.DecimalField("thời hạn giải quyết", max_digits=7, decimal_places=2)
    duration_unit = models.CharField("đơn vị thời hạn", max_length=16, choices=DurationUnit.choices)
    # The amount of a plain case (one page, one copy, at the desk): headline(fee_rule), kept
    # for the code and the reports that read one number.
    fee = models.PositiveBigIntegerField("phí, lệ phí (đồng)", default=0)
    # How the fee is computed (motcua.core.fees.rule_to_dict); {}: ``fee`` per case.
    fee_rule = models.JSONField("cách tính phí, lệ phí", default=dict, blank=True)
    fee_note = models.TextField("ghi chú phí, lệ phí", blank=True)
    online_level = models.CharField(
        "mức độ dịch vụ công trực tuyến", max_length=12, choices=OnlineLevel.choices
    )
    cross_border = models.BooleanField("tiếp nhận không phụ thuộc địa giới hành chính")
    components = models.JSONField("thành phần hồ sơ", default=list)
    result = models.CharField("kết quả giải quyết", max_length=600, blank=True)
    result_system = models.CharField(
        "hệ thống cấp kết quả",
        max_length=200,
        blank=True,
        help_text="Trống: xã tự lập, ký số, đóng dấu kết quả. Có tên: kết quả do hệ thống này "
        "cấp (ví dụ phần mềm hộ tịch của Bộ Tư pháp); công chức tải lên bản đã ký từ đó.",
    )
    process = models.JSONField("quy trình nội bộ", default=list)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    verified = models.BooleanField("đã đối chiếu nguồn công bố", default=False)
    notes = models.TextField("ghi chú", blank=True)
    source = models.TextField("nguồn", blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField("ngày áp dụng", auto_now_add=True)

    class Meta:
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    @property
    def is_same_day(self) -> bool:
        return self.duration == 0

    @property
    def duration_display(self) -> str:
        """ "Trong ngày" or "3 ngày làm việc" (Vietnamese number format)."""
        if self.duration == 0:
            return "Trong ngày (nhận sau 15 giờ: ngày làm việc tiếp theo)"
        number = format(self.duration.normalize(), "f").replace(".", ",")
        return f"{number} {self.get_duration_unit_display()}"

    @property
    def rule(self) -> FeeRule:
        """The fee rule this version was published with (motcua.core.fees)."""
        return rule_for(self.fee, self.fee_rule)

    @property
    def fee_display(self) -> str:
        """The rule in words ("Phí: 2.000 đồng/trang (trang 1–2) …"), or, when the version
        charges nothing, its note (a rule set elsewhere) or "Miễn phí"."""
        rule = self.rule
        if not rule.is_free:
            return describe(rule)
        if self.fee:
            return money_vi(self.fee)
        return self.fee_note or "Miễn phí"

    @property
    def is_online(self) -> bool:
        return self.online_level != self.OnlineLevel.NONE

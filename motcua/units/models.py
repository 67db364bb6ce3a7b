"""Administrative units, one-stop desks and their calendars."""

from __future__ import annotations

import re
from datetime import time

from django.core.exceptions import ValidationError
from django.db import models

from motcua.core.calendar import OfficeHours

ELECTRONIC_CODE_RE = re.compile(r"^[A-Z0-9]+(\.[A-Z0-9]+)*$")


def validate_electronic_code(value: str) -> None:
    """Mã định danh điện tử (QĐ 20/2020/QĐ-TTg): ≤ 35 chars of A-Z, 0-9 and '.'."""
    if len(value) > 35 or not ELECTRONIC_CODE_RE.match(value):
        raise ValidationError(
            "Mã định danh điện tử không hợp lệ: tối đa 35 ký tự gồm chữ in hoa A-Z, chữ số "
            "và dấu chấm ngăn cách các cấp (ví dụ H15.50.05.13)."
        )


def parse_office_hours(text: str):
    """Parse "07:30-11:30,13:00-17:00" into :class:`OfficeHours` (ValueError in Vietnamese)."""
    periods = []
    try:
        for part in text.split(","):
            start, end = (p.strip() for p in part.split("-"))
            periods.append((time.fromisoformat(start), time.fromisoformat(end)))
    except ValueError as exc:
        raise ValueError(
            f"Giờ làm việc “{text}” không đúng dạng HH:MM-HH:MM, phân cách bằng dấu phẩy."
        ) from exc
    return OfficeHours(periods=tuple(periods))


def validate_office_hours(value: str) -> None:
    try:
        parse_office_hours(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


class Unit(models.Model):
    """Đơn vị hành chính: a province (tỉnh/thành phố) or a commune (xã/phường/đặc khu)."""

    class Level(models.TextChoices):
        PROVINCE = "province", "Tỉnh/Thành phố"
        COMMUNE = "commune", "Xã/Phường/Đặc khu"

    code = models.CharField("mã đơn vị hành chính", max_length=8, primary_key=True)
    name = models.CharField("tên", max_length=120)
    division_type = models.CharField("loại", max_length=40)
    level = models.CharField("cấp", max_length=10, choices=Level.choices)
    province = models.ForeignKey(
        "self",
        verbose_name="tỉnh/thành phố",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
    )
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["code"]

    def __str__(self) -> str:
        if self.province_id:
            return f"{self.name}, {self.province.name} ({self.code})"
        return f"{self.name} ({self.code})"

    @property
    def province_code(self) -> str:
        return self.province_id or self.code


class Desk(models.Model):
    """Bộ phận Một cửa / Trung tâm Phục vụ hành chính công xã of one unit."""

    unit = models.OneToOneField(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="desk"
    )
    name = models.CharField("tên hiển thị", max_length=200)
    electronic_code = models.CharField(
        "mã định danh điện tử",
        max_length=35,
        unique=True,
        validators=[validate_electronic_code],
        help_text="Dùng trong mã số hồ sơ, ví dụ H15.50.05.13.",
    )
    # The desk's agency code on the national portal (madonvi); empty: its electronic code.
    portal_agency_code = models.CharField("mã đơn vị trên Cổng DVCQG", max_length=60, blank=True)
    office_hours = models.CharField(
        "giờ làm việc",
        max_length=120,
        default="07:30-11:30,13:00-17:00",
        validators=[validate_office_hours],
    )
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    hotline = models.CharField("đường dây nóng", max_length=40, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    # nội quy: posted on the disclosure board (the seed: "nội quy bộ phận")
    rules = models.TextField("nội quy Bộ phận Một cửa", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Bộ phận Một cửa"
        verbose_name_plural = "Bộ phận Một cửa"

    def __str__(self) -> str:
        return self.name


class CalendarOverride(models.Model):
    """A unit's own change to the working calendar: an extra day off or a make-up working day."""

    desk = models.ForeignKey(Desk, on_delete=models.CASCADE, related_name="calendar_overrides")
    date = models.DateField("ngày")
    is_working_day = models.BooleanField(
        "là ngày làm việc",
        help_text="Bật: ngày làm bù (làm việc). Tắt: ngày nghỉ thêm của đơn vị.",
    )
    note = models.CharField("ghi chú", max_length=200, blank=True)

    class Meta:
        verbose_name = "ngày điều chỉnh lịch làm việc"
        verbose_name_plural = "ngày điều chỉnh lịch làm việc"
        constraints = [
            models.UniqueConstraint(fields=["desk", "date"], name="unique_override_per_desk_day")
        ]
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "làm việc" if self.is_working_day else "nghỉ"
        return f"{self.date:%d/%m/%Y}: {kind}"


class ConfigChange(models.Model):
    """Nhật ký thay đổi cấu hình: who changed a setting that changes legal outcomes, when, and
    what it was before and after (calendar, office hours, desk, certificates, trusted
    authorities, the catalogue, report texts). Append-only; written in the change's own
    transaction (motcua.units.audit.record_change)."""

    class Kind(models.TextChoices):
        DESK_CREATED = "desk_created", "Lập Bộ phận Một cửa"
        DESK_CHANGED = "desk_changed", "Sửa thông tin Bộ phận Một cửa"
        OFFICE_HOURS = "office_hours", "Đổi giờ làm việc"
        OVERRIDE_ADDED = "override_added", "Thêm ngày điều chỉnh lịch làm việc"
        OVERRIDE_REMOVED = "override_removed", "Xoá ngày điều chỉnh lịch làm việc"
        CERTIFICATE = "certificate", "Lưu chứng thư số"
        AUTHORITY = "authority", "Tin cậy tổ chức chứng thực"
        CRL = "crl", "Nạp danh sách chứng thư bị thu hồi"
        CATALOGUE = "catalogue", "Nhập danh mục thủ tục hành chính"
        REPORT_TEXT = "report_text", "Sửa phần lời văn của báo cáo"
        PORTAL_CODES = "portal_codes", "Sửa mã trên Cổng DVCQG"
        PORTAL_RESEND = "portal_resend", "Gửi lại lệnh lên Cổng DVCQG"
        PAYMENT_SETTINGS = "payment_settings", "Sửa thiết lập thu phí, lệ phí"
        FEEDBACK_RULES = "feedback_rules", "Đặt thời hạn xử lý phản ánh, kiến nghị"
        COUNTER = "counter", "Sửa quầy tiếp nhận"
        SHIFT_ADDED = "shift_added", "Thêm ca trực"
        SHIFT_REMOVED = "shift_removed", "Xoá ca trực"

    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="config_changes",
        help_text="Trống: thay đổi chung của hệ thống (danh mục, tổ chức chứng thực).",
    )
    kind = models.CharField("loại thay đổi", max_length=24, choices=Kind.choices)
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField("người thực hiện", max_length=200)
    target = models.CharField("đối tượng", max_length=300, blank=True)
    before = models.JSONField("trước", null=True, blank=True)
    after = models.JSONField("sau", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "thay đổi cấu hình"
        verbose_name_plural = "nhật ký thay đổi cấu hình"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["unit", "-at"], name="config_change_unit")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}: {self.target}"


class ConfigGeneration(models.Model):
    """One row counting changes of the configuration that the request path caches (desks,
    calendars, the catalogue): a process compares it with the count it cached at
    (motcua.units.cache). Incremented with an UPDATE in the writer's transaction, so the
    committed value grows in commit order."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "thế hệ cấu hình"
        verbose_name_plural = "thế hệ cấu hình"

    def __str__(self) -> str:
        return str(self.value)

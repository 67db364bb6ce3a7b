"""Dossiers (hồ sơ), their append-only event log, and the daily code sequence."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models

from motcua.core.classify import Timeliness
from motcua.core.lifecycle import STATE_LABELS, State
from motcua.core.ratings import LEVELS


def new_tracking_token() -> str:
    return secrets.token_urlsafe(18)


class Channel(models.TextChoices):
    """Kênh tiếp nhận (DVCQG KenhThucHien: 1 direct, 2 online, 3 post)."""

    DIRECT = "direct", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    ONLINE_ASSISTED = "online_assisted", "Trực tuyến (công chức hỗ trợ nộp)"
    POST = "post", "Dịch vụ bưu chính công ích"


DVCQG_CHANNEL = {Channel.DIRECT: 1, Channel.ONLINE: 2, Channel.ONLINE_ASSISTED: 2, Channel.POST: 3}


class PaperLocation(models.TextChoices):
    """Where the paper dossier is (hồ sơ giấy)."""

    NONE = "none", "Không có hồ sơ giấy"
    DESK = "desk", "Tại Bộ phận Một cửa"
    SPECIALIST = "specialist", "Công chức chuyên môn giữ"
    LEADER = "leader", "Trình lãnh đạo"
    CLERK = "clerk", "Văn thư"
    RETURNED = "returned", "Đã trả cho công dân"
    ARCHIVED = "archived", "Đã lưu trữ"
    TRANSFERRED = "transferred", "Đã chuyển cơ quan khác"


class FeePaidVia(models.TextChoices):
    """How a dossier's fee was paid; bank transfers and the national payment platform are
    online payments for 766 indicator 3.6 (docs/fees.md)."""

    CASH = "cash", "Tiền mặt tại Bộ phận Một cửa"
    BANK = "bank", "Chuyển khoản (mã VietQR)"
    PORTAL = "portal", "Nền tảng thanh toán của Cổng DVCQG"


ONLINE_PAYMENT = frozenset({FeePaidVia.BANK, FeePaidVia.PORTAL})


class Dossier(models.Model):
    """Hồ sơ thủ tục hành chính: one application by one applicant for one procedure."""

    class ApplicantKind(models.TextChoices):
        PERSON = "person", "Cá nhân"
        ORGANISATION = "organisation", "Tổ chức"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="đơn vị tiếp nhận",
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name="thủ tục",
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name="phiên bản thủ tục",
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    code = models.CharField("mã hồ sơ", max_length=60, unique=True, null=True, blank=True)
    channel = models.CharField("kênh tiếp nhận", max_length=20, choices=Channel.choices)
    state = models.CharField(
        "trạng thái",
        max_length=24,
        choices=[(s.value, STATE_LABELS[s]) for s in State],
        default=State.DRAFT,
        db_index=True,
    )

    applicant_kind = models.CharField(
        "loại chủ hồ sơ",
        max_length=16,
        choices=ApplicantKind.choices,
        default=ApplicantKind.PERSON,
    )
    applicant_name = models.CharField("họ tên / tên tổ chức", max_length=200)
    # The name without diacritics, lower case (core.text.fold): the desk's search.
    applicant_folded = models.CharField(max_length=200, blank=True, editable=False)
    applicant_id_number = models.CharField(
        "số định danh / mã số thuế", max_length=20, blank=True, db_index=True
    )
    applicant_birth_date = models.DateField("ngày sinh", null=True, blank=True)
    applicant_sex = models.CharField("giới tính", max_length=4, blank=True)
    applicant_phone = models.CharField("điện thoại", max_length=20, blank=True)
    applicant_email = models.EmailField("thư điện tử", blank=True)
    applicant_address = models.CharField("địa chỉ", max_length=300, blank=True)
    representative = models.CharField("người đại diện", max_length=200, blank=True)

    submitted_components = models.JSONField("thành phần đã nộp", default=list, blank=True)
    # The form of each paper handed over: {name: "original" | "copy" | "certified_copy" |
    # "presented"} (core.components.PaperForm); printed on the receipt slip.
    submitted_forms = models.JSONField("hình thức giấy tờ đã nộp", default=dict, blank=True)
    copies = models.PositiveSmallIntegerField("số bộ hồ sơ", default=1)
    result_delivery = models.CharField("nhận kết quả tại", max_length=120, blank=True)

    submitted_at = models.DateTimeField("thời điểm nộp", null=True, blank=True)
    received_at = models.DateTimeField("thời điểm tiếp nhận", null=True, blank=True, db_index=True)
    due_at = models.DateTimeField("hẹn trả kết quả", null=True, blank=True, db_index=True)
    original_due_at = models.DateTimeField("hẹn trả lần đầu", null=True, blank=True)
    paused_minutes = models.PositiveIntegerField("thời gian tạm dừng (phút làm việc)", default=0)
    supplement_requests = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    pending_supplement_since = models.DateTimeField(null=True, blank=True)
    apologized_at = models.DateTimeField("đã xin lỗi, hẹn lại lúc", null=True, blank=True)
    done_at = models.DateTimeField("có kết quả lúc", null=True, blank=True)
    ended_at = models.DateTimeField("kết thúc xử lý lúc", null=True, blank=True, db_index=True)
    returned_at = models.DateTimeField("trả kết quả lúc", null=True, blank=True)
    timeliness = models.CharField(
        "kết quả về thời hạn",
        max_length=10,
        choices=[(t.value, t.value) for t in Timeliness],
        blank=True,
    )

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="công chức xử lý",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
    )
    paper_location = models.CharField(
        "vị trí hồ sơ giấy",
        max_length=16,
        choices=PaperLocation.choices,
        default=PaperLocation.NONE,
    )
    paper_collected_by = models.CharField("người nhận kết quả giấy", max_length=200, blank=True)
    transferred_to = models.CharField("chuyển liên thông đến", max_length=300, blank=True)
    received_from = models.CharField("nhận liên thông từ", max_length=300, blank=True)
    components_digitised = models.BooleanField("thành phần hồ sơ đã số hoá", default=False)
    result_digitised = models.BooleanField("kết quả đã số hoá", default=False)
    reused_stored_document = models.BooleanField("có tái sử dụng dữ liệu số hoá", default=False)
    imported = models.BooleanField("nhập từ phần mềm cũ", default=False)
    # Its fee as the portal and the statistics read it (the requests, payments and receipts
    # themselves: motcua.payments): the amount asked for (None: nothing asked), when it was
    # paid and how (FeePaidVia).
    fee_amount = models.PositiveBigIntegerField(
        "phí, lệ phí phải nộp (đồng)", null=True, blank=True
    )
    fee_paid_at = models.DateTimeField("thời điểm nộp phí, lệ phí", null=True, blank=True)
    fee_paid_via = models.CharField(
        "hình thức nộp phí, lệ phí", max_length=8, choices=FeePaidVia.choices, blank=True
    )
    # The statistics cell this dossier is counted in (reports.StatCell), so a change can move
    # its counts from the old cell to the new one exactly (motcua.reports.cells).
    stat_cell = models.CharField(max_length=400, blank=True, editable=False)

    tracking_token = models.CharField(max_length=32, unique=True, default=new_tracking_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        indexes = [
            models.Index(fields=["unit", "state", "due_at"], name="dossier_worklist"),
            models.Index(fields=["unit", "received_at"], name="dossier_received"),
            # The API's list, newest first by cursor: a commune's, and a province's.
            models.Index(fields=["unit", "-created_at", "-id"], name="dossier_newest"),
            models.Index(fields=["-created_at", "-id"], name="dossier_newest_all"),
        ]

    def __str__(self) -> str:
        return self.code or f"Hồ sơ nháp {self.pk}"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[State(self.state)]


class DossierEvent(models.Model):
    """Nhật ký xử lý: one append-only, hash-chained event per change of a dossier."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField("thứ tự")
    action = models.CharField("thao tác", max_length=32)
    from_state = models.CharField("từ trạng thái", max_length=24, blank=True)
    to_state = models.CharField("sang trạng thái", max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField("người thực hiện", max_length=200)
    actor_role = models.CharField("vai trò", max_length=20)
    at = models.DateTimeField("thời điểm", db_index=True)
    note = models.TextField("ghi chú", blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The seals (core.audit, docs/audit.md): the unit's number of this event (1, 2, … without a
    # gap over all the unit's dossiers), the seal of the unit's previous event, the seal of the
    # dossier's row as this event left it, the dossier's previous seal, and this event's seal.
    number = models.PositiveBigIntegerField("số thứ tự trong nhật ký đơn vị", default=0)
    unit_prev = models.CharField(max_length=64, default="", blank=True)
    row = models.CharField(max_length=64, default="", blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "sự kiện xử lý hồ sơ"
        verbose_name_plural = "nhật ký xử lý hồ sơ"
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="unique_event_seq"),
            models.UniqueConstraint(fields=["unit", "number"], name="unique_event_number"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.seq} {self.action}"


class AuditHead(models.Model):
    """A unit's audit log head: the number and seal of its latest event (docs/audit.md).

    Each event takes the next number here under this row's lock, so the unit's events are
    numbered without a gap and each names the seal of the one before."""

    unit = models.OneToOneField(
        "units.Unit", on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    last = models.PositiveBigIntegerField(default=0)
    head = models.CharField(max_length=64)

    class Meta:
        verbose_name = "đầu nhật ký đơn vị"
        verbose_name_plural = "đầu nhật ký đơn vị"

    def __str__(self) -> str:
        return f"{self.unit_id} #{self.last}"


class DossierSync(models.Model):
    """Where one dossier stands with the national portal (Cổng DVCQG): its code there, the
    number of its last outbox row (motcua.dvcqg), the rows not yet sent, and when the portal
    first and last accepted it — 766 indicator 1.4 counts the dossiers it has accepted."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.PROTECT, primary_key=True, related_name="sync"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    portal_code = models.CharField("mã hồ sơ trên Cổng", max_length=60, unique=True)
    received_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    # Submitted on the portal, which holds it already (its first upsert updates).
    from_portal = models.BooleanField("nộp trên Cổng DVCQG", default=False)
    last_seq = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField("lệnh chờ gửi", default=0)
    failing = models.BooleanField("đang lỗi", default=False)
    first_synced_at = models.DateTimeField("đồng bộ lần đầu", null=True, blank=True)
    last_synced_at = models.DateTimeField("đồng bộ gần nhất", null=True, blank=True)

    class Meta:
        verbose_name = "tình trạng đồng bộ hồ sơ"
        verbose_name_plural = "tình trạng đồng bộ hồ sơ"
        indexes = [models.Index(fields=["unit", "received_at"], name="dossier_sync_received")]

    def __str__(self) -> str:
        return self.portal_code


class DailySequence(models.Model):
    """The last dossier number given at a unit on a day (never reused)."""

    unit_code = models.CharField(max_length=35)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_code", "day"], name="unique_sequence_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.day:%d/%m/%Y}: {self.last}"


class PersonalDataAccess(models.Model):
    """Nhật ký truy cập dữ liệu cá nhân: who was shown which person's data in full, when and
    from where — a citizen ID revealed, a dossier's contact data shown, a list or export with
    them. Append-only; rows older than MOTCUA_ACCESS_LOG_MONTHS are pruned (docs/security.md)."""

    class What(models.TextChoices):
        ID_NUMBER = "id_number", "Số định danh cá nhân / mã số thuế"
        CONTACT = "contact", "Điện thoại, thư điện tử, địa chỉ, ngày sinh của một hồ sơ"
        LIST = "list", "Danh sách hồ sơ kèm thông tin liên hệ"
        EXPORT = "export", "Xuất tệp có thông tin cá nhân"

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user_name = models.CharField("cán bộ", max_length=200)
    # None for a list or an export of many dossiers (``detail`` says which)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="data_accesses", null=True, blank=True
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    what = models.CharField("dữ liệu", max_length=20, choices=What.choices)
    detail = models.CharField("chi tiết", max_length=300, blank=True)
    address = models.CharField("địa chỉ máy", max_length=64, blank=True)

    class Meta:
        verbose_name = "lần xem dữ liệu cá nhân"
        verbose_name_plural = "nhật ký xem dữ liệu cá nhân"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user_name}: {self.get_what_display()}"


class Rating(models.Model):
    """Đánh giá mức độ hài lòng của người dân về việc giải quyết một hồ sơ: one per dossier and
    channel (motcua.core.ratings), changeable for a few days; each giving or change is also an
    event of the dossier's sealed history (``rate``)."""

    class EnteredBy(models.TextChoices):
        CITIZEN = "citizen", "Người dân tự đánh giá"
        OFFICIAL = "official", "Cán bộ ghi thay"

    id = models.BigAutoField(primary_key=True)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="ratings")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("kênh đánh giá", max_length=12)
    level = models.PositiveSmallIntegerField("mức hài lòng")
    criteria = models.JSONField("điểm các tiêu chí", default=dict, blank=True)
    entered_by = models.CharField("người nhập", max_length=10, choices=EnteredBy.choices)
    # the official who entered it for the citizen, or whose kiosk tablet it was given on
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField("địa chỉ máy", max_length=64, blank=True)
    created_at = models.DateTimeField("thời điểm đánh giá", db_index=True)
    updated_at = models.DateTimeField("lần sửa gần nhất")

    class Meta:
        verbose_name = "đánh giá mức độ hài lòng"
        verbose_name_plural = "đánh giá mức độ hài lòng"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "channel"], name="one_rating_per_channel")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.channel}: {self.level}"

    @property
    def level_label(self) -> str:
        return LEVELS[self.level]

    @property
    def is_new(self) -> bool:
        """Given once and not changed since (``rate_dossier`` stamps both at the first)."""
        return self.created_at == self.updated_at

"""The national portal connector's record: the outbox of calls, the connector's last answer, and
the portal's clients that may post dossiers to us. Each dossier's own sync state is part of the
record below (:class:`motcua.dossiers.models.DossierSync`), where the statistics read it."""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL


class OutboxRow(models.Model):
    """One call the portal must receive (an upsert or a progress step), written in the
    dossier's transaction with the event it reports; sent in ``seq`` order per dossier."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Gửi lỗi, sẽ gửi lại"
        DEAD = "dead", "Dừng gửi (cần xử lý)"

    id = models.BigAutoField(primary_key=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="portal_rows"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField("thứ tự")
    event = models.ForeignKey(
        "dossiers.DossierEvent", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField("thao tác", max_length=32)
    service = models.CharField("dịch vụ của Cổng", max_length=40)
    payload = models.JSONField("nội dung gửi")
    status = models.CharField(
        "trạng thái", max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    next_try_at = models.DateTimeField("gửi lại lúc", null=True, blank=True)
    answer = models.TextField("trả lời của Cổng", blank=True)
    created_at = models.DateTimeField("lập lúc", db_index=True)
    sent_at = models.DateTimeField("gửi được lúc", null=True, blank=True)

    class Meta:
        verbose_name = "lệnh đồng bộ Cổng DVCQG"
        verbose_name_plural = "hàng đợi đồng bộ Cổng DVCQG"
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="unique_portal_row_seq")
        ]
        indexes = [
            # The push's scan: the rows not yet sent, oldest first.
            models.Index(
                fields=["id"],
                name="portal_row_unsent",
                condition=models.Q(status__in=["pending", "failed"]),
            ),
            models.Index(fields=["unit", "status", "created_at"], name="portal_row_unit"),
            # The sync page: the calls not sent, grouped by dossier and counted by status
            # (the index holds all it reads), and the calls sent on each day.
            models.Index(
                fields=["unit", "dossier", "status", "created_at"],
                name="portal_row_queue",
                condition=models.Q(status__in=["pending", "failed", "dead"]),
            ),
            models.Index(
                fields=["unit", "sent_at"],
                name="portal_row_sent",
                condition=models.Q(sent_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} #{self.seq} ({self.get_status_display()})"


# The conditions of the partial indexes above, as literal SQL: SQLite's planner uses a partial
# index only when the query repeats its condition with the same literal values (a bound
# parameter proves nothing to it); PostgreSQL is served either way.
DUE_CONDITION = RawSQL(
    "\"dvcqg_outboxrow\".\"status\" IN ('pending', 'failed')", (), output_field=BooleanField()
)
UNSENT_CONDITION = RawSQL(
    "\"dvcqg_outboxrow\".\"status\" IN ('pending', 'failed', 'dead')",
    (),
    output_field=BooleanField(),
)


class ConnectorState(models.Model):
    """The connector's last word with the portal (one row): shown on the sync page."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_failure = models.TextField(blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    login_refused = models.BooleanField(default=False)
    paused_until = models.DateTimeField(null=True, blank=True)
    # The push's lease: one pusher at a time across processes (holder, until when).
    holder = models.CharField(max_length=80, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tình trạng kết nối Cổng DVCQG"

    def __str__(self) -> str:
        return "Kết nối Cổng DVCQG"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PortalClient(models.Model):
    """A system allowed to post dossiers submitted on the portal to us (the portal, or the
    province's integration platform): its token is kept as a SHA-256 digest only."""

    name = models.CharField("tên", max_length=200)
    token_digest = models.CharField(max_length=64, unique=True)
    units = models.ManyToManyField("units.Unit", verbose_name="đơn vị được gửi hồ sơ tới")
    is_active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "hệ thống gửi hồ sơ từ Cổng DVCQG"
        verbose_name_plural = "hệ thống gửi hồ sơ từ Cổng DVCQG"

    def __str__(self) -> str:
        return self.name

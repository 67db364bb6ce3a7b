"""Staff accounts, their unit and roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """Vai trò trong Bộ phận Một cửa (GLOSSARY.md "Roles")."""

    HEAD = "head", "Trưởng bộ phận"
    DEPUTY = "deputy", "Phó bộ phận"
    SPECIALIST = "specialist", "Công chức chuyên môn"
    LEADER = "leader", "Lãnh đạo ký duyệt"
    CLERK = "clerk", "Văn thư"
    OVERSEER = "overseer", "Cán bộ theo dõi cấp tỉnh"
    ADMIN = "admin", "Quản trị hệ thống"


class User(AbstractUser):
    """Tài khoản cán bộ, công chức (or a system administrator)."""

    full_name = models.CharField("họ và tên", max_length=120, blank=True)
    title = models.CharField("chức danh", max_length=160, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="Xã/phường nơi công tác; với cán bộ theo dõi cấp tỉnh là tỉnh.",
    )
    is_police = models.BooleanField("Công an xã", default=False)
    is_military = models.BooleanField("Ban Chỉ huy Quân sự xã", default=False)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    fields = models.ManyToManyField(
        "catalog.Field", verbose_name="lĩnh vực phụ trách", blank=True, related_name="specialists"
    )

    class Meta:
        verbose_name = "cán bộ"
        verbose_name_plural = "cán bộ"
        ordering = ["unit_id", "full_name", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def role_codes(self) -> frozenset[str]:
        """The user's roles, read once per request object."""
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = self.keep_roles(self.staff_roles.values_list("role", flat=True))
        return cached

    def keep_roles(self, codes) -> frozenset[str]:
        """Keep the roles read with the user (``codes``: the ``StaffRole`` rows' roles) for
        this request object; a superuser is also an administrator."""
        kept = frozenset(codes) | ({Role.ADMIN} if self.is_superuser else frozenset())
        self._role_codes = kept
        return kept

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes() & set(roles))


class StaffRole(models.Model):
    """One role held by a member of staff (a chairman is both head and leader)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")]

    def __str__(self) -> str:
        return self.get_role_display()


class FailureCount(models.Model):
    """Failed attempts of one subject (an account, an address, a dossier code) in one window,
    or a lock-out until a moment: shared by every worker (``motcua.accounts.throttle``)."""

    scope = models.CharField(max_length=40)
    subject = models.CharField(max_length=200)
    # The end of the window (or of the lock), in seconds since the epoch: rows past it are dead.
    expires = models.BigIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "lần thất bại"
        verbose_name_plural = "lần thất bại"
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "subject", "expires"], name="unique_failure_window"
            )
        ]
        indexes = [models.Index(fields=["expires"], name="failure_expires")]

    def __str__(self) -> str:
        return f"{self.scope} {self.subject}: {self.last}"

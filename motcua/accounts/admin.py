from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from motcua.accounts.forms import AdminLoginForm
from motcua.accounts.models import StaffRole, User

# the admin's log-in says until when a locked log-in waits (motcua.accounts.throttle)
admin.site.login_form = AdminLoginForm


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "title",
        "unit",
        "is_police",
        "is_military",
        "is_active",
    ]
    list_filter = ["is_active", "is_police", "is_military", "staff_roles__role"]
    search_fields = ["username", "full_name", "title"]
    autocomplete_fields = ["unit"]
    filter_horizontal = ["fields", "groups", "user_permissions"]
    inlines = [StaffRoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "Cán bộ",
            {
                "fields": (
                    "full_name",
                    "title",
                    "unit",
                    "phone",
                    "email",
                    "fields",
                    "is_police",
                    "is_military",
                )
            },
        ),
        (
            "Quyền",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Thời gian", {"fields": ("last_login", "date_joined")}),
    )

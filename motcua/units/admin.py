from django.contrib import admin

from motcua.units.models import CalendarOverride, ConfigChange, Desk, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_folded"]
    readonly_fields = ["code", "name", "division_type", "level", "province"]


class CalendarOverrideInline(admin.TabularInline):
    """Shown, not edited: calendar days change only on the desk page, which logs them."""

    model = CalendarOverride
    extra = 0
    can_delete = False
    readonly_fields = ["date", "is_working_day", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "electronic_code", "office_hours"]
    search_fields = ["name", "electronic_code", "unit__name"]
    autocomplete_fields = ["unit"]
    # Office hours move every due date: changed on the desk page, with its log entry.
    readonly_fields = ["office_hours"]
    inlines = [CalendarOverrideInline]


@admin.register(ConfigChange)
class ConfigChangeAdmin(admin.ModelAdmin):
    """The configuration log, read-only (append-only by design)."""

    list_display = ["at", "unit", "kind", "actor_name", "target"]
    list_filter = ["kind"]
    search_fields = ["target", "actor_name", "unit__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

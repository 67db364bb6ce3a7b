from django.contrib import admin

from motcua.units.models import CalendarOverride, Desk, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_folded"]
    readonly_fields = ["code", "name", "division_type", "level", "province"]


class CalendarOverrideInline(admin.TabularInline):
    model = CalendarOverride
    extra = 0


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "electronic_code", "office_hours"]
    search_fields = ["name", "electronic_code", "unit__name"]
    autocomplete_fields = ["unit"]
    inlines = [CalendarOverrideInline]

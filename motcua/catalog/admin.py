from django.contrib import admin

from motcua.catalog.models import Field, Procedure, ProcedureVersion


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "name", "duration", "duration_unit", "fee", "online_level", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "is_active"]
    list_filter = ["field", "is_active"]
    search_fields = ["code", "search_text"]
    readonly_fields = ["current_version"]
    inlines = [VersionInline]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    """Versions are history: read them here, change them by importing a new catalogue file."""

    list_display = ["procedure", "number", "name", "duration", "duration_unit", "fee"]
    search_fields = ["procedure__code", "name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

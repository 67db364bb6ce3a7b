from django.contrib import admin

from motcua.feedback.models import Feedback, FeedbackRules


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnly):
    """Read-only: every change is a step of the desk's pages (motcua.workflow.feedback)."""

    list_display = ("code", "unit", "title", "status", "received_at", "handle_by")
    list_filter = ("status", "about", "source")
    search_fields = ("code", "title")


@admin.register(FeedbackRules)
class FeedbackRulesAdmin(ReadOnly):
    """Read-only: set with ``motcua feedback-rules`` (its change is in the configuration log)."""

    list_display = ("province", "refuse_days", "ask_days", "handle_days", "publish_days")

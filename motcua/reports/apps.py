from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    verbose_name = "Thống kê, báo cáo"
    default_auto_field = "django.db.models.BigAutoField"

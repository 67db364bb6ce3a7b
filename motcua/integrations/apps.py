from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    verbose_name = "Kết nối, đối chiếu với Cổng DVCQG"
    default_auto_field = "django.db.models.BigAutoField"

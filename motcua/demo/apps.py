from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Dữ liệu mẫu: the demo commune, its staff, a year of dossiers, signed results."""

    name = "motcua.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"

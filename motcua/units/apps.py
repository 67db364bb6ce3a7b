from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "motcua.units"
    label = "units"
    verbose_name = "Đơn vị và Bộ phận Một cửa"

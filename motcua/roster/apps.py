from django.apps import AppConfig


class RosterConfig(AppConfig):
    name = "motcua.roster"
    label = "roster"
    verbose_name = "Lịch trực"

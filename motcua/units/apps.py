from django.apps import AppConfig
from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save


class UnitsConfig(AppConfig):
    name = "motcua.units"
    label = "units"
    verbose_name = "Đơn vị và Bộ phận Một cửa"

    def ready(self) -> None:
        # Cache bookkeeping, not business rules: a saved desk or calendar day moves the
        # configuration generation (motcua.units.cache).
        from motcua.units import cache
        from motcua.units.models import CalendarOverride, Desk

        request_started.connect(cache.new_request, dispatch_uid="units-cache-request")
        for model in (Desk, CalendarOverride):
            for signal in (post_save, post_delete):
                signal.connect(
                    cache.configuration_changed,
                    sender=model,
                    dispatch_uid=f"units-cache-{model.__name__}-{signal}",
                )

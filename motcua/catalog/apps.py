from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = "Danh mục thủ tục hành chính"

    def ready(self) -> None:
        # A changed procedure, version or field moves the configuration generation, so every
        # process reads the catalogue afresh (motcua.units.cache).
        from motcua.catalog.models import Field, Procedure, ProcedureVersion
        from motcua.units import cache

        for model in (Field, Procedure, ProcedureVersion):
            for signal in (post_save, post_delete):
                signal.connect(
                    cache.configuration_changed,
                    sender=model,
                    dispatch_uid=f"catalog-cache-{model.__name__}-{signal}",
                )

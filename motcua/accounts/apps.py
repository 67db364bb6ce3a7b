from django.apps import AppConfig, apps

# The admin sections and models of the libraries we use, named in Vietnamese (theirs are
# English): label → (section, model names).
LIBRARY_NAMES = {
    "authtoken": ("Mã truy cập API", {"token": "mã truy cập API", "tokenproxy": "mã truy cập API"}),
    "django_tasks_database": (
        "Việc chạy nền",
        {"dbtaskresult": "việc chạy nền (gửi thông báo, nhận dạng chữ)"},
    ),
}


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"
    verbose_name = "Cán bộ và phân quyền"

    def ready(self) -> None:
        for label, (section, models) in LIBRARY_NAMES.items():
            try:
                config = apps.get_app_config(label)
            except LookupError:
                continue
            config.verbose_name = section
            for model in config.get_models():
                name = models.get(model._meta.model_name)
                if name:
                    model._meta.verbose_name = model._meta.verbose_name_plural = name

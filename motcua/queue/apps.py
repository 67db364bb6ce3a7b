from django.apps import AppConfig


class QueueConfig(AppConfig):
    name = "motcua.queue"
    label = "queue"
    verbose_name = "Số thứ tự"

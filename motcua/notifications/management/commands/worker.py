"""`motcua worker`: django-tasks' ``db_worker`` that survives its own death.

It names itself host:pid and, before it takes any task, makes the tasks a killed worker of this
machine left running ready again (``motcua.background.recover_interrupted``), so a kill -9 or a
power cut in the middle of sending a message or of OCR loses nothing. Same options as
``db_worker``; the worker id is its own."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from motcua.background import recover_interrupted, worker_id


class Command(DbWorker):
    help = "Tiến trình nền: gửi thông báo, nhận dạng chữ, đồng bộ; làm lại việc bị ngắt giữa chừng."

    def handle(self, *args, **options):
        options["worker_id"] = worker_id()
        recovered = recover_interrupted()
        if recovered:
            self.stdout.write(
                f"Làm lại {recovered} việc nền bị ngắt giữa chừng "
                "(tiến trình nền trước đã dừng đột ngột)."
            )
        return super().handle(*args, **options)

"""The desk's pages. The namespace stays ``dossiers`` (the addresses are /ho-so/…)."""

from django.urls import path

from motcua.workflow import views, views_feedback, views_roster

app_name = "dossiers"
urlpatterns = [
    path("", views.my_work, name="worklist"),
    path("tiep-nhan/", views.intake_start, name="intake_start"),
    path("so-theo-doi/", views.log_book, name="log_book"),
    path("tiep-nhan/<str:code>/", views.intake, name="intake"),
    path("khoi-luong/", views_roster.workload_page, name="workload"),
    path("goi-so/", views_roster.call_next, name="queue_call"),
    path("goi-so/xong/", views_roster.finish_ticket, name="queue_finish"),
    path("phan-anh/", views_feedback.feedback_list, name="feedback_list"),
    path("phan-anh/moi/", views_feedback.feedback_new, name="feedback_new"),
    path("phan-anh/<uuid:pk>/", views_feedback.feedback_detail, name="feedback_detail"),
    path(
        "phan-anh/<uuid:pk>/buoc/<str:name>/",
        views_feedback.feedback_step,
        name="feedback_step",
    ),
    path(
        "phan-anh/<uuid:pk>/tep/<uuid:file_id>/",
        views_feedback.feedback_file,
        name="feedback_file",
    ),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/xem-so-dinh-danh/", views.reveal_id, name="reveal_id"),
    path("<uuid:pk>/thao-tac/<str:name>/", views.act, name="act"),
    path("<uuid:pk>/phieu/<str:form>.pdf", views.slip, name="slip"),
    path("<uuid:pk>/ket-qua/du-thao/", views.draft_result, name="draft_result"),
    path("<uuid:pk>/ket-qua/ky-duyet/", views.sign_result, name="sign_result"),
    path("<uuid:pk>/ket-qua/ban-hanh/", views.seal_result, name="seal_result"),
]

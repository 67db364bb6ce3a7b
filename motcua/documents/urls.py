from django.urls import path

from motcua.documents import views

app_name = "documents"
urlpatterns = [
    path("ho-so/<uuid:pk>/tep/<uuid:file_id>/", views.download, name="download"),
    path(
        "ho-so/<uuid:pk>/tep/<uuid:file_id>/ban-tim-kiem/",
        views.download_searchable,
        name="download_searchable",
    ),
    path("ho-so/<uuid:pk>/so-hoa/", views.attach_component, name="attach_component"),
    path(
        "ho-so/<uuid:pk>/tep/<uuid:file_id>/thong-tin/", views.describe_file, name="describe_file"
    ),
    path(
        "ho-so/<uuid:pk>/kho/<uuid:document_id>/dung-lai/",
        views.reuse_document,
        name="reuse_document",
    ),
    path("tai-khoan/chung-thu-so/", views.certificates, name="certificates"),
    path("xac-thuc/", views.verify, name="verify"),
]

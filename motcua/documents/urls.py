from django.urls import path

from motcua.documents import views

app_name = "documents"
urlpatterns = [
    path("ho-so/<uuid:pk>/ket-qua/du-thao/", views.draft_result, name="draft_result"),
    path("ho-so/<uuid:pk>/ket-qua/ky-duyet/", views.sign_result, name="sign_result"),
    path("ho-so/<uuid:pk>/ket-qua/ban-hanh/", views.seal_result, name="seal_result"),
    path("ho-so/<uuid:pk>/tep/<uuid:file_id>/", views.download, name="download"),
    path("tai-khoan/chung-thu-so/", views.certificates, name="certificates"),
    path("xac-thuc/", views.verify, name="verify"),
]

from django.urls import path

from motcua.reports import draft_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ho-so/", views.dossiers_behind, name="dossiers"),
    path("tai/<str:fmt>/", views.download, name="download"),
    # the drafted report's narrative parts, remembered for the next report
    path("loi-van/<str:code>/", draft_views.edit_draft, name="draft_edit"),
]

"""The duty roster's pages (/bo-phan/lich-truc/…)."""

from django.urls import path

from motcua.workflow import views_roster as views

app_name = "roster"
urlpatterns = [
    path("", views.roster_page, name="week"),
    path("ban-in.pdf", views.roster_pdf, name="pdf"),
    path("them/", views.add_shift, name="add"),
    path("chep-tuan-truoc/", views.copy_week, name="copy"),
    path("quay/", views.save_counter, name="counter"),
    path("<uuid:pk>/xoa/", views.remove_shift, name="remove"),
]

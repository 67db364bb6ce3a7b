from django.urls import path

from motcua.integrations import views

app_name = "integrations"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("mau/<str:kind>.<str:fmt>", views.sample, name="sample"),
    path("<str:code>/", views.unit_page, name="unit"),
    path("<str:code>/<uuid:pk>/", views.detail, name="detail"),
    path("<str:code>/<uuid:pk>/xuat.<str:fmt>", views.export, name="export"),
]

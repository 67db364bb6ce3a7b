from django.urls import path

from motcua.units import views

app_name = "units"
urlpatterns = [
    path("", views.my_desk, name="mine"),
    path("<str:code>/", views.desk_page, name="desk"),
    path("<str:code>/lich/", views.add_calendar_override, name="add_override"),
    path(
        "<str:code>/lich/<int:override_id>/xoa/",
        views.remove_calendar_override,
        name="remove_override",
    ),
    path("<str:code>/gio-lam-viec/", views.set_office_hours, name="office_hours"),
    path("<str:code>/noi-quy/", views.set_desk_rules, name="rules"),
]

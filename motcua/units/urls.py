from django.urls import path

from motcua.units import views

app_name = "units"
urlpatterns = [
    path("", views.my_desk, name="mine"),
    path("<str:code>/", views.desk_page, name="desk"),
    path("<str:code>/lich/", views.add_calendar_override, name="add_override"),
]

from django.urls import path

from motcua.integrations import sync_views

app_name = "sync"
urlpatterns = [
    path("", sync_views.sync_page, name="page"),
    path("gui-lai/", sync_views.resend, name="resend"),
    path("ma-so/", sync_views.portal_codes, name="portal_codes"),
]

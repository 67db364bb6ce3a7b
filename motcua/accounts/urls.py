from django.contrib.auth import views as auth_views
from django.urls import path

from motcua.accounts import views
from motcua.accounts.forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("dang-nhap/ma-xac-thuc/", views.mfa_verify, name="mfa_verify"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("xac-thuc-hai-lop/", views.mfa_setup, name="mfa_setup"),
    path("xac-thuc-hai-lop/ma-du-phong/", views.mfa_new_codes, name="mfa_new_codes"),
    path("doi-mat-khau/", views.PasswordChange.as_view(), name="password_change"),
    path("ma-truy-cap/thu-hoi/", views.revoke_token, name="revoke_token"),
]

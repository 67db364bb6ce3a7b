from django.urls import path

from motcua.payments import views, views_figures, views_office

app_name = "payments"
urlpatterns = [
    path("ho-so/<uuid:pk>/phi/yeu-cau/", views.request_fee, name="request"),
    path("ho-so/<uuid:pk>/phi/huy-yeu-cau/", views.cancel_fee, name="cancel"),
    path("ho-so/<uuid:pk>/phi/tien-mat/", views.take_cash, name="cash"),
    path("ho-so/<uuid:pk>/phi/de-nghi-nop-phi.pdf", views.payment_slip, name="slip"),
    path(
        "ho-so/<uuid:pk>/phi/khoan-nop/<uuid:payment_id>/hoan-tra/",
        views.refund_payment,
        name="refund",
    ),
    path(
        "ho-so/<uuid:pk>/phi/bien-lai/<uuid:receipt_id>/thay-the/",
        views.replace_receipt,
        name="replace_receipt",
    ),
    path("thu-phi/bien-lai/<uuid:receipt_id>.pdf", views.receipt_pdf, name="receipt_pdf"),
]

# The desk's fee office, "Thu phí, lệ phí" (views_office).
urlpatterns += [
    path("thu-phi/", views_office.office, name="office"),
    path("thu-phi/ky-so-bien-lai/", views_office.sign_receipts, name="sign_receipts"),
    path("thu-phi/tong-hop-bien-lai/", views_office.receipt_summary, name="receipt_summary"),
    path("thu-phi/sao-ke/", views_office.statements, name="statements"),
    path("thu-phi/sao-ke/<uuid:import_id>/", views_office.statement, name="statement"),
    path("thu-phi/thiet-lap/", views_office.settings_page, name="settings"),
    path("thu-phi/thiet-lap/khoa-thong-bao/", views_office.new_key, name="new_key"),
    path(
        "thu-phi/thiet-lap/thong-bao-uy-nhiem/",
        views_office.delegation_notice,
        name="delegation_notice",
    ),
]

# Phí, lệ phí đã thu: the money figures of a period (views_figures).
urlpatterns += [
    path("thu-phi/so-lieu/", views_figures.figures, name="figures"),
    path("thu-phi/so-lieu.xlsx", views_figures.figures_xlsx, name="figures_xlsx"),
]

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from motcua import api
from motcua.catalog.api import ProcedureViewSet
from motcua.integrations import api as integrations_api
from motcua.payments import api as payments_api
from motcua.portal import views as portal
from motcua.portal import views_board as board
from motcua.portal import views_feedback as feedback
from motcua.portal import views_online as online
from motcua.portal import views_queue as queue
from motcua.portal import views_rating as rating
from motcua.portal import views_tracking as tracking
from motcua.reports import api as reports_api
from motcua.units import api as units_api
from motcua.workflow import api as workflow_api
from motcua.workflow import api_feedback as feedback_api
from motcua.workflow.api import DossierViewSet

router = DefaultRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")

api_v1 = [
    path("auth/token/", api.obtain_token, name="api-token"),
    path("calendar/due-date", units_api.due_date, name="api-due-date"),
    path("units/<str:code>/desk/", units_api.desk_detail, name="api-desk"),
    path("reports/figures", reports_api.figures, name="api-report-figures"),
    path("worklist/", workflow_api.worklist_api, name="api-worklist"),
    path("feedback/", feedback_api.feedback_api, name="api-feedback"),
    path("feedback/<str:code>/", feedback_api.feedback_item_api, name="api-feedback-item"),
    # Dossiers submitted on the national portal, posted by its clients (Bearer token only).
    path(
        "portal/dossiers/",
        integrations_api.PortalDossierView.as_view(),
        name="api-portal-dossiers",
    ),
    path(
        "portal/payments/",
        integrations_api.PortalPaymentView.as_view(),
        name="api-portal-payments",
    ),
    # A dossier's fee (docs/fees.md), before the router's dossier routes.
    path(
        "dossiers/<str:code>/payment-request/",
        payments_api.payment_request,
        name="api-payment-request",
    ),
    path("dossiers/<str:code>/payment/", payments_api.payment, name="api-payment"),
    path("dossiers/<str:code>/payment/cash/", payments_api.cash, name="api-payment-cash"),
    path("bank/notices/", payments_api.bank_notice, name="api-bank-notice"),
    # The result's address ends in ".pdf", without the router's trailing slash.
    path(
        "dossiers/<str:code>/result.pdf",
        DossierViewSet.as_view({"get": "result_pdf"}),
        name="api-dossier-result",
    ),
    *router.urls,
]

admin.site.site_header = "Quản trị MộtCửa"
admin.site.site_title = "MộtCửa"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path(
        "",
        include(
            (
                [
                    path("", portal.home, name="home"),
                    path("thu-tuc/", portal.catalogue, name="catalogue"),
                    path("thu-tuc/<str:code>/", portal.procedure_detail, name="procedure"),
                ],
                "portal",
            )
        ),
    ),
    path(
        "nop-truc-tuyen/",
        include(
            (
                [
                    path("", online.choose, name="choose"),
                    path("xac-nhan/<str:token>/", online.confirm, name="confirm"),
                    path("<str:code>/", online.submit, name="submit"),
                ],
                "online",
            )
        ),
    ),
    path("niem-yet/", board.board, name="board"),
    path("niem-yet/ban-in.pdf", board.poster, name="board_poster"),
    path("lay-so/", queue.kiosk, name="queue_kiosk"),
    path("lay-so/phieu/", queue.take, name="queue_take"),
    path("lay-so/dang-goi/", queue.calling, name="queue_calling"),
    path("phan-anh/", feedback.feedback_page, name="feedback"),
    path("phan-anh/<str:token>/", feedback.mine, name="feedback_mine"),
    path("phan-anh/<str:token>/<str:name>/", feedback.mine_step, name="feedback_mine_step"),
    path("danh-gia/", rating.kiosk, name="rating_kiosk"),
    path("danh-gia/quay/", rating.kiosk_panel, name="rating_kiosk_panel"),
    path("danh-gia/quay/<uuid:pk>/", rating.kiosk_rate, name="rating_kiosk_rate"),
    path("danh-gia/<str:token>/", rating.rate_by_token, name="rating"),
    path("tra-cuu/", tracking.tracking, name="tracking"),
    path("tra-cuu/<str:token>/", tracking.tracking_by_token, name="tracking_token"),
    path("tra-cuu/<str:token>/ket-qua.pdf", tracking.result_download, name="tracking_result"),
    path("tra-cuu/<str:token>/bien-lai.pdf", tracking.receipt_download, name="tracking_receipt"),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("bo-phan/lich-truc/", include("motcua.workflow.urls_roster")),
    path("bo-phan/", include("motcua.units.urls")),
    path("", include("motcua.documents.urls")),
    path("", include("motcua.payments.urls")),
    path("ho-so/", include("motcua.workflow.urls")),
    path("doi-chieu/", include("motcua.integrations.urls")),
    path("dong-bo-dvcqg/", include("motcua.integrations.sync_urls")),
    path("thong-ke/", include("motcua.reports.urls")),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

handler404 = "motcua.api.page_not_found"
handler500 = "motcua.api.server_error"

from django.urls import include, path
from django.views.i18n import set_language

from ipops.api import api

urlpatterns = [
    path("", include("ipops.portal.urls")),
    path("accounts/", include("ipops.accounts.urls")),
    path("audit/", include("ipops.audit.urls")),
    path("patents/", include("ipops.corpus.urls")),
    path("search/", include("ipops.search.urls")),
    path("landscape/", include("ipops.landscape.urls")),
    path("valuation/", include("ipops.valuation.urls")),
    path("market/", include("ipops.market.urls")),
    path("finance/", include("ipops.finance.urls")),
    path("notifications/", include("ipops.notifications.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
]

handler403 = "ipops.portal.views.forbidden"
handler404 = "ipops.portal.views.not_found"
handler500 = "ipops.portal.views.server_error"

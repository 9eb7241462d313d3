from django.urls import path

from ipops.valuation import views

app_name = "valuation"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("rescore/", views.rescore, name="rescore"),
    path("patents/<int:patent_id>/", views.patent_value, name="patent_value"),
    path("high-value/", views.high_value, name="high_value"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/<int:award_list_id>/", views.award_detail, name="award_detail"),
    path("awards/<int:award_list_id>/delete/", views.award_delete, name="award_delete"),
    path("populations/", views.populations, name="populations"),
    path("portfolios/", views.portfolio_list, name="portfolio_list"),
    path("portfolios/<int:portfolio_id>/", views.portfolio_detail, name="portfolio_detail"),
    path("portfolios/<int:portfolio_id>/change/", views.portfolio_change, name="portfolio_change"),
    path(
        "portfolios/<int:portfolio_id>/refresh/", views.portfolio_refresh, name="portfolio_refresh"
    ),
    path("portfolios/<int:portfolio_id>/delete/", views.portfolio_delete, name="portfolio_delete"),
    path("portfolios/<int:portfolio_id>/enrol/", views.portfolio_enrol, name="portfolio_enrol"),
    path("programme/", views.programme, name="programme"),
    path("programme/<int:entry_id>/withdraw/", views.programme_withdraw, name="programme_withdraw"),
]

from django.urls import path

from ipops.market import matching_views, statistics_views, views

app_name = "market"

urlpatterns = [
    path("", views.listing_list, name="listing_list"),
    path("listings/new/", views.listing_create, name="listing_create"),
    path("listings/<int:listing_id>/", views.listing_detail, name="listing_detail"),
    path("listings/<int:listing_id>/withdraw/", views.listing_withdraw, name="listing_withdraw"),
    path("listings/<int:listing_id>/inquire/", views.deal_open, name="deal_open"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<int:need_id>/", matching_views.need_detail, name="need_detail"),
    path("needs/<int:need_id>/matches/", matching_views.need_matches, name="need_matches"),
    path(
        "needs/<int:need_id>/matches/feedback/",
        matching_views.need_feedback,
        name="need_feedback",
    ),
    path(
        "listings/<int:listing_id>/matches/",
        matching_views.listing_matches,
        name="listing_matches",
    ),
    path(
        "listings/<int:listing_id>/matches/feedback/",
        matching_views.listing_feedback,
        name="listing_feedback",
    ),
    path("deals/", views.deal_list, name="deal_list"),
    path("deals/<int:deal_id>/", views.deal_detail, name="deal_detail"),
    path("deals/<int:deal_id>/move/", views.deal_move, name="deal_move"),
    path("deals/<int:deal_id>/messages/", views.deal_message, name="deal_message"),
    path(
        "deals/<int:deal_id>/documents/",
        views.deal_document_upload,
        name="deal_document_upload",
    ),
    path(
        "deals/<int:deal_id>/documents/<int:document_id>/",
        views.deal_document,
        name="deal_document",
    ),
    path("statistics/", statistics_views.statistics, name="statistics"),
    path("notices/", statistics_views.notices, name="notices"),
]

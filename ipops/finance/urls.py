from django.urls import path

from ipops.finance import views

app_name = "finance"

urlpatterns = [
    path("pledges/", views.pledge_list, name="pledge_list"),
    path("pledges/new/", views.pledge_create, name="pledge_create"),
    path("pledges/import/", views.pledge_import, name="pledge_import"),
    path("pledges/<int:pledge_id>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pledge_id>/release/", views.pledge_release, name="pledge_release"),
    path("pledges/<int:pledge_id>/change/", views.pledge_change, name="pledge_change"),
]

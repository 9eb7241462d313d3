from django.urls import path

from ipops.corpus import views

app_name = "corpus"

urlpatterns = [
    path("", views.patent_list, name="patent_list"),
    path("<int:patent_id>/", views.patent_detail, name="patent_detail"),
    path("organizations/<int:entity_id>/", views.entity_detail, name="entity_detail"),
    path("quality/", views.quality, name="quality"),
    path("names/", views.name_review, name="name_review"),
]

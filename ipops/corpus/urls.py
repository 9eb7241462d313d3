from django.urls import path

from ipops.corpus import views

app_name = "corpus"

urlpatterns = [
    path("", views.patent_list, name="patent_list"),
    path("<int:patent_id>/", views.patent_detail, name="patent_detail"),
    path("organizations/<int:entity_id>/", views.entity_detail, name="entity_detail"),
    path("organizations/<int:entity_id>/link/", views.entity_link, name="entity_link"),
    path("quality/", views.quality, name="quality"),
    path("names/", views.name_review, name="name_review"),
    path("fields/", views.field_list, name="field_list"),
    path("fields/key/<slug:code>/", views.key_field_detail, name="key_field_detail"),
    path("fields/key/<slug:code>/edit/", views.key_field_edit, name="key_field_edit"),
    path("fields/sei/<str:code>/", views.sei_category, name="sei_category"),
]

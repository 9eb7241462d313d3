from django.urls import path

from ipops.search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("export.<str:file_format>", views.export, name="export"),
    path("saved/", views.saved_list, name="saved_list"),
    path("saved/<int:saved_id>/run/", views.saved_run, name="saved_run"),
    path("saved/<int:saved_id>/delete/", views.saved_delete, name="saved_delete"),
]

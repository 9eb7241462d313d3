from django.urls import path

from ipops.landscape import views

app_name = "landscape"

urlpatterns = [
    path("", views.dataset_list, name="dataset_list"),
    path("datasets/<int:dataset_id>/", views.dataset_detail, name="dataset_detail"),
    path("datasets/<int:dataset_id>/members/", views.dataset_members, name="dataset_members"),
    path("datasets/<int:dataset_id>/delete/", views.dataset_delete, name="dataset_delete"),
    path("datasets/<int:dataset_id>/report/", views.report, name="report"),
    path(
        "datasets/<int:dataset_id>/report.<str:file_format>",
        views.report_file,
        name="report_file",
    ),
]

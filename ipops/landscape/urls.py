from django.urls import path

from ipops.landscape import evaluation_views, views

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
    path("datasets/<int:dataset_id>/exports/", views.report_exports, name="report_exports"),
    path("report-tasks/<int:task_id>/", views.report_task, name="report_task"),
    path("report-tasks/<int:task_id>/file", views.report_task_file, name="report_task_file"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<int:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<int:project_id>/move/", views.project_move, name="project_move"),
    path("projects/<int:project_id>/attach/", views.project_attach, name="project_attach"),
    path("screening/", evaluation_views.screening, name="screening"),
    path(
        "screening.<str:file_format>", evaluation_views.screening_file, name="screening_file"
    ),
    path("screening/save/", evaluation_views.screening_save, name="screening_save"),
    path("organisations/", evaluation_views.organisation_search, name="organisation_search"),
    path(
        "organisations/<int:entity_id>/",
        evaluation_views.organisation_profile,
        name="organisation_profile",
    ),
    path(
        "organisations/<int:entity_id>/profile.<str:file_format>",
        evaluation_views.organisation_profile_file,
        name="organisation_profile_file",
    ),
]

from django.urls import path

from ipops.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("healthz", views.healthz, name="healthz"),
]

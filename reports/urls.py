from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/", views.portfolio, name="portfolio"),
    path("o/<slug:slug>/", views.organisation, name="organisation"),
]

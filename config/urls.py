from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("reports.urls")),
    path("", include("accounts.urls")),
    path("", include("assessments.urls")),
    path("", include("assessments.respond_urls")),
    path("", include("assessments.workshop_urls")),
    path("api/", include("reports.api.urls")),
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("health/ready/", views.ready, name="ready"),
]

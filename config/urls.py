from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

from . import views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("", include("accounts.urls")),
    path("", include("assessments.urls")),
    path("", include("assessments.respond_urls")),
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
]

from django.urls import path

from .views import respond

app_name = "respond"

urlpatterns = [
    path("r/<str:token>/", respond.start, name="start"),
    path("r/<str:token>/about-you/", respond.perspective, name="perspective"),
    path("r/<str:token>/priorities/", respond.importance, name="importance"),
    path("r/<str:token>/pillar/<slug:code>/", respond.pillar, name="pillar"),
    path("r/<str:token>/answer/<str:code>/", respond.answer, name="answer"),
    path("r/<str:token>/review/", respond.review, name="review"),
    path("r/<str:token>/submit/", respond.submit, name="submit"),
]

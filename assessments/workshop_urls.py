"""Live workshops: the consultant's presenter pages, and the short join URL for phones."""

from django.urls import path

from .views import workshop

app_name = "workshop"

urlpatterns = [
    path("o/<slug:slug>/assessments/<int:pk>/workshops/new/", workshop.start, name="start"),
    path("o/<slug:slug>/workshops/<int:pk>/", workshop.present, name="present"),
    path("o/<slug:slug>/workshops/<int:pk>/stage/", workshop.stage, name="stage"),
    path("o/<slug:slug>/workshops/<int:pk>/drive/", workshop.drive, name="drive"),
    path("o/<slug:slug>/workshops/<int:pk>/agree/", workshop.agree, name="agree"),
    path("o/<slug:slug>/workshops/<int:pk>/end/", workshop.end, name="end"),
    path("o/<slug:slug>/workshops/<int:pk>/results/", workshop.results, name="results"),
    path("w/", workshop.join, name="join"),
    path("w/<str:code>/", workshop.room, name="room"),
    path("w/<str:code>/state/", workshop.participant_state, name="state"),
    path("w/<str:code>/vote/", workshop.vote, name="vote"),
]

"""Live workshops: the consultant's presenter pages, and the short join URL for phones."""

from django.urls import path

from .views.workshop import presenter, room

app_name = "workshop"

urlpatterns = [
    path("o/<slug:slug>/assessments/<int:pk>/workshops/new/", presenter.start, name="start"),
    path("o/<slug:slug>/workshops/<int:pk>/", presenter.present, name="present"),
    path("o/<slug:slug>/workshops/<int:pk>/stage/", presenter.stage, name="stage"),
    path("o/<slug:slug>/workshops/<int:pk>/drive/", presenter.drive, name="drive"),
    path("o/<slug:slug>/workshops/<int:pk>/agree/", presenter.agree, name="agree"),
    path("o/<slug:slug>/workshops/<int:pk>/end/", presenter.end, name="end"),
    path("o/<slug:slug>/workshops/<int:pk>/results/", presenter.results, name="results"),
    path(
        "o/<slug:slug>/workshops/<int:pk>/participants/<int:participant_pk>/remove/",
        presenter.remove_participant,
        name="remove_participant",
    ),
    path("w/", room.join, name="join"),
    path("w/<str:code>/", room.room, name="room"),
    path("w/<str:code>/state/", room.participant_state, name="state"),
    path("w/<str:code>/vote/", room.vote, name="vote"),
]

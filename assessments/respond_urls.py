from django.urls import path

from .views import respond

app_name = "respond"

# The personal link is only an entry: it sets a cookie and sends the respondent on to pages
# whose addresses hold no token, so that tokens stay out of logs and Referer headers.
urlpatterns = [
    path("r/<str:token>/", respond.start, name="start"),
    path("respond/", respond.resume, name="resume"),
    path("respond/about-you/", respond.perspective, name="perspective"),
    path("respond/priorities/", respond.importance, name="importance"),
    path("respond/pillar/<slug:code>/", respond.pillar, name="pillar"),
    path("respond/answer/<str:code>/", respond.answer, name="answer"),
    path("respond/review/", respond.review, name="review"),
    path("respond/submit/", respond.submit, name="submit"),
    path("respond/workshop/<str:code>/", respond.workshop, name="workshop"),
]

from django.urls import path

from .views import manage

app_name = "assessments"

urlpatterns = [
    path("o/<slug:slug>/assessments/new/", manage.create, name="create"),
    path("o/<slug:slug>/assessments/<int:pk>/", manage.detail, name="detail"),
    path("o/<slug:slug>/assessments/<int:pk>/edit/", manage.edit, name="edit"),
    path("o/<slug:slug>/assessments/<int:pk>/open/", manage.open_for_answers, name="open"),
    path("o/<slug:slug>/assessments/<int:pk>/close/", manage.close, name="close"),
    path("o/<slug:slug>/assessments/<int:pk>/publish/", manage.publish, name="publish"),
    path("o/<slug:slug>/assessments/<int:pk>/invite/", manage.invite, name="invite"),
    path(
        "o/<slug:slug>/assessments/<int:pk>/invite-previous/",
        manage.invite_previous,
        name="invite_previous",
    ),
    path("o/<slug:slug>/assessments/<int:pk>/follow-up/", manage.follow_up, name="follow_up"),
    path(
        "o/<slug:slug>/assessments/<int:pk>/respondents/<int:response_pk>/resend/",
        manage.resend,
        name="resend",
    ),
    path(
        "o/<slug:slug>/assessments/<int:pk>/respondents/<int:response_pk>/revoke/",
        manage.revoke,
        name="revoke",
    ),
    path(
        "o/<slug:slug>/assessments/<int:pk>/respondents/<int:response_pk>/erase/",
        manage.erase,
        name="erase",
    ),
]

"""Organisation-scoped routes of the meetings app (included under `<slug:org_slug>/`)."""

from django.urls import path

from faireavec.meetings.views import backoffice, public

app_name = "meetings"

urlpatterns = [
    path("reunions/", public.meeting_list_public, name="meeting_list_public"),
    path("reunions/agenda.ics", public.calendar_feed, name="calendar_feed"),
    path("reunions/<int:meeting_pk>/", public.meeting_detail, name="meeting_detail"),
    path("reunions/<int:meeting_pk>/agenda.ics", public.meeting_ics, name="meeting_ics"),
    path(
        "reunions/<int:meeting_pk>/inscription/", public.meeting_register, name="meeting_register"
    ),
    path(
        "reunions/inscription/<str:meetingregistration_code>/",
        public.registration_manage,
        name="registration_manage",
    ),
    path("reunions/<int:meeting_pk>/forum/", public.forum_public, name="forum_public"),
    path(
        "reunions/forum/sujets/<int:forumtopic_pk>/soutenir/",
        public.topic_support_view,
        name="topic_support",
    ),
    path("gestion/reunions/", backoffice.meeting_list, name="meeting_list"),
    path("gestion/reunions/nouvelle/", backoffice.meeting_create_view, name="meeting_create"),
    path("gestion/reunions/serie/nouvelle/", backoffice.series_create_view, name="series_create"),
    path("gestion/reunions/<int:meeting_pk>/", backoffice.meeting_manage, name="meeting_manage"),
    path(
        "gestion/reunions/<int:meeting_pk>/modifier/", backoffice.meeting_edit, name="meeting_edit"
    ),
    path(
        "gestion/reunions/<int:meeting_pk>/annuler/",
        backoffice.meeting_cancel_view,
        name="meeting_cancel",
    ),
    path(
        "gestion/reunions/<int:meeting_pk>/inscriptions/nouvelle/",
        backoffice.registration_add,
        name="registration_add",
    ),
    path(
        "gestion/reunions/<int:meeting_pk>/presence/",
        backoffice.attendance_view,
        name="attendance",
    ),
    path(
        "gestion/reunions/<int:meeting_pk>/feuille-de-presence.pdf",
        backoffice.attendance_sheet,
        name="attendance_sheet",
    ),
    path(
        "gestion/reunions/<int:meeting_pk>/compte-rendu/", backoffice.minutes_view, name="minutes"
    ),
    path(
        "gestion/reunions/<int:meeting_pk>/contributions/nouvelle/",
        backoffice.contribution_add,
        name="contribution_add",
    ),
    path("gestion/reunions/<int:meeting_pk>/forum/", backoffice.forum_manage, name="forum_manage"),
    path(
        "gestion/reunions/<int:meeting_pk>/forum/salles/", backoffice.room_add_view, name="room_add"
    ),
    path(
        "gestion/reunions/<int:meeting_pk>/forum/creneaux/",
        backoffice.slot_add_view,
        name="slot_add",
    ),
    path(
        "gestion/reunions/forum/sujets/<int:forumtopic_pk>/placer/",
        backoffice.topic_place_view,
        name="topic_place",
    ),
    path(
        "gestion/reunions/forum/sujets/<int:forumtopic_pk>/",
        backoffice.topic_session,
        name="topic_session",
    ),
]

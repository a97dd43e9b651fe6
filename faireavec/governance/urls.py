"""Organisation-scoped routes of governance (included under `<slug:org_slug>/`)."""

from django.urls import path

from faireavec.governance.views import assemblies, backoffice, elections, polls, public, space

app_name = "governance"

urlpatterns = [
    # Members' pages
    path("assemblees/", public.assembly_list_public, name="assembly_list_public"),
    path("assemblees/<int:assembly_pk>/", public.assembly_public, name="assembly_public"),
    path("assemblees/<int:assembly_pk>/voter/", public.assembly_vote, name="assembly_vote"),
    path("assemblees/<int:assembly_pk>/pouvoir/", public.assembly_proxy, name="assembly_proxy"),
    path("assemblees/<int:assembly_pk>/bulletins/", public.ballot_list, name="ballot_list"),
    path("assemblees/<int:assembly_pk>/journal/", public.assembly_log_public, name="assembly_log"),
    path("assemblees/<int:assembly_pk>/proces-verbal.pdf", public.minutes_pdf, name="minutes_pdf"),
    # Consultations
    path("consultations/", polls.poll_list_public, name="poll_list_public"),
    path("consultations/<int:poll_pk>/", polls.poll_public, name="poll_public"),
    path("gestion/consultations/", polls.poll_list, name="poll_list"),
    path("gestion/consultations/nouvelle/", polls.poll_create_view, name="poll_create"),
    path("gestion/consultations/<int:poll_pk>/", polls.poll_detail, name="poll_detail"),
    path("gestion/consultations/<int:poll_pk>/cloturer/", polls.poll_close_view, name="poll_close"),
    # Members' space
    path("espace-societaires/", space.member_space, name="member_space"),
    path(
        "espace-societaires/discussions/nouvelle/",
        space.discussion_create,
        name="discussion_create",
    ),
    path(
        "espace-societaires/discussions/<int:discussion_pk>/",
        space.discussion_detail,
        name="discussion_detail",
    ),
    path("espace-societaires/questions/nouvelle/", space.question_create, name="question_create"),
    path(
        "espace-societaires/questions/<int:boardquestion_pk>/",
        space.question_detail,
        name="question_detail",
    ),
    path("gestion/espace-societaires/", space.member_space_admin, name="member_space_admin"),
    path(
        "gestion/espace-societaires/questions/<int:boardquestion_pk>/",
        space.question_answer,
        name="question_answer",
    ),
    path(
        "gestion/espace-societaires/questions/<int:boardquestion_pk>/moderer/",
        space.question_moderate,
        name="question_moderate",
    ),
    path(
        "gestion/espace-societaires/discussions/<int:discussion_pk>/moderer/",
        space.discussion_moderate,
        name="discussion_moderate",
    ),
    path(
        "gestion/espace-societaires/reponses/<int:discussionreply_pk>/moderer/",
        space.reply_moderate,
        name="reply_moderate",
    ),
    # Back office: register, colleges, statutes
    path("gestion/societaires/", backoffice.member_list, name="member_list"),
    path("gestion/societaires/nouveau/", backoffice.member_create, name="member_create"),
    path("gestion/societaires/import/", backoffice.member_import, name="member_import"),
    path("gestion/societaires/<int:member_pk>/", backoffice.member_edit, name="member_edit"),
    path("gestion/colleges/", backoffice.college_edit, name="college_edit"),
    path("gestion/statuts/", backoffice.statutes_edit, name="statutes_edit"),
    # Back office: bodies
    path("gestion/instances/", backoffice.body_list, name="body_list"),
    path("gestion/instances/nouvelle/", backoffice.body_create, name="body_create"),
    path("gestion/instances/<int:body_pk>/", backoffice.body_detail, name="body_detail"),
    path(
        "gestion/instances/<int:body_pk>/elections/nouvelle/",
        elections.election_create_view,
        name="election_create",
    ),
    path("gestion/elections/<int:election_pk>/", elections.election_detail, name="election_detail"),
    # Back office: assemblies
    path("gestion/assemblees/", assemblies.assembly_list, name="assembly_list"),
    path("gestion/assemblees/nouvelle/", assemblies.assembly_create, name="assembly_create"),
    path(
        "gestion/assemblees/<int:assembly_pk>/", assemblies.assembly_detail, name="assembly_detail"
    ),
    path(
        "gestion/assemblees/<int:assembly_pk>/modifier/",
        assemblies.assembly_edit,
        name="assembly_edit",
    ),
    path(
        "gestion/assemblees/<int:assembly_pk>/resolutions/nouvelle/",
        assemblies.resolution_create,
        name="resolution_create",
    ),
    path(
        "gestion/resolutions/<int:resolution_pk>/",
        assemblies.resolution_edit,
        name="resolution_edit",
    ),
    path(
        "gestion/assemblees/<int:assembly_pk>/convoquer/",
        assemblies.assembly_convene_view,
        name="assembly_convene",
    ),
    path(
        "gestion/assemblees/<int:assembly_pk>/cloturer/",
        assemblies.assembly_close_view,
        name="assembly_close",
    ),
    path("gestion/assemblees/<int:assembly_pk>/bureau/", assemblies.bureau, name="bureau"),
    path(
        "gestion/assemblees/<int:assembly_pk>/proces-verbal/",
        assemblies.minutes_manage,
        name="minutes_manage",
    ),
]

"""Organisation-scoped routes (included under `<slug:org_slug>/`).

URL arguments are named `<model>_<field>` (`site_pk`, `invitation_token`) so the
other-organisation test can find a real object for each of them.
"""

from django.urls import path

from faireavec.organisations.views import backoffice, public

app_name = "organisations"

urlpatterns = [
    path("", public.organisation_home, name="home"),
    path("charte/", public.charter, name="charter"),
    path("charte/accepter/", public.charter_accept_page, name="charter_accept"),
    path("lieux/", public.site_list, name="site_list"),
    path("rejoindre/<str:invitation_token>/", public.invitation_join, name="invitation_join"),
    path("gestion/", backoffice.backoffice_home, name="backoffice_home"),
    path("gestion/premiers-pas/", backoffice.onboarding, name="onboarding"),
    path("gestion/organisation/", backoffice.organisation_edit, name="organisation_edit"),
    path("gestion/membres/", backoffice.member_list, name="member_list"),
    path("gestion/membres/<int:membership_pk>/", backoffice.member_update, name="member_update"),
    path("gestion/invitations/", backoffice.invitation_list, name="invitation_list"),
    path(
        "gestion/invitations/<int:invitation_pk>/",
        backoffice.invitation_detail,
        name="invitation_detail",
    ),
    path(
        "gestion/invitations/<int:invitation_pk>/affiche/",
        backoffice.invitation_poster,
        name="invitation_poster",
    ),
    path(
        "gestion/invitations/<int:invitation_pk>/affiche.pdf",
        backoffice.invitation_poster_pdf,
        name="invitation_poster_pdf",
    ),
    path(
        "gestion/invitations/<int:invitation_pk>/retirer/",
        backoffice.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("gestion/lieux/", backoffice.site_manage, name="site_manage"),
    path("gestion/lieux/<int:site_pk>/", backoffice.site_edit, name="site_edit"),
    path("gestion/charte/", backoffice.charter_edit, name="charter_edit"),
]

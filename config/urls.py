"""Root URL configuration.

Platform-wide pages live at the top level. Everything an organisation owns lives
under `/<org_slug>/` (public side) and `/<org_slug>/gestion/` (back office): each
FaireAvec app with a `urls.py` is included there, and the tenancy middleware
resolves the organisation from the slug. Organisation slugs may not take any
top-level segment used here (see `faireavec.organisations.validators`).
"""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from faireavec.accounts.entrance import ConfirmLoginCode
from faireavec.accounts.views import account as account_views
from faireavec.core.views import errors as error_views
from faireavec.core.views import notifications as notification_views
from faireavec.core.views import pages as core_views
from faireavec.organisations.views import platform as platform_views


def organisation_scoped_urls() -> list:
    """Each FaireAvec app's `urls.py`, in the order of `FAIREAVEC_APPS`."""
    included = []
    for app in settings.FAIREAVEC_APPS:
        module_name = f"{app}.urls"
        if find_spec(module_name) is not None:
            included.append(path("", include(import_module(module_name))))
    return included


urlpatterns = [
    path("", platform_views.home, name="home"),
    path("accessibilite/", core_views.accessibility_statement, name="accessibility"),
    path("preferences/", account_views.preferences, name="preferences"),
    path("mon-espace/", platform_views.dashboard, name="dashboard"),
    path("mon-espace/notifications/", notification_views.notification_list, name="notifications"),
    path(
        "mon-espace/notifications/tout-lu/",
        notification_views.notification_mark_all_read,
        name="notifications_mark_all_read",
    ),
    path("organisations/nouvelle/", platform_views.organisation_new, name="organisation_create"),
    path("rejoindre/", platform_views.invitation_code, name="invitation_code"),
    # Before allauth's own route: the same page, saying when a code has expired.
    path(
        "compte/login/code/confirm/",
        ConfirmLoginCode.as_view(),
        name="account_confirm_login_code",
    ),
    path("compte/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("<slug:org_slug>/", include(organisation_scoped_urls())),
]

# Error pages in the shell, in French, with a way on (500: Django's handler, 500.html).
handler400 = error_views.bad_request
handler403 = error_views.permission_denied
handler404 = error_views.page_not_found

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

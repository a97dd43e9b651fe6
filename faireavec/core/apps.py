from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from faireavec.core.navigation import NavLink
from faireavec.core.scheduler import Periodic


class CoreConfig(AppConfig):
    name = "faireavec.core"
    label = "core"
    verbose_name = _("Core")

    backoffice_links = [
        NavLink(
            _("My exports"),
            "core:job_list",
            "core.view_backgroundjob",
            description=_("The files you asked for (exports, imports), kept a few days."),
            weight=95,
        ),
        NavLink(
            _("Activity log"),
            "core:audit_log",
            "core.view_auditentry",
            description=_("Who did what, and when, in the back office."),
            weight=100,
        ),
        NavLink(
            _("Emails not delivered"),
            "core:undelivered_emails",
            "core.view_undelivered_emails",
            description=_("Notifications the mail server refused at every try."),
            weight=110,
        ),
    ]

    # Run by `manage.py scheduler` (faireavec/core/scheduler.py); no cron line needed.
    periodic_tasks = [
        Periodic(
            "faireavec.core.tasks.send_notification_digests",
            "0 7 * * *",
            "the daily digest of notifications, at 7:00",
        ),
        Periodic(
            "faireavec.core.tasks.purge_job_files",
            "15 3 * * *",
            "expired export files and abandoned uploads, at 3:15",
        ),
    ]

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from faireavec.core import checks  # noqa: F401 -- registers the system checks

        # Every app's `exports.py` declares its lists' ExportSpecs: registered
        # here, so a background export finds its spec by name in any process.
        autodiscover_modules("exports")

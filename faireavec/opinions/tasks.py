"""Background tasks of the opinions app (Django's tasks API; the database
backend keeps them across restarts)."""

from django_tasks import task

from faireavec.opinions.models import Conversation


@task()
def conversation_analyse(conversation_id: int) -> int:
    """Recompute a conversation's opinion map from its votes and store it;
    returns the number of votes analysed (0 if the conversation is gone)."""
    from faireavec.opinions.services import analysis_run

    if not Conversation.objects.filter(pk=conversation_id).exists():
        return 0
    return analysis_run(conversation_id=conversation_id).n_votes


@task()
def conversation_analyse_job(job_id: int, conversation_id: int) -> int:
    """The same analysis, asked for by a facilitator: with its job page."""
    from django.utils.translation import gettext as _

    from faireavec.core.jobs import job_fail, job_finish, job_progress
    from faireavec.opinions.services import analysis_run

    conversation = (
        Conversation.objects.select_related("organisation").filter(pk=conversation_id).first()
    )
    if conversation is None:
        job_fail(job_id=job_id, message=_("This opinion map no longer exists."))
        return 0
    job_progress(
        job_id=job_id, done=0, total=1, message=_("Reading the votes and computing the map…")
    )
    analysis = analysis_run(conversation_id=conversation_id)
    job_finish(
        job_id=job_id,
        message=_("The map is up to date: %(votes)s votes, %(groups)s groups.")
        % {"votes": analysis.n_votes, "groups": analysis.n_groups},
        result_url=conversation.get_manage_url(),
    )
    return analysis.n_votes


def _language_of(user) -> str:
    from django.conf import settings

    return getattr(user, "language", "") or settings.LANGUAGE_CODE


@task()
def conversation_export_task(job_id: int, conversation_id: int, which: str) -> int:
    """A large export in Pol.is's layout: the file (or the zip of the four) kept on the job."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    from faireavec.core.jobs import job_fail, job_finish
    from faireavec.core.models import BackgroundJob
    from faireavec.opinions.transfer import conversation_export_run, export_audit

    job = BackgroundJob.objects.select_related("requested_by").get(pk=job_id)
    with translation.override(_language_of(job.requested_by)):
        conversation = (
            Conversation.objects.select_related("organisation").filter(pk=conversation_id).first()
        )
        if conversation is None:
            job_fail(job_id=job_id, message=_("This opinion map no longer exists."))
            return 0
        try:
            conversation_export_run(job_id=job_id, conversation=conversation, which=which)
        except Exception:
            job_fail(job_id=job_id, message=_("The export could not be made. Try again later."))
            raise
        export_audit(conversation=conversation, actor=job.requested_by, which=which)
        job_finish(job_id=job_id, message=_("The file is ready."))
    return 1


@task()
def conversation_import_check_task(job_id: int, organisation_id: int, token: str) -> int:
    """Check large Pol.is files in the background; the job then leads to the preview."""
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    from faireavec.core.jobs import job_fail, job_finish, job_progress
    from faireavec.core.models import BackgroundJob
    from faireavec.opinions.transfer import import_check

    job = BackgroundJob.objects.select_related("requested_by", "organisation").get(pk=job_id)
    with translation.override(_language_of(job.requested_by)):
        reading = _("Reading the votes: line %(line)s…")
        try:
            preview = import_check(
                organisation=job.organisation,
                token=token,
                progress=lambda line: job_progress(
                    job_id=job_id, done=0, message=reading % {"line": line}
                ),
            )
        except Exception:
            job_fail(
                job_id=job_id,
                message=_("The files could not be read. Check that they are Pol.is CSV files."),
            )
            raise
        url = reverse("opinions:conversation_import", kwargs={"org_slug": job.organisation.slug})
        job_finish(
            job_id=job_id,
            message=_("The files are checked: %(votes)s votes on %(statements)s statements.")
            % {"votes": preview["n_votes"], "statements": preview["n_statements"]},
            result_url=f"{url}?apercu={token}",
        )
    return preview["n_votes"]


@task()
def conversation_import_task(
    job_id: int, organisation_id: int, actor_id: int, description: dict
) -> int:
    """Write a checked Pol.is conversation, with progress; returns the votes written."""
    from django.contrib.auth import get_user_model
    from django.utils import translation
    from django.utils.translation import gettext as _

    from faireavec.core.jobs import job_fail, job_finish, job_progress
    from faireavec.opinions.transfer import conversation_import
    from faireavec.organisations.models import Organisation

    organisation = Organisation.objects.get(pk=organisation_id)
    actor = get_user_model().objects.filter(pk=actor_id).first()
    with translation.override(_language_of(actor)):
        writing = _("%(done)s of %(total)s votes written.")
        job_progress(job_id=job_id, done=0, message=_("Writing the statements…"))
        try:
            conversation = conversation_import(
                actor=actor,
                organisation=organisation,
                description=description,
                progress=lambda done, total: job_progress(
                    job_id=job_id, done=done, message=writing % {"done": done, "total": total}
                ),
            )
        except Exception:
            job_fail(
                job_id=job_id,
                message=_(
                    "The import stopped on an unexpected error, so nothing was written. "
                    "Try again; if it happens again, tell the platform's team."
                ),
            )
            raise
        job_finish(
            job_id=job_id,
            message=_(
                "The conversation is imported as a draft and its map computed: %(votes)s votes."
            )
            % {"votes": description["n_votes"]},
            result_url=conversation.get_manage_url(),
        )
    return description["n_votes"]

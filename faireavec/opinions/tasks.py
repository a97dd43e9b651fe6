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

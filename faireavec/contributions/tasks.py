"""Background tasks of the contributions app."""

from django_tasks import task

from faireavec.contributions.services import contributions_escalate_overdue
from faireavec.organisations.models import Organisation


@task()
def escalate_overdue(organisation_ids: list[int] | None = None) -> int:
    """Escalate overdue complaints of every organisation (or those given); returns how many."""
    organisations = Organisation.objects.all()
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=organisation_ids)
    return sum(
        len(contributions_escalate_overdue(organisation=organisation))
        for organisation in organisations.iterator()
    )

"""Single-use codes and accounts under concurrency, on PostgreSQL with two real connections."""

import threading

import pytest
from django.db import connection

from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory, OrganisationFactory
from faireavec.surveys.models import Answer, Response, Survey, SurveyToken
from faireavec.surveys.services import ResponseRefused, response_submit, tokens_generate
from faireavec.surveys.tests.factories import make_survey, question


def _race(submit) -> tuple[list, list]:
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(submit())
        except ResponseRefused as exc:
            errors.append(exc)
        except Exception as exc:  # reported by the assertions below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_code_sent_twice_at_the_same_moment_makes_one_response():
    """The same code submitted from two phones at once: one response is stored
    whole, the other is refused with the « already used » message and leaves nothing."""
    organisation = OrganisationFactory()
    survey = make_survey(organisation, limit=Survey.Limit.TOKEN)
    tokens_generate(actor=None, survey=survey, count=1)
    token = SurveyToken.objects.get(survey=survey)
    venu, idee = question(survey, "venu"), question(survey, "idee")

    results, errors = _race(
        lambda: response_submit(
            survey=survey, answers={venu.pk: "no", idee.pk: "Bien"}, token=token
        )
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ResponseRefused)
    assert "déjà été utilisé" in " ".join(errors[0].messages)
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.filter(response__survey=survey).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_account_sending_twice_at_the_same_moment_makes_one_response():
    organisation = OrganisationFactory()
    user = MembershipFactory(organisation=organisation, role=Role.PARTICIPANT).user
    survey = make_survey(organisation, limit=Survey.Limit.ACCOUNT)
    venu = question(survey, "venu")
    results, errors = _race(
        lambda: response_submit(survey=survey, answers={venu.pk: "yes"}, user=user)
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ResponseRefused)
    assert Response.objects.filter(survey=survey).count() == 1

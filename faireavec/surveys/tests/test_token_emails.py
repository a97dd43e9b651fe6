"""Single-use codes sent by email: one code per address, a link that opens the
questionnaire with the code typed in, refused addresses kept to try again, and in
an anonymous survey the addresses kept nowhere."""

import smtplib
from unittest import mock

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse

from faireavec.surveys.models import Survey, SurveyToken
from faireavec.surveys.tests.factories import make_survey

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _send(client, survey, addresses):
    return client.post(
        _url("survey_tokens_email", survey.organisation, survey_pk=survey.pk),
        {"addresses": addresses},
    )


def _stored_anywhere(text: str) -> list[str]:
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            kind = getattr(field, "get_internal_type", lambda: "")()
            searchable = kind in {"CharField", "TextField", "EmailField", "JSONField"}
            if (
                field.concrete
                and searchable
                and model._default_manager.filter(**{f"{field.name}__icontains": text}).exists()
            ):
                found.append(f"{model.__name__}.{field.name}")
    return found


def test_each_address_gets_its_own_code_and_a_link_that_fills_it_in(org, people, client_for):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    client = client_for(people["facilitator"])
    response = _send(
        client, survey, "camille@example.org\nDominique@Example.org; camille@example.org"
    )
    assert response.status_code == 302
    assert SurveyToken.objects.filter(survey=survey).count() == 2  # the repeat is sent once
    assert sorted(m.to[0] for m in mail.outbox) == ["Dominique@Example.org", "camille@example.org"]
    codes = {t.code for t in SurveyToken.objects.filter(survey=survey)}
    for message in mail.outbox:
        code = next(c for c in codes if f"?code={c}" in message.body)
        assert f"{code[:4]}-{code[4:]}" in message.body
        assert "La Ruche" in message.subject and survey.title in message.subject
        assert "anonymes" in message.body
    assert (
        "2 codes ont été envoyés par courriel" in client.get(response["Location"]).content.decode()
    )
    # The link opens the code box filled in; sending it opens the survey.
    link = next(line for line in mail.outbox[0].body.splitlines() if "?code=" in line)
    page = client_for(None).get(link.replace("http://testserver", ""))
    code = link.rsplit("=", 1)[1]
    assert f'value="{code}"' in page.content.decode()


def test_an_anonymous_survey_keeps_no_address(org, people, client_for):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    assert survey.is_anonymous
    _send(client_for(people["facilitator"]), survey, "camille@example.org")
    assert len(mail.outbox) == 1
    assert _stored_anywhere("camille@example.org") == []


def test_an_identified_survey_labels_each_code_with_its_address(org, people, client_for):
    survey = make_survey(org, limit=Survey.Limit.TOKEN, identity=Survey.Identity.IDENTIFIED)
    _send(client_for(people["facilitator"]), survey, "camille@example.org")
    assert SurveyToken.objects.get(survey=survey).label == "camille@example.org"


def test_wrong_addresses_are_named_and_nothing_is_sent(org, people, client_for):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    page = _send(client_for(people["facilitator"]), survey, "camille@example.org\npas-une-adresse")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Erreur" in body and "pas-une-adresse" in body and "n\u2019est pas valide" in body
    assert "camille@example.org" in body  # what was typed stays in the box
    assert not mail.outbox and not SurveyToken.objects.exists()


def test_a_refused_address_gets_no_code_and_stays_to_try_again(org, people, client_for):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    real_send = mail.EmailMessage.send

    def send(message, *args, **kwargs):
        if message.to == ["bloque@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"bloque@example.org": (550, b"no")})
        return real_send(message, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", send):
        page = _send(
            client_for(people["facilitator"]), survey, "camille@example.org\nbloque@example.org"
        )
    body = page.content.decode()
    assert [m.to for m in mail.outbox] == [["camille@example.org"]]
    assert SurveyToken.objects.filter(survey=survey).count() == 1
    assert "a refusé cette adresse" in body and "bloque@example.org</textarea>" in body


@pytest.mark.parametrize(
    ("status", "message"),
    [(Survey.Status.DRAFT, "Publiez l\u2019enquête"), (Survey.Status.ARCHIVED, "est fermée")],
)
def test_no_codes_for_a_draft_or_closed_survey(org, people, client_for, status, message):
    survey = make_survey(org, limit=Survey.Limit.TOKEN, publish=status != Survey.Status.DRAFT)
    Survey.objects.filter(pk=survey.pk).update(status=status)
    page = _send(client_for(people["facilitator"]), survey, "camille@example.org")
    assert message in page.content.decode()
    assert not mail.outbox and not SurveyToken.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("participant", False),
        ("member", False),
        ("facilitator", True),
        ("admin", True),
        ("other_admin", False),
    ],
)
def test_who_may_send_codes(org, people, client_for, role, allowed):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    response = _send(client_for(people[role]), survey, "camille@example.org")
    assert (len(mail.outbox) == 1) is allowed
    if not allowed:
        assert response.status_code in (302, 403, 404)
        if role == "anonymous":
            assert "/compte/" in response["Location"] or "login" in response["Location"]

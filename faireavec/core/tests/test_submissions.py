"""One-time form tokens: the same form sent twice creates one row."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory

from faireavec.core.models import FormSubmission
from faireavec.core.submissions import FORM_TOKEN_FIELD, AlreadySubmitted, submit_once
from faireavec.organisations.models import Site
from faireavec.organisations.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

TOKEN = "t0k3n-abcdefghijklmnopqrstuv"


def _post(token: str = TOKEN):
    return RequestFactory().post("/", {FORM_TOKEN_FIELD: token} if token else {})


def _create_site(org, name="Jardin"):
    return lambda: SiteFactory(organisation=org, name=name)


def test_the_second_post_with_a_token_creates_nothing_and_finds_the_first(org):
    first = submit_once(_post(), _create_site(org), result_url=lambda s: f"/lieux/{s.pk}/")
    with pytest.raises(AlreadySubmitted) as done:
        submit_once(_post(), _create_site(org), result_url=lambda s: f"/lieux/{s.pk}/")
    assert done.value.result_url == f"/lieux/{first.pk}/"
    assert Site.objects.filter(organisation=org).count() == 1


def test_a_failed_creation_keeps_the_token_usable(org):
    def fails():
        raise ValidationError({"name": "Trop court."})

    with pytest.raises(ValidationError):
        submit_once(_post(), fails, result_url=str)
    assert not FormSubmission.objects.exists()
    submit_once(_post(), _create_site(org), result_url=lambda s: "/ok/")
    assert FormSubmission.objects.get().result_url == "/ok/"


def test_other_tokens_and_no_token_each_create(org):
    submit_once(_post(), _create_site(org, "A"), result_url=lambda s: "/a/")
    submit_once(_post("another-token-abcdefghijkl"), _create_site(org, "B"), result_url=str)
    submit_once(_post(""), _create_site(org, "C"), result_url=str)
    submit_once(_post("short"), _create_site(org, "D"), result_url=str)  # malformed: ignored
    assert Site.objects.filter(organisation=org).count() == 4


def test_the_template_tag_keeps_the_posted_token_and_else_makes_one():
    template = Template("{% load faireavec_forms %}{% form_token %}")
    kept = template.render(Context({"request": _post()}))
    assert f'name="form_token" value="{TOKEN}"' in kept
    fresh = template.render(Context({"request": RequestFactory().get("/")}))
    other = template.render(Context({"request": RequestFactory().get("/")}))
    assert 'name="form_token" value="' in fresh and fresh != other


def test_the_replay_says_it_was_already_sent_and_redirects(org, client_for, people):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = _post()
    request.session = {}
    request._messages = FallbackStorage(request)
    response = AlreadySubmitted("/lieux/3/").response(request)
    assert response.status_code == 302 and response["Location"] == "/lieux/3/"
    assert "déjà été envoyé" in str(next(iter(request._messages)))


def _post_as(user, data: dict, token: str, path: str = "/lieux/nouveau/"):
    request = RequestFactory().post(path, {**data, FORM_TOKEN_FIELD: token})
    request.user = user
    return request


def test_the_same_content_with_a_fresh_token_is_a_replay(org, people):
    """Back then « Envoyer »: a new token, the same person, page and data."""
    user = people["facilitator"]
    first = submit_once(
        _post_as(user, {"name": "Jardin"}, TOKEN), _create_site(org), result_url=lambda s: "/j/"
    )
    with pytest.raises(AlreadySubmitted) as done:
        submit_once(
            _post_as(user, {"name": "Jardin", "csrfmiddlewaretoken": "other"}, "fresh-" + TOKEN),
            _create_site(org),
            result_url=str,
        )
    assert done.value.result_url == "/j/" and first.pk
    assert Site.objects.filter(organisation=org).count() == 1
    assert len(FormSubmission.objects.get().fingerprint) == 64


def test_other_content_person_or_page_or_a_later_sending_each_create(org, people, settings):
    from datetime import timedelta

    from django.utils import timezone

    user, other = people["facilitator"], people["admin"]
    names = iter("CDEFGH")

    def create():
        return SiteFactory(organisation=org, name=next(names))

    submit_once(_post_as(user, {"name": "A"}, "token-a-0123456789abcdefgh"), create, result_url=str)
    submit_once(_post_as(user, {"name": "B"}, "token-b-0123456789abcdefgh"), create, result_url=str)
    submit_once(
        _post_as(other, {"name": "A"}, "token-c-0123456789abcdefgh"), create, result_url=str
    )
    submit_once(
        _post_as(user, {"name": "A"}, "token-d-0123456789abcdefgh", path="/autre/"),
        create,
        result_url=str,
    )
    assert Site.objects.filter(organisation=org).count() == 4
    settings.FORM_FINGERPRINT_MINUTES = 10
    FormSubmission.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    submit_once(_post_as(user, {"name": "A"}, "token-e-0123456789abcdefgh"), create, result_url=str)
    assert Site.objects.filter(organisation=org).count() == 5

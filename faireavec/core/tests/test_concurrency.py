"""Two requests at once, on PostgreSQL (two connections, one per thread)."""

import threading
import time

import pytest
from django.db import connection

from faireavec.core.submissions import FORM_TOKEN_FIELD, AlreadySubmitted, submit_once
from faireavec.organisations.models import Site
from faireavec.organisations.tests.factories import SiteFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_double_click_sends_the_form_twice_at_once_and_creates_one(org):
    """Both requests carry the same token: the second waits on the first's
    claim, then is sent to what the first created."""
    from django.test import RequestFactory

    barrier = threading.Barrier(2)
    created, replays, errors = [], [], []

    def create():
        time.sleep(0.3)  # the other request arrives while this one is creating
        return SiteFactory(organisation=org, name="Jardin")

    def run() -> None:
        request = RequestFactory().post("/", {FORM_TOKEN_FIELD: "same-token-abcdefghijklmnop"})
        try:
            barrier.wait(timeout=10)
            created.append(submit_once(request, create, result_url=lambda s: f"/s/{s.pk}/"))
        except AlreadySubmitted as done:
            replays.append(done.result_url)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert len(created) == 1 and replays == [f"/s/{created[0].pk}/"]
    assert Site.objects.filter(organisation=org).count() == 1


def test_back_and_send_again_at_the_same_moment_creates_one(org, people):
    """Two tokens (Back fetched the form again), the same person and content at
    once: the second waits on the first's fingerprint lock, then finds its row."""
    from django.test import RequestFactory

    barrier = threading.Barrier(2)
    created, replays, errors = [], [], []
    user = people["facilitator"]

    def create():
        time.sleep(0.3)  # the other request arrives while this one is creating
        return SiteFactory(organisation=org, name="Jardin")

    def run(token: str) -> None:
        request = RequestFactory().post("/lieux/", {"name": "Jardin", FORM_TOKEN_FIELD: token})
        request.user = user
        try:
            barrier.wait(timeout=10)
            created.append(submit_once(request, create, result_url=lambda s: f"/s/{s.pk}/"))
        except AlreadySubmitted as done:
            replays.append(done.result_url)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    tokens = ["token-one-abcdefghijklmnop", "token-two-abcdefghijklmnop"]
    threads = [threading.Thread(target=run, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert len(created) == 1 and replays == [f"/s/{created[0].pk}/"]
    assert Site.objects.filter(organisation=org).count() == 1

"""Email delivery: a refused email is tried again with growing waits, then shown
as undelivered in the back office; one refused address never stops the others."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends

from faireavec.accounts.tests.factories import UserFactory
from faireavec.contributions.models import Kind
from faireavec.contributions.services import contributions_escalate_overdue
from faireavec.contributions.tests.factories import make_contribution
from faireavec.core.emails import email_retry_delay
from faireavec.core.i18n import untranslated
from faireavec.core.models import Notification
from faireavec.core.notifications import notify
from faireavec.core.tasks import notifications_send_digests, send_digest, send_notification_emails
from faireavec.core.tests.mail_backends import REFUSED
from faireavec.organisations.models import Membership, Role

pytestmark = pytest.mark.django_db

DELAYS = [60, 600, 3600]


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "faireavec.core.tests.mail_backends.RefusesOneAddressBackend"
    settings.NOTIFICATION_EMAIL_RETRY_DELAYS = DELAYS


@pytest.fixture
def queued(settings):
    """Tasks wait in a queue we can read (the dummy backend can defer, like the
    database one): each enqueued try and its `run_after`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    backend.clear()
    yield backend.results
    backend.clear()


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_the_waits_grow_and_end():
    assert [email_retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(seconds=60),
        timedelta(seconds=600),
        timedelta(seconds=3600),
    ]
    assert email_retry_delay(4) is None, "four tries in all"


def test_a_refused_email_is_tried_again_later_then_shown_undelivered(org, queued):
    """The good address gets its email at once; the refused one is queued again
    after 1 min, 10 min, 1 h, then given up and listed as undelivered."""
    refused = UserFactory(email=REFUSED, notification_frequency="immediate")
    fine = UserFactory(email="fine@example.org", notification_frequency="immediate")
    notify(recipients=[refused, fine], title=untranslated("Atelier"), organisation=org)
    pending = Notification.objects.order_by("pk").values_list("pk", flat=True)

    before = timezone.now()
    assert send_notification_emails.call(list(pending)) == 1
    assert [m.to for m in mail.outbox] == [["fine@example.org"]]
    failed = Notification.objects.get(recipient=refused)
    assert failed.emailed_at is None
    assert failed.email_attempts == 1
    assert "SMTPRecipientsRefused" in failed.email_error
    assert failed.email_failed_at is None, "not given up yet"

    for attempt, delay in enumerate(DELAYS, start=2):
        retry = queued[-1]
        assert retry.args == [[failed.pk]] or retry.args == ([failed.pk],)
        assert retry.kwargs == {"attempt": attempt}
        assert retry.task.run_after >= before + timedelta(seconds=delay)
        assert retry.task.run_after <= timezone.now() + timedelta(seconds=delay)
        queued.clear()
        before = timezone.now()
        assert send_notification_emails.call(*retry.args, **retry.kwargs) == 0

    assert queued == [], "no fifth try"
    failed.refresh_from_db()
    assert failed.email_attempts == 4
    assert failed.email_failed_at is not None
    assert Notification.objects.get(recipient=fine).email_failed_at is None


def test_a_later_success_clears_the_failure(org, queued, settings):
    person = UserFactory(email=REFUSED, notification_frequency="immediate")
    [notification] = notify(recipients=[person], title=untranslated("Atelier"), organisation=org)
    send_notification_emails.call([notification.pk])
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry = queued[-1]
    assert send_notification_emails.call(*retry.args, **retry.kwargs) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.email_failed_at is None


def test_a_refused_digest_is_tried_again_and_the_others_go_out(org, queued):
    refused = UserFactory(email=REFUSED, notification_frequency="daily")
    fine = UserFactory(email="fine@example.org", notification_frequency="daily")
    notify(recipients=[refused, fine], title=untranslated("Fête de quartier"), organisation=org)

    assert notifications_send_digests() == 1
    assert [m.to for m in mail.outbox] == [["fine@example.org"]]
    [retry] = queued
    assert retry.task.func == send_digest.func
    assert retry.kwargs == {"attempt": 2}
    assert retry.task.run_after > timezone.now() + timedelta(seconds=50)

    for _try in DELAYS:
        retry = queued[-1]
        queued.clear()
        assert send_digest.call(*retry.args, **retry.kwargs) == 0
    assert queued == []
    undelivered = Notification.objects.get(recipient=refused)
    assert undelivered.email_failed_at is not None
    assert undelivered.email_attempts == 4
    assert undelivered.emailed_at is None, "the next daily digest tries again"


def test_escalation_reaches_the_other_admins_when_one_address_is_refused(
    org, people, immediate_tasks, django_capture_on_commit_callbacks
):
    """An overdue complaint is escalated even if one administrator's mailbox is refused."""
    refused_admin = UserFactory(email=REFUSED, notification_frequency="immediate")
    Membership.objects.create(organisation=org, user=refused_admin, role=Role.ADMIN)
    make_contribution(org, kind=Kind.COMPLAINT, now=timezone.now() - timedelta(days=60))
    with django_capture_on_commit_callbacks(execute=True):
        escalated = contributions_escalate_overdue(organisation=org)
    assert len(escalated) == 1
    assert people["admin"].email in [m.to[0] for m in mail.outbox]
    assert REFUSED not in [m.to[0] for m in mail.outbox]
    # The immediate backend cannot wait: the tries run one after the other, then it gives up.
    failed = Notification.objects.get(recipient=refused_admin)
    assert failed.email_failed_at is not None
    assert Notification.objects.get(recipient=people["admin"]).emailed_at is not None


@pytest.fixture
def undelivered(org, other_org):
    person = UserFactory(email=REFUSED, display_name="Nadia")
    mine = Notification.objects.create(
        recipient=person,
        organisation=org,
        title="Réunion jeudi",
        email_attempts=4,
        email_error="SMTPRecipientsRefused: 550 No such mailbox",
        email_failed_at=timezone.now(),
    )
    Notification.objects.create(
        recipient=person,
        organisation=other_org,
        title="Chez les autres",
        email_attempts=4,
        email_failed_at=timezone.now(),
    )
    Notification.objects.create(recipient=person, organisation=org, title="Partie sans souci")
    return mine


def test_admins_see_the_undelivered_emails_of_their_organisation(
    org, people, client_for, undelivered
):
    url = reverse("core:undelivered_emails", kwargs={"org_slug": org.slug})
    page = client_for(people["admin"]).get(url)
    assert page.status_code == 200
    assert "Réunion jeudi" in page.text
    assert "Nadia" in page.text
    assert REFUSED in page.text
    assert "550 No such mailbox" in page.text
    assert "Chez les autres" not in page.text, "another organisation's"
    assert "Partie sans souci" not in page.text, "delivered or still being tried"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("participant", 403),
        ("member", 403),
        ("facilitator", 403),
        ("other_admin", 404),
    ],
)
def test_only_admins_see_the_undelivered_emails(org, people, client_for, role, status):
    url = reverse("core:undelivered_emails", kwargs={"org_slug": org.slug})
    assert client_for(people[role]).get(url).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(org, client):
    url = reverse("core:undelivered_emails", kwargs={"org_slug": org.slug})
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]

"""Notifications: in the app, by email at once, or in a daily digest."""

import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from faireavec.accounts.tests.factories import UserFactory
from faireavec.core import emails as emails_module
from faireavec.core.emails import notification_link
from faireavec.core.i18n import lazy_message, untranslated
from faireavec.core.models import Notification
from faireavec.core.notifications import (
    notifications_mark_read,
    notifications_of_user,
    notifications_unread_count,
    notify,
)
from faireavec.core.tasks import notifications_send_digests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def immediate():
    return UserFactory(
        email="claire@example.org", notification_frequency="immediate", language="fr"
    )


@pytest.fixture
def daily():
    return UserFactory(
        email="bob@example.org", display_name="Bob", notification_frequency="daily", language="en"
    )


def test_notify_stores_one_notification_per_person(org, immediate, daily):
    """Each recipient gets one row, even when named twice."""
    created = notify(
        recipients=[immediate, daily, immediate],
        title=untranslated("Nouvelle idée"),
        body=untranslated("Une idée a été déposée."),
        url="/la-ruche/gestion/",
        organisation=org,
    )
    assert len(created) == 2
    stored = Notification.objects.filter(title="Nouvelle idée")
    assert {n.recipient for n in stored} == {immediate, daily}
    for notification in stored:
        assert notification.organisation == org
        assert notification.body == "Une idée a été déposée."
        assert notification.url == "/la-ruche/gestion/"
        assert notification.read_at is None
        assert notification.emailed_at is None


def test_immediate_recipients_get_an_email_after_commit(
    org, immediate, daily, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(
            recipients=[immediate, daily],
            title=untranslated("Votre idée a reçu une réponse"),
            organisation=org,
        )
    assert mail.outbox == [], "nothing is sent before the transaction commits"
    assert len(callbacks) == 1

    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire@example.org"]
    assert "Votre idée a reçu une réponse" in message.subject
    assert org.name in message.body
    assert Notification.objects.get(recipient=immediate).emailed_at is not None
    assert Notification.objects.get(recipient=daily).emailed_at is None


def test_nothing_is_enqueued_when_everyone_chose_the_digest(
    org, daily, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[daily], title=untranslated("Réunion jeudi"), organisation=org)
    assert callbacks == []
    assert mail.outbox == []


def test_immediate_email_is_sent_once(org, immediate, django_capture_on_commit_callbacks):
    """A notification already emailed is not emailed again by a second run of the task."""
    from faireavec.core.tasks import send_notification_emails

    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify(
            recipients=[immediate], title=untranslated("Bienvenue"), organisation=org
        )
    assert send_notification_emails.call([notification.pk]) == 0
    assert len(mail.outbox) == 1


def test_daily_digest_lists_pending_notifications_in_one_email(
    org, immediate, daily, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[daily, immediate],
            title=untranslated("First news"),
            url="/la-ruche/",
            organisation=org,
        )
        notify(
            recipients=[daily],
            title=untranslated("Second news"),
            body=untranslated("Details here."),
            organisation=org,
        )
    mail.outbox.clear()

    call_command("send_digests", stdout=_Sink())

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["bob@example.org"]
    assert "2 notifications" in digest.subject
    assert "First news" in digest.body
    assert "Second news" in digest.body
    assert "Details here." in digest.body
    assert Notification.objects.filter(recipient=daily, emailed_at__isnull=True).count() == 0


def test_daily_digest_is_idempotent(org, daily):
    notify(recipients=[daily], title=untranslated("Assemblée générale"), organisation=org)
    assert notifications_send_digests() == 1
    assert notifications_send_digests() == 0
    assert len(mail.outbox) == 1

    notify(recipients=[daily], title=untranslated("Compte rendu"), organisation=org)
    assert notifications_send_digests() == 1
    assert len(mail.outbox) == 2
    assert "Compte rendu" in mail.outbox[1].body
    assert "Assemblée générale" not in mail.outbox[1].body, "only what was not emailed yet"


def test_daily_digest_is_in_each_persons_language(org):
    """The same news reaches a French speaker in French and an English speaker in English."""
    french = UserFactory(email="fr@example.org", notification_frequency="daily", language="fr")
    english = UserFactory(email="en@example.org", notification_frequency="daily", language="en")
    notify(recipients=[french, english], title=untranslated("Atelier"), organisation=org)
    notifications_send_digests()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["en@example.org"].subject == "[La Ruche] Your daily summary: 1 notification"
    assert "Hello" in by_address["en@example.org"].body
    assert (
        by_address["fr@example.org"].subject == "[La Ruche] Votre résumé du jour : 1 notification"
    )
    assert "Bonjour" in by_address["fr@example.org"].body


def test_digest_leaves_out_immediate_and_inactive_people(org, immediate):
    inactive = UserFactory(notification_frequency="daily", is_active=False)
    Notification.objects.create(
        recipient=immediate, title=untranslated("Déjà prévenue"), organisation=org
    )
    Notification.objects.create(
        recipient=inactive, title=untranslated("Compte fermé"), organisation=org
    )
    assert notifications_send_digests() == 0
    assert mail.outbox == []


def test_a_failed_digest_stays_pending_and_does_not_stop_the_others(org, monkeypatch):
    broken = UserFactory(email="broken@example.org", notification_frequency="daily")
    fine = UserFactory(email="fine@example.org", notification_frequency="daily")
    notify(recipients=[broken, fine], title=untranslated("Fête de quartier"), organisation=org)
    real_send_mail = emails_module.send_mail

    def send_mail(**kwargs):
        if kwargs["recipient_list"] == ["broken@example.org"]:
            raise OSError("mail server refused")
        return real_send_mail(**kwargs)

    monkeypatch.setattr(emails_module, "send_mail", send_mail)
    assert notifications_send_digests() == 1
    assert [m.to for m in mail.outbox] == [["fine@example.org"]]
    assert Notification.objects.get(recipient=broken).emailed_at is None

    monkeypatch.setattr(emails_module, "send_mail", real_send_mail)
    assert notifications_send_digests() == 1, "the next run sends it"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_digest_runs_at_once_send_one_email(monkeypatch):
    """A second run that starts while the first is sending waits for it, then
    finds nothing left to send (the pending notifications are locked)."""
    person = UserFactory(notification_frequency="daily")
    notify(recipients=[person], title=untranslated("Assemblée générale"))
    sending, release = threading.Event(), threading.Event()
    sent = []

    def slow_send_mail(**kwargs):
        sent.append(kwargs["recipient_list"])
        sending.set()
        release.wait(10)

    monkeypatch.setattr(emails_module, "send_mail", slow_send_mail)
    results = {}

    def run(name):
        try:
            results[name] = notifications_send_digests()
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert sending.wait(10)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    time.sleep(0.5)  # the second run now waits for the first one's lock
    release.set()
    first.join(10)
    second.join(10)
    assert results == {"first": 1, "second": 0}
    assert sent == [[person.email]]
    assert Notification.objects.get(recipient=person).emailed_at is not None


def test_send_digests_can_hand_the_work_to_the_task_worker(org, daily):
    notify(recipients=[daily], title=untranslated("Atelier"), organisation=org)
    out = _Sink()
    call_command("send_digests", "--enqueue", stdout=out)
    assert "queued" in out.text
    assert len(mail.outbox) == 1, "the immediate backend ran the task"


def test_mark_read_marks_only_the_persons_own_notifications(org, immediate, daily):
    mine = notify(recipients=[immediate], title=untranslated("Un"), organisation=org)
    notify(recipients=[immediate], title=untranslated("Deux"), organisation=org)
    theirs = notify(recipients=[daily], title=untranslated("Trois"), organisation=org)
    assert notifications_unread_count(user=immediate) == 2

    assert notifications_mark_read(user=immediate, pks=[mine[0].pk, theirs[0].pk]) == 1
    assert notifications_unread_count(user=immediate) == 1
    assert notifications_unread_count(user=daily) == 1

    assert notifications_mark_read(user=immediate) == 1
    assert notifications_unread_count(user=immediate) == 0
    assert notifications_unread_count(user=daily) == 1
    assert notifications_of_user(user=immediate).count() == 2


def test_mark_all_read_page(org, immediate, client_for):
    notify(recipients=[immediate], title=untranslated("Un"), organisation=org)
    client = client_for(immediate)
    page = client.get(reverse("notifications"))
    assert page.status_code == 200
    assert "Un" in page.text
    response = client.post(reverse("notifications_mark_all_read"))
    assert response.status_code == 302
    assert notifications_unread_count(user=immediate) == 0


def test_email_links_are_absolute_when_the_site_address_is_known(settings):
    settings.SITE_URL = "https://faireavec.example"
    assert notification_link("/la-ruche/avis/3/") == "https://faireavec.example/la-ruche/avis/3/"
    assert notification_link("https://ailleurs.example/x") == "https://ailleurs.example/x"
    assert notification_link("") == ""


class _Sink:
    """A stdout for call_command that keeps what was written."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_lazy_texts_are_written_in_each_persons_language(org):
    """A title given as a lazy translation reaches each person in their language."""
    french = UserFactory(language="fr", notification_frequency="daily")
    english = UserFactory(language="en", notification_frequency="daily")
    notify(
        recipients=[french, english],
        title=format_lazy("{} — La Ruche", gettext_lazy("Activity log")),
        organisation=org,
    )
    assert Notification.objects.get(recipient=english).title == "Activity log — La Ruche"
    assert Notification.objects.get(recipient=french).title == "Journal d'activité — La Ruche"


def test_a_string_translated_already_is_refused(org, daily):
    """A plain string was translated in the sender's language: notify() refuses it,
    so nobody can send an English speaker French by mistake."""
    with pytest.raises(TypeError):
        notify(recipients=[daily], title="Nouvelle idée", organisation=org)
    with pytest.raises(TypeError):
        notify(recipients=[daily], title=untranslated("Atelier"), body="Détails", organisation=org)
    assert not Notification.objects.exists()


def test_lazy_messages_fill_their_placeholders_in_the_readers_language(org):
    """Parameters, plural forms and dates follow each reader's language."""
    from datetime import date

    # Msgids of the contributions' catalogue, under other names so that makemessages
    # does not copy them into core's.
    from django.utils.translation import gettext_lazy as msgid
    from django.utils.translation import ngettext_lazy as plural_msgid

    french = UserFactory(language="fr", notification_frequency="daily")
    english = UserFactory(language="en", notification_frequency="daily")
    notify(
        recipients=[french, english],
        title=lazy_message(
            plural_msgid(
                "%(count)s complaint overdue at %(org)s",
                "%(count)s complaints overdue at %(org)s",
                "count",
            ),
            count=3,
            org="La Ruche",
        ),
        body=lazy_message(
            msgid("- %(title)s (code %(code)s), to answer by %(due)s"),
            title="Fuite",
            code="ABC",
            due=date(2026, 1, 5),
        ),
        organisation=org,
    )
    to_english = Notification.objects.get(recipient=english)
    assert to_english.title == "3 complaints overdue at La Ruche"
    assert to_english.body == "- Fuite (code ABC), to answer by Jan. 5, 2026"
    to_french = Notification.objects.get(recipient=french)
    assert to_french.title == "3 réclamations en retard chez La Ruche"
    assert to_french.body == "- Fuite (code ABC), réponse attendue avant le 5 janvier 2026"

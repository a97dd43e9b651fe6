"""The watch log (veille): services, rules for every role, pages, and where it shows."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from faireavec.core.models import AuditEntry
from faireavec.needs.models import DiagnosisSection, WatchEntry
from faireavec.needs.selectors import watch_entries_of_need, watch_entries_of_organisation
from faireavec.needs.services import (
    diagnosis_save,
    watch_entry_create,
    watch_entry_delete,
    watch_entry_update,
)
from faireavec.needs.tests.factories import NeedFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]
LOGIN = "/compte/login/"


def _data(**overrides) -> dict:
    data = {
        "observed_on": date(2026, 9, 15),
        "kind": WatchEntry.Kind.POLICY_CHANGE,
        "title": "Demandes de RSA en ligne seulement",
        "source": "CAF du Nord",
        "summary": "Toutes les demandes passent en ligne en janvier.",
        "link": "https://www.caf.fr/",
        "direction": WatchEntry.Direction.UP,
        "aspect": WatchEntry.Aspect.QUANTITY,
        "effect": "Plus de monde à l'aide aux démarches.",
        "diagnosis_section": DiagnosisSection.Kind.ACTORS,
        "is_public": True,
        "needs": [],
    }
    data.update(overrides)
    return data


def _post_data(**overrides) -> dict:
    data = _data(**overrides)
    data["observed_on"] = data["observed_on"].isoformat()
    data["is_public"] = "on" if data["is_public"] else ""
    data["needs"] = [n.pk for n in data["needs"]]
    return {k: v for k, v in data.items() if v not in ("", None)}


def url(name: str, org, **kwargs) -> str:
    return reverse(f"needs:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def entry(org, people):
    need = NeedFactory(organisation=org, title="Aide aux démarches")
    return watch_entry_create(
        actor=people["facilitator"], organisation=org, data=_data(needs=[need])
    )


# Services -----------------------------------------------------------------


def test_create_links_the_needs_and_is_audited(org, people):
    """An entry is dated, linked to the needs it concerns, and the action is logged."""
    need = NeedFactory(organisation=org)
    entry = watch_entry_create(
        actor=people["facilitator"], organisation=org, data=_data(needs=[need])
    )
    assert list(entry.needs.all()) == [need]
    assert entry.recorded_by == people["facilitator"]
    assert AuditEntry.objects.filter(action="watch.create", organisation=org).count() == 1


def test_another_organisations_need_is_refused(org, other_org, people):
    """A need of another organisation cannot be linked: nothing is written."""
    foreign = NeedFactory(organisation=other_org)
    with pytest.raises(ValidationError) as exc:
        watch_entry_create(
            actor=people["facilitator"], organisation=org, data=_data(needs=[foreign])
        )
    assert "needs" in exc.value.error_dict
    assert not WatchEntry.objects.exists()


def test_bad_values_are_refused_with_a_message(org, people):
    """An unknown kind, a missing title or too long a summary: a message, no row."""
    for bad in (
        {"kind": "rumour"},
        {"title": ""},
        {"summary": "a" * 5001},
        {"link": "pas une adresse"},
    ):
        with pytest.raises(ValidationError):
            watch_entry_create(actor=people["facilitator"], organisation=org, data=_data(**bad))
    assert not WatchEntry.objects.exists()


def test_update_changes_fields_and_needs_and_delete_removes_the_document(
    org, people, entry, django_capture_on_commit_callbacks
):
    """Editing records the changed fields; deleting removes the entry and its file."""
    other_need = NeedFactory(organisation=org)
    document = SimpleUploadedFile("etude.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    watch_entry_update(
        actor=people["facilitator"],
        entry=entry,
        data={"title": "Nouveau titre", "needs": [other_need], "document": document},
    )
    entry.refresh_from_db()
    assert entry.title == "Nouveau titre"
    assert list(entry.needs.all()) == [other_need]
    audit = AuditEntry.objects.get(action="watch.update")
    assert audit.details["fields"] == ["document", "needs", "title"]
    storage, name, pk = entry.document.storage, entry.document.name, entry.pk
    assert storage.exists(name)
    with pytest.raises(RuntimeError), transaction.atomic():
        watch_entry_delete(actor=people["facilitator"], entry=entry)
        raise RuntimeError("rolled back")
    assert storage.exists(name)  # a rolled-back delete keeps the file
    with django_capture_on_commit_callbacks(execute=True):
        watch_entry_delete(actor=people["facilitator"], entry=WatchEntry.objects.get(pk=pk))
    assert not WatchEntry.objects.exists()
    assert not storage.exists(name)


# Selectors ----------------------------------------------------------------


def test_filters_and_the_needs_page(org, other_org, people, entry):
    """Filters narrow the log; a need shows only the entries that concern it; another
    organisation's entries never show."""
    watch_entry_create(
        actor=people["facilitator"],
        organisation=org,
        data=_data(title="Étude", kind=WatchEntry.Kind.STUDY, is_public=False),
    )
    watch_entry_create(actor=people["other_admin"], organisation=other_org, data=_data())
    assert watch_entries_of_organisation(organisation=org).count() == 2
    assert [e.title for e in watch_entries_of_organisation(organisation=org, kind="study")] == [
        "Étude"
    ]
    assert list(watch_entries_of_organisation(organisation=org, public_only=True)) == [entry]
    need = entry.needs.get()
    assert list(watch_entries_of_need(need=need)) == [entry]


# Rules and pages, every role -------------------------------------------------


READ = {"member", "facilitator", "admin"}
WRITE = {"facilitator", "admin"}


def _expected(role: str, allowed: set[str]) -> int:
    if role == "anonymous":
        return 302
    if role == "other_admin":
        return 404
    return 200 if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_reading_pages_by_role(org, people, client_for, role, entry):
    """Members and above read the log and its entries; participants get 403, another
    organisation 404, anonymous visitors the login page."""
    client = client_for(people[role])
    for page in (url("watch_list", org), url("watch_detail", org, watchentry_pk=entry.pk)):
        response = client.get(page)
        assert response.status_code == _expected(role, READ), page
        if role == "anonymous":
            assert response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("role", ROLES)
def test_creating_by_role(org, people, client_for, role):
    """Only facilitators and administrators add entries."""
    client = client_for(people[role])
    assert client.get(url("watch_create", org)).status_code == _expected(role, WRITE)
    response = client.post(url("watch_create", org), _post_data(title="Par " + role))
    created = WatchEntry.objects.filter(title="Par " + role).exists()
    assert created == (role in WRITE)
    if role in WRITE:
        assert response.status_code == 302
    else:
        assert response.status_code == {"anonymous": 302, "other_admin": 404}.get(role, 403)


@pytest.mark.parametrize("role", ROLES)
def test_editing_and_deleting_by_role(org, people, client_for, role, entry):
    """Only facilitators and administrators edit and delete."""
    client = client_for(people[role])
    edit = url("watch_edit", org, watchentry_pk=entry.pk)
    assert client.get(edit).status_code == _expected(role, WRITE)
    client.post(edit, _post_data(title="Changé"))
    entry.refresh_from_db()
    assert (entry.title == "Changé") == (role in WRITE)
    client.post(url("watch_delete", org, watchentry_pk=entry.pk))
    assert WatchEntry.objects.filter(pk=entry.pk).exists() == (role not in WRITE)


@pytest.mark.parametrize("role", ROLES)
def test_document_download_by_role(org, people, client_for, role, entry):
    """The document is served only to people who may read the watch log."""
    entry.document.save("note.txt", SimpleUploadedFile("note.txt", b"Note de veille"))
    response = client_for(people[role]).get(url("watch_document", org, watchentry_pk=entry.pk))
    assert response.status_code == _expected(role, READ)
    if role in READ:
        assert b"".join(response.streaming_content) == b"Note de veille"
        assert "attachment" in response["Content-Disposition"]


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(org, people, client_for):
    """An invalid entry: the page says what is wrong beside the field, keeps the text
    and writes nothing."""
    response = client_for(people["facilitator"]).post(
        url("watch_create", org), _post_data(title="", summary="Ce que dit l'étude")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in page
    assert "Ce que dit l&#x27;étude" in page
    assert not WatchEntry.objects.exists()


def test_the_form_offers_only_this_organisations_needs(org, other_org, people, client_for):
    """Another organisation's need is not offered, and posting its id is refused."""
    foreign = NeedFactory(organisation=other_org, title="Besoin d'ailleurs")
    client = client_for(people["facilitator"])
    assert "Besoin d&#x27;ailleurs" not in client.get(url("watch_create", org)).content.decode()
    response = client.post(url("watch_create", org), _post_data(needs=[foreign]))
    assert response.status_code == 200
    assert not WatchEntry.objects.exists()


def test_edit_page_links_the_document_through_the_view(org, people, client_for, entry):
    """A private document has no public address: the edit page links to the view."""
    entry.document.save("note.txt", SimpleUploadedFile("note.txt", b"x"))
    page = client_for(people["facilitator"]).get(url("watch_edit", org, watchentry_pk=entry.pk))
    assert url("watch_document", org, watchentry_pk=entry.pk) in page.content.decode()


# Where it shows -------------------------------------------------------------


def test_the_diagnosis_and_the_need_show_the_entries(org, people, client_for, entry):
    """The public diagnosis and the public need page show the public entries to
    everyone; an entry kept within the team shows only to those who read the log."""
    diagnosis_save(actor=None, organisation=org, summary="Quartier", is_public=True)
    watch_entry_create(
        actor=people["facilitator"],
        organisation=org,
        data=_data(title="Observation interne", is_public=False, needs=list(entry.needs.all())),
    )
    need = entry.needs.get()
    for page in (url("diagnosis_public", org), url("need_public_detail", org, need_pk=need.pk)):
        anonymous = client_for(None).get(page).content.decode()
        assert entry.title in anonymous and "Observation interne" not in anonymous
        member = client_for(people["member"]).get(page).content.decode()
        assert "Observation interne" in member
    manage = client_for(people["facilitator"]).get(url("diagnosis_manage", org)).content.decode()
    assert entry.title in manage and "Observation interne" in manage
    detail = client_for(people["member"]).get(url("need_detail", org, need_pk=need.pk))
    assert entry.title in detail.content.decode()

"""The activity log page, its export, and the background job page."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from faireavec.core.audit import audit_log
from faireavec.core.exports import read_table
from faireavec.core.jobs import job_finish, job_progress
from faireavec.core.models import AuditEntry, BackgroundJob
from faireavec.core.tests.factories import BackgroundJobFactory
from faireavec.core.views.backoffice import AUDIT_PAGE_SIZE
from faireavec.organisations.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _audit_url(org, **query) -> str:
    url = reverse("core:audit_log", kwargs={"org_slug": org.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _export_url(org) -> str:
    return reverse("core:audit_log_export", kwargs={"org_slug": org.slug})


def _job_url(job) -> str:
    return reverse(
        "core:job_detail",
        kwargs={"org_slug": job.organisation.slug, "backgroundjob_uuid": job.uuid},
    )


def _status(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
        return "login"
    return response.status_code


AUDIT_ACCESS = {
    "admin": 200,
    "facilitator": 403,
    "member": 403,
    "participant": 403,
    "anonymous": "login",
    "other_admin": 404,
}


@pytest.mark.parametrize(("role", "expected"), AUDIT_ACCESS.items())
def test_activity_log_is_for_administrators(org, people, client_for, role, expected):
    assert _status(client_for(people[role]).get(_audit_url(org))) == expected


@pytest.mark.parametrize(("role", "expected"), AUDIT_ACCESS.items())
def test_activity_log_export_is_for_administrators(org, people, client_for, role, expected):
    response = client_for(people[role]).post(_export_url(org), {"format": "csv"})
    assert _status(response) == expected
    assert AuditEntry.objects.filter(action="core.export").exists() == (expected == 200)


@pytest.mark.parametrize("query", [{}, {"format": "csv"}])
def test_activity_log_export_by_get_writes_nothing(org, people, client_for, query):
    """A GET (a prefetching browser, a pasted link) neither downloads nor records anything."""
    audit_log(actor=people["admin"], organisation=org, action="charter.publish")
    response = client_for(people["admin"]).get(_export_url(org), query)
    assert response.status_code == 405
    assert "attachment" not in response.get("Content-Disposition", "")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["charter.publish"]


def test_activity_log_page_offers_the_export_as_a_form_carrying_its_filters(
    org, people, client_for
):
    audit_log(actor=people["facilitator"], organisation=org, action="site.create")
    page = (
        client_for(people["admin"])
        .get(_audit_url(org, actor=people["facilitator"].pk, action="site.create", page=1))
        .text
    )
    form = page[page.index(f'<form method="post" action="{_export_url(org)}"') :]
    form = form[: form.index("</form>")]
    assert "csrfmiddlewaretoken" in form
    assert f'<input type="hidden" name="actor" value="{people["facilitator"].pk}">' in form
    assert '<input type="hidden" name="action" value="site.create">' in form
    assert 'name="page"' not in form
    assert form.count('name="format"') == 3


def test_activity_log_shows_this_organisations_entries_newest_first(
    org, other_org, people, client_for
):
    audit_log(actor=people["facilitator"], organisation=org, action="site.create", target=org)
    audit_log(actor=people["admin"], organisation=org, action="charter.publish")
    audit_log(actor=people["other_admin"], organisation=other_org, action="secret.action")
    page = client_for(people["admin"]).get(_audit_url(org)).text
    assert "secret.action" not in page
    assert page.index("charter.publish") < page.index("site.create")
    assert str(people["facilitator"]) in page


def test_activity_log_filters_by_action_and_person(org, people, client_for):
    audit_log(actor=people["facilitator"], organisation=org, action="site.create")
    audit_log(actor=people["admin"], organisation=org, action="site.update")
    audit_log(actor=people["admin"], organisation=org, action="charter.publish")
    client = client_for(people["admin"])

    response = client.get(_audit_url(org, action="site.update"))
    assert [e.action for e in response.context["page_obj"]] == ["site.update"]

    response = client.get(_audit_url(org, actor=people["admin"].pk))
    assert [e.action for e in response.context["page_obj"]] == ["charter.publish", "site.update"]

    response = client.get(_audit_url(org, action="site.create", actor=people["admin"].pk))
    assert list(response.context["page_obj"]) == []
    assert "No entry matches these filters." in response.text or "Aucune" in response.text


def test_activity_log_rejects_an_unknown_filter_with_a_message(org, people, client_for):
    """A person who is not in the log cannot be chosen; the page says so and shows everything."""
    audit_log(actor=people["admin"], organisation=org, action="site.update")
    response = client_for(people["admin"]).get(_audit_url(org, actor=people["other_admin"].pk))
    assert response.status_code == 200
    assert response.context["form"].errors["actor"]
    assert len(response.context["page_obj"]) == 1


def test_activity_log_is_paginated(org, people, client_for):
    for n in range(AUDIT_PAGE_SIZE + 1):
        audit_log(actor=people["admin"], organisation=org, action=f"test.step{n}")
    client = client_for(people["admin"])
    first = client.get(_audit_url(org))
    assert len(first.context["page_obj"]) == AUDIT_PAGE_SIZE
    assert first.context["page_obj"][0].action == f"test.step{AUDIT_PAGE_SIZE}"
    second = client.get(_audit_url(org, page=2))
    assert [e.action for e in second.context["page_obj"]] == ["test.step0"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_activity_log_export_downloads_the_filtered_log(org, people, client_for, fmt):
    audit_log(actor=people["facilitator"], organisation=org, action="site.create", target=org)
    audit_log(actor=people["admin"], organisation=org, action="charter.publish")
    response = client_for(people["admin"]).post(
        _export_url(org), {"format": fmt, "actor": people["facilitator"].pk}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    headers, rows = read_table(SimpleUploadedFile(f"journal.{fmt}", response.content))
    assert len(headers) == 6
    assert len(rows) == 1
    values = list(rows[0].values())
    assert "site.create" in values
    assert people["facilitator"].email in values
    assert org.name in values


def test_activity_log_export_is_itself_recorded(org, people, client_for):
    audit_log(actor=people["admin"], organisation=org, action="charter.publish")
    audit_log(actor=people["admin"], organisation=org, action="site.create")
    client_for(people["admin"]).post(_export_url(org), {"format": "ods", "action": "site.create"})
    entry = AuditEntry.objects.filter(organisation=org).first()
    assert entry.action == "core.export"
    assert entry.actor == people["admin"]
    assert entry.details == {"export": "core.audit_log", "format": "ods", "rows": 1}


def test_activity_log_export_refuses_an_unknown_format(org, people, client_for):
    response = client_for(people["admin"]).post(_export_url(org), {"format": "pdf"})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="core.export").exists()


def test_backoffice_menu_links_to_the_log_for_administrators_only(org, people, client_for):
    url = _audit_url(org)
    home = reverse("organisations:backoffice_home", kwargs={"org_slug": org.slug})
    admin_menu = client_for(people["admin"]).get(home).text
    assert f'href="{url}"' in admin_menu
    facilitator_menu = client_for(people["facilitator"]).get(home).text
    assert f'href="{url}"' not in facilitator_menu


JOB_ACCESS = {
    "admin": 200,
    "facilitator": 200,
    "member": 403,
    "participant": 403,
    "anonymous": "login",
    "other_admin": 404,
}


@pytest.mark.parametrize(("role", "expected"), JOB_ACCESS.items())
def test_job_page_is_for_its_requester_and_administrators(org, people, client_for, role, expected):
    """The facilitator asked for the job; the admin sees every job; a member or
    participant may not see jobs at all (403); another facilitator's job is not
    found (404)."""
    job = BackgroundJobFactory(organisation=org, requested_by=people["facilitator"])
    assert _status(client_for(people[role]).get(_job_url(job))) == expected
    someone_elses = BackgroundJobFactory(organisation=org, requested_by=people["admin"])
    if role == "facilitator":
        assert client_for(people[role]).get(_job_url(someone_elses)).status_code == 404


def test_job_address_is_not_guessable(org, people):
    job = BackgroundJobFactory(organisation=org, requested_by=people["admin"])
    assert str(job.uuid) in _job_url(job)
    assert f"/{job.pk}/" not in _job_url(job)


def _jobs_url(org) -> str:
    return reverse("core:job_list", kwargs={"org_slug": org.slug})


@pytest.mark.parametrize(("role", "expected"), JOB_ACCESS.items())
def test_my_exports_page_by_role(org, people, client_for, role, expected):
    assert _status(client_for(people[role]).get(_jobs_url(org))) == expected


def test_my_exports_lists_own_jobs_and_every_job_for_administrators(
    org, other_org, people, client_for
):
    mine = BackgroundJobFactory(
        organisation=org, requested_by=people["facilitator"], label="Export des avis"
    )
    BackgroundJobFactory(organisation=org, requested_by=people["admin"], label="Export du journal")
    BackgroundJobFactory(
        organisation=other_org, requested_by=people["other_admin"], label="Export ailleurs"
    )
    page = client_for(people["facilitator"]).get(_jobs_url(org)).text
    assert "Export des avis" in page and mine.get_absolute_url() in page
    assert "Export du journal" not in page and "Export ailleurs" not in page
    page = client_for(people["admin"]).get(_jobs_url(org)).text
    assert "Export des avis" in page and "Export du journal" in page
    assert "Export ailleurs" not in page


def test_another_organisations_job_is_not_found(org, other_org, people, client_for):
    theirs = BackgroundJobFactory(organisation=other_org)
    url = reverse(
        "core:job_detail", kwargs={"org_slug": org.slug, "backgroundjob_uuid": theirs.uuid}
    )
    assert client_for(people["admin"]).get(url).status_code == 404


def test_running_job_page_refreshes_without_javascript_and_with_htmx(org, people, client_for):
    job = BackgroundJobFactory(
        organisation=org,
        label="Import des adhérents",
        total=40,
        requested_by=people["facilitator"],
    )
    job_progress(job_id=job.pk, done=10)
    response = client_for(people["facilitator"]).get(_job_url(job))
    page = response.text
    assert "Import des adhérents" in page
    assert '<progress id="job-progress-bar" max="40" value="10">' in page
    assert 'aria-live="polite"' in page
    assert f'href="{_job_url(job)}"' in page, "a plain link refreshes the page without JavaScript"
    assert 'hx-trigger="every 2s"' in page
    assert "http-equiv" not in page, "no meta refresh"
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_htmx_gets_only_the_progress_part(org, people, client_for):
    job = BackgroundJobFactory(organisation=org, total=40)
    job_progress(job_id=job.pk, done=30)
    response = client_for(people["admin"]).get(_job_url(job), **HTMX)
    assert response.status_code == 200
    part = response.text
    assert part.lstrip().startswith('<div id="job-progress"')
    assert "<html" not in part
    assert "<h1>" not in part
    assert 'value="30"' in part


def test_htmx_poll_with_nothing_new_gets_no_content(org, people, client_for):
    """Unchanged progress is not swapped in again, so screen readers do not repeat it."""
    job = BackgroundJobFactory(organisation=org, total=40)
    client = client_for(people["admin"])
    state = client.get(_job_url(job)).context["state"]
    assert client.get(_job_url(job) + f"?seen={state}", **HTMX).status_code == 204
    job_progress(job_id=job.pk, done=5)
    changed = client.get(_job_url(job) + f"?seen={state}", **HTMX)
    assert changed.status_code == 200
    assert 'value="5"' in changed.text


def test_finished_job_shows_its_result_and_stops_polling(org, people, client_for):
    job = BackgroundJobFactory(organisation=org, total=3)
    job_finish(job_id=job.pk, message="3 lignes importées.", result_url="/la-ruche/gestion/")
    client = client_for(people["admin"])
    for response in (client.get(_job_url(job)), client.get(_job_url(job), **HTMX)):
        assert response.status_code == 200
        assert 'href="/la-ruche/gestion/"' in response.text
        assert "3 lignes importées." in response.text
        assert "hx-trigger" not in response.text
        assert f'href="{_job_url(job)}"' not in response.text


def test_failed_job_shows_why(org, people, client_for):
    job = BackgroundJobFactory(
        organisation=org, status=BackgroundJob.Status.FAILED, message="Le fichier est vide."
    )
    page = client_for(people["admin"]).get(_job_url(job)).text
    assert "Le fichier est vide." in page
    assert "message--error" in page
    assert "hx-trigger" not in page


def test_activity_log_shows_sentences(org, people, client_for):
    """Each entry reads as a sentence: who did what, on which object."""
    people["admin"].display_name = "Claire Dubois"
    people["admin"].save(update_fields=["display_name"])
    audit_log(
        actor=people["admin"],
        organisation=org,
        action="core.export",
        details={"export": "core.audit_log", "format": "csv", "rows": 3},
    )
    site = SiteFactory(organisation=org, name="Maison de quartier")
    audit_log(actor=people["admin"], organisation=org, action="site.create", target=site)
    page = html.unescape(client_for(people["admin"]).get(_audit_url(org)).text)
    assert "<td>Claire Dubois a exporté le journal d'activité (CSV, 3 lignes)</td>" in page
    assert "<td>Claire Dubois a ajouté le lieu « Maison de quartier »</td>" in page


def test_empty_filters_show_everything(org, people, client_for):
    audit_log(actor=people["admin"], organisation=org, action="site.create")
    response = client_for(people["admin"]).get(_audit_url(org) + "?action=&actor=")
    assert response.context["is_filtered"] is False
    assert len(response.context["page_obj"]) == 1


def test_accessibility_statement_has_a_date_and_a_contact(client, settings):
    """The statement says when it was made and where to write (RGAA)."""
    settings.ACCESSIBILITY_CONTACT_EMAIL = "accessibilite@example.org"
    page = client.get(reverse("accessibility")).content.decode()
    assert "Déclaration établie le 3 décembre 2026." in page
    assert 'href="mailto:accessibilite@example.org"' in page

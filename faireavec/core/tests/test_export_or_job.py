"""`export_or_job`, the one way every list is exported: the same behaviour for
each list of the back office (each gets two rows here), and for the tables of
one object (a survey's responses and results, a draw's volunteers)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from faireavec.contributions.tests.factories import make_contribution
from faireavec.core.audit import audit_log, audit_sentence
from faireavec.core.exports import (
    _EXPORT_SPECS,
    EXPORT_FORMATS,
    export_spec,
    export_table_of,
    read_table,
)
from faireavec.core.models import AuditEntry, BackgroundJob
from faireavec.needs.models import WatchEntry
from faireavec.needs.tests.factories import NeedFactory
from faireavec.sortition.models import Draw, Pool, Volunteer
from faireavec.stakeholders.tests.factories import StakeholderFactory
from faireavec.surveys.services import response_submit
from faireavec.surveys.tests.factories import make_survey, question

pytestmark = pytest.mark.django_db

# (export URL name, spec name, list page URL name)
EXPORTS = [
    ("contributions:inbox_export", "contributions.inbox", "contributions:inbox"),
    ("stakeholders:stakeholder_export", "stakeholders.register", "stakeholders:stakeholder_list"),
    ("needs:need_export", "needs.register", "needs:need_list"),
    ("needs:watch_export", "needs.watch_log", "needs:watch_list"),
    ("core:audit_log_export", "core.audit_log", "core:audit_log"),
    ("surveys:survey_responses_export", "surveys.responses", "surveys:survey_results"),
    ("surveys:survey_results_export", "surveys.results", "surveys:survey_results"),
    ("sortition:draw_export", "sortition.draw", "sortition:draw_detail"),
]


class Demo:
    def __init__(self, organisation, users, targets):
        self.organisation, self.users, self.targets = organisation, users, targets

    def scope(self, spec_name: str) -> dict:
        """The URL arguments of a table of one object (its survey, its draw)."""
        app = spec_name.split(".", 1)[0]
        if app == "surveys":
            return {"survey_pk": self.targets["survey"].pk}
        if app == "sortition":
            return {"draw_pk": self.targets["draw"].pk}
        return {}


def _survey_with_two_responses(organisation):
    survey = make_survey(
        organisation, questions=[{"code": "venu", "kind": "yes_no", "label": "Venu ?"}]
    )
    venu = question(survey, "venu")
    for value in ("yes", "no"):
        response_submit(survey=survey, answers={venu.pk: value})
    return survey


def _draw_of_two_volunteers(organisation):
    pool = Pool.objects.create(organisation=organisation, title="Panel", panel_size=1)
    people = [
        Volunteer.objects.create(
            pool=pool,
            name=f"Personne {i}",
            contact=f"p{i}@exemple.org",
            source=Volunteer.Source.FORM,
            consent_at=timezone.now(),
            consent_text="ok",
        )
        for i in range(2)
    ]
    return Draw.objects.create(
        pool=pool,
        seed="1 2 3",
        status=Draw.Status.DONE,
        document={
            "people": [{"id": str(v.pk), "probability": 0.5, "profile": "g=F"} for v in people]
        },
    )


@pytest.fixture
def demo(org, other_org, people, settings, tmp_path):
    """Two rows in each list of `org` (and one of another organisation's, never exported)."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    for organisation in (org, other_org):
        targets = {
            "survey": _survey_with_two_responses(organisation),  # its creation is logged
            "draw": _draw_of_two_volunteers(organisation),
        }
        if organisation == org:
            org_targets = targets
        for i in range(2):
            make_contribution(organisation, title=f"Idée {i}")
            StakeholderFactory(organisation=organisation)
            NeedFactory(organisation=organisation, status="open" if i else "addressed")
            WatchEntry.objects.create(
                organisation=organisation,
                observed_on=timezone.localdate(),
                kind=WatchEntry.Kind.STUDY,
                title=f"Étude {i}",
                source="INSEE",
                summary="Plus de personnes seules.",
            )
        while AuditEntry.objects.filter(organisation=organisation).count() < 2:
            audit_log(
                actor=people["admin"], organisation=organisation, action="organisation.update"
            )
    return Demo(org, people, org_targets)


def _url(name: str, organisation, **kwargs) -> str:
    return reverse(name, kwargs={"org_slug": organisation.slug, **kwargs})


def _export_audits(organisation):
    return AuditEntry.objects.filter(
        organisation=organisation, action__in=["core.export", "core.export_of"]
    )


def _expected_rows(demo, spec) -> int:
    table = export_table_of(
        spec, organisation=demo.organisation, params=QueryDict(), scope=demo.scope(spec.name)
    )
    return table.total


def test_every_declared_export_is_offered_here():
    """A list export added later is covered by these tests once it is listed above."""
    assert {spec for _, spec, _ in EXPORTS} <= set(_EXPORT_SPECS)


@pytest.mark.parametrize(("url_name", "spec_name", "list_name"), EXPORTS)
def test_list_page_offers_the_export_as_a_post_form_with_its_filters(
    demo, client, url_name, spec_name, list_name
):
    client.force_login(demo.users["admin"])
    scope = demo.scope(spec_name)
    page = client.get(_url(list_name, demo.organisation, **scope), {"page": "1", "zz": "kept"})
    page = page.text
    action = _url(url_name, demo.organisation, **scope)
    assert f'<form method="post" action="{action}"' in page
    assert 'name="zz" value="kept"' in page, "the page's filters go with the form"
    assert 'name="page"' not in page.split(action, 1)[1].split("</form>", 1)[0]
    for fmt in EXPORT_FORMATS:
        assert f'name="format" value="{fmt}"' in page


@pytest.mark.parametrize(("url_name", "spec_name", "list_name"), EXPORTS)
def test_unknown_format_is_the_same_clear_400_page_everywhere(
    demo, client, url_name, spec_name, list_name
):
    client.force_login(demo.users["admin"])
    scope = demo.scope(spec_name)
    response = client.post(_url(url_name, demo.organisation, **scope), {"format": "pdf"})
    assert response.status_code == 400
    page = response.text
    assert "<title>Format de fichier non proposé" in page
    assert "CSV, XLSX, ODS" in page
    assert f'href="{_url(list_name, demo.organisation, **scope)}"' in page
    assert not _export_audits(demo.organisation).exists()
    assert not BackgroundJob.objects.filter(label__startswith="Export d").exists()


@pytest.mark.parametrize(("url_name", "spec_name", "list_name"), EXPORTS)
def test_a_get_writes_nothing(demo, client, url_name, spec_name, list_name):
    client.force_login(demo.users["admin"])
    scope = demo.scope(spec_name)
    response = client.get(_url(url_name, demo.organisation, **scope), {"format": "csv"})
    assert response.status_code == 405
    assert not _export_audits(demo.organisation).exists()


@pytest.mark.parametrize(("url_name", "spec_name", "list_name"), EXPORTS)
def test_small_export_is_the_answer_and_is_audited(demo, client, url_name, spec_name, list_name):
    fmt = "ods" if spec_name == "core.audit_log" else "csv"
    organisation, admin = demo.organisation, demo.users["admin"]
    spec = export_spec(spec_name)
    expected = _expected_rows(demo, spec)
    assert expected == 2
    client.force_login(admin)
    response = client.post(_url(url_name, organisation, **demo.scope(spec_name)), {"format": fmt})
    assert response.status_code == 200
    assert response["Content-Type"] == EXPORT_FORMATS[fmt]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert f"-{organisation.slug}-{timezone.localdate().isoformat()}.{fmt}" in disposition
    headers, rows = read_table(SimpleUploadedFile(f"x.{fmt}", response.content))
    if spec.table is None:
        assert headers == [str(h) for h in spec.headers]
    entry = _export_audits(organisation).get()
    assert entry.actor == admin
    assert entry.details == {"export": spec_name, "format": fmt, "rows": expected}
    assert str(spec.title) in audit_sentence(entry)
    assert len(rows) == expected
    assert not BackgroundJob.objects.filter(requested_by=admin, label__contains="Export").exists()


@pytest.mark.parametrize(("url_name", "spec_name", "list_name"), EXPORTS)
def test_large_export_is_a_job_with_progress_then_the_file_and_the_audit(
    demo, client, settings, django_capture_on_commit_callbacks, url_name, spec_name, list_name
):
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 0
    organisation, admin = demo.organisation, demo.users["admin"]
    spec = export_spec(spec_name)
    expected = _expected_rows(demo, spec)
    client.force_login(admin)
    before = _export_audits(organisation).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(url_name, organisation, **demo.scope(spec_name)), {"format": "xlsx"}
        )
    job = BackgroundJob.objects.filter(requested_by=admin).latest("pk")
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.status == BackgroundJob.Status.DONE
    assert (job.done, job.total) == (expected, expected)
    if spec.table is None:
        assert job.label.startswith(f"Export : {spec.title}, 2 lignes")
    else:
        assert job.label.startswith(f"Export : {spec.title} de « ")
    assert job.result_file.name.endswith(".xlsx")
    entry = _export_audits(organisation).latest("pk")
    assert _export_audits(organisation).count() == before + 1
    assert entry.details == {"export": spec_name, "format": "xlsx", "rows": expected}
    assert entry.actor == admin


def test_the_background_export_applies_the_posted_filters(
    demo, client, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 0
    organisation, admin = demo.organisation, demo.users["admin"]
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("needs:need_export", organisation), {"format": "csv", "status": "open"})
    job = BackgroundJob.objects.filter(requested_by=admin).latest("pk")
    spec = export_spec("needs.register")
    everything = spec.objects(organisation=organisation, params=QueryDict()).count()
    open_only = spec.objects(organisation=organisation, params=QueryDict("status=open")).count()
    assert open_only < everything
    assert job.total == open_only


@pytest.mark.parametrize(("url_name", "spec_name", "list_name"), EXPORTS)
def test_export_refused_to_people_without_the_permission(
    demo, client, url_name, spec_name, list_name
):
    for role, status in [("participant", {403, 404}), ("other_admin", {404}), (None, {302})]:
        client.logout()
        if role:
            client.force_login(demo.users[role])
        url = _url(url_name, demo.organisation, **demo.scope(spec_name))
        response = client.post(url, {"format": "csv"})
        assert response.status_code in status, role
    assert not AuditEntry.objects.filter(action__in=["core.export", "core.export_of"]).exists()
    assert not BackgroundJob.objects.exists()

"""Pages of the stakeholder register: who reaches them, what they show, and
that bad input gets a message, never a 500 nor a half-written record."""

import re
from datetime import timedelta

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from faireavec.core.models import AuditEntry, BackgroundJob
from faireavec.organisations.models import Role
from faireavec.organisations.tests.factories import MembershipFactory
from faireavec.stakeholders.models import Category, Interaction, Stakeholder, StakeholderSubcategory
from faireavec.stakeholders.tests.factories import (
    InteractionFactory,
    StakeholderFactory,
    StakeholderSubcategoryFactory,
    StakeholderTagFactory,
)

ROLES_MANAGE = {
    "anonymous": 302,
    "participant": 403,
    "member": 403,
    "facilitator": 200,
    "admin": 200,
    "other_admin": 404,
}


def url(org, name, **kwargs) -> str:
    return reverse(f"stakeholders:{name}", kwargs={"org_slug": org.slug, **kwargs})


@pytest.fixture
def stakeholder(org):
    s = StakeholderFactory(
        organisation=org,
        name="Ville de Lille",
        category=Category.PUBLIC_AUTHORITIES,
        email="contact@ville.example",
        contact_basis="legitimate_interest",
        current_level=2,
        target_level=4,
    )
    InteractionFactory(stakeholder=s)
    return s


def manage_pages(org, stakeholder):
    return [
        url(org, "stakeholder_list"),
        url(org, "stakeholder_review_list"),
        url(org, "stakeholder_create"),
        url(org, "stakeholder_detail", stakeholder_pk=stakeholder.pk),
        url(org, "stakeholder_edit", stakeholder_pk=stakeholder.pk),
        url(org, "stakeholder_delete", stakeholder_pk=stakeholder.pk),
        url(org, "stakeholder_import"),
        url(org, "subcategory_list"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), ROLES_MANAGE.items())
def test_register_pages_by_role(people, org, stakeholder, client_for, role, expected):
    """Only facilitators and admins open the register's pages; members and
    participants are refused, anonymous visitors sent to log in, other
    organisations get a 404."""
    org.members_see_stakeholder_map = True
    org.save()
    client = client_for(people[role])
    for page in manage_pages(org, stakeholder):
        response = client.get(page)
        assert response.status_code == expected, page
        if expected == 302:
            assert response["Location"].startswith(reverse("account_login"))
    response = client.post(url(org, "stakeholder_export"), {"format": "csv"})
    assert response.status_code == expected, "export"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "without_setting", "with_setting"),
    [
        ("anonymous", 302, 302),
        ("participant", 403, 403),
        ("member", 403, 200),
        ("facilitator", 200, 200),
        ("admin", 200, 200),
        ("other_admin", 404, 404),
    ],
)
def test_map_and_grid_by_role(
    people, org, stakeholder, client_for, role, without_setting, with_setting
):
    """The map and the grid follow the organisation's setting for members."""
    client = client_for(people[role])
    for name in ("stakeholder_map", "stakeholder_grid"):
        assert client.get(url(org, name)).status_code == without_setting
    org.members_see_stakeholder_map = True
    org.save()
    for name in ("stakeholder_map", "stakeholder_grid"):
        assert client.get(url(org, name)).status_code == with_setting


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "stakeholder_review",
        "stakeholder_delete",
        "stakeholder_detail",
        "stakeholder_edit",
    ],
)
def test_writes_refused_to_members(people, org, stakeholder, client_for, name):
    """A member (even allowed to see the map) cannot change the register by POST."""
    org.members_see_stakeholder_map = True
    org.save()
    response = client_for(people["member"]).post(
        url(org, name, stakeholder_pk=stakeholder.pk), {"kind": "meeting", "name": "X"}
    )
    assert response.status_code == 403
    assert Stakeholder.objects.filter(pk=stakeholder.pk, name="Ville de Lille").exists()
    assert Interaction.objects.filter(stakeholder=stakeholder).count() == 1


@pytest.mark.django_db
def test_members_map_has_no_contact_details_nor_links(people, org, stakeholder, client_for):
    """Members see names, categories and levels, never emails nor links to the entries."""
    org.members_see_stakeholder_map = True
    org.save()
    for name in ("stakeholder_map", "stakeholder_grid"):
        html = client_for(people["member"]).get(url(org, name)).content.decode()
        assert "Ville de Lille" in html
        assert "contact@ville.example" not in html
        assert url(org, "stakeholder_detail", stakeholder_pk=stakeholder.pk) not in html
    html = client_for(people["member"]).get(url(org, "stakeholder_map")).content.decode()
    assert '<g role="img" aria-label="Ville de Lille' in html


@pytest.mark.django_db
def test_map_points_are_named_and_the_table_links_to_them(people, org, stakeholder, client_for):
    """Each point is a named image (too small to be a link on a phone); the
    table links to each entry; the gap to the target level is drawn."""
    html = client_for(people["facilitator"]).get(url(org, "stakeholder_map")).content.decode()
    detail = url(org, "stakeholder_detail", stakeholder_pk=stakeholder.pk)
    assert '<g role="img" aria-label="Ville de Lille' in html
    assert f'<a href="{detail}">Ville de Lille</a>' in html
    assert 'class="map-gap"' in html
    assert '<title id="map-title">' in html and '<desc id="map-desc">' in html
    assert 'id="map-table"' in html
    # Coordinates are never localised (« 12,5 » in French would break the drawing).
    assert not re.search(r'(?:x|y|x1|y1|x2|y2|width|r)="-?\d+,\d', html)
    assert re.search(r'<use href="#shape-\w+" x="-?\d+(\.\d+)?" y="-?\d+(\.\d+)?"', html)
    grid = client_for(people["facilitator"]).get(url(org, "stakeholder_grid")).content.decode()
    assert not re.search(r'(?:cx|cy|r)="-?\d+,\d', grid)


@pytest.mark.django_db
def test_create_stakeholder(people, org, client_for):
    """A facilitator adds a stakeholder with tags; it is audited."""
    response = client_for(people["facilitator"]).post(
        url(org, "stakeholder_create"),
        {
            "kind": "organisation",
            "name": "Fondation de France",
            "category": "funders",
            "territory": "Lille",
            "tags_text": "financement, Appel à projets",
            "current_level": "1",
            "target_level": "3",
            "participation_modes": ["partnership", "committee"],
            "influence": "4",
            "interest": "2",
            "email": "contact@fdf.example",
            "contact_basis": "legitimate_interest",
        },
    )
    stakeholder = Stakeholder.objects.get(organisation=org, name="Fondation de France")
    assert response.status_code == 302
    assert response["Location"] == stakeholder.get_absolute_url()
    assert sorted(t.name for t in stakeholder.tags.all()) == ["Appel à projets", "financement"]
    assert stakeholder.participation_modes == ["partnership", "committee"]
    assert stakeholder.contact_review_on is not None
    assert AuditEntry.objects.filter(
        organisation=org, action="stakeholder.create", target_id=str(stakeholder.pk)
    ).exists()


@pytest.mark.django_db
def test_create_with_bad_input_shows_errors_and_writes_nothing(people, org, client_for):
    """Missing name, an influence of 9, an email without a basis, a sub-category
    of another organisation: the form says so, nothing is saved."""
    foreign = StakeholderSubcategoryFactory(category="funders")
    response = client_for(people["facilitator"]).post(
        url(org, "stakeholder_create"),
        {
            "kind": "person",
            "name": "",
            "category": "funders",
            "subcategory": str(foreign.pk),
            "current_level": "7",
            "target_level": "1",
            "influence": "9",
            "interest": "3",
            "email": "pas-une-adresse",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    for field in ("name", "subcategory", "current_level", "influence", "email"):
        assert field in form.errors, field
    assert not Stakeholder.objects.filter(organisation=org).exists()


@pytest.mark.django_db
def test_contact_without_basis_is_refused(people, org, client_for):
    response = client_for(people["facilitator"]).post(
        url(org, "stakeholder_create"),
        {
            "kind": "person",
            "name": "Mme Leroy",
            "category": "beneficiaries",
            "current_level": "1",
            "target_level": "1",
            "influence": "1",
            "interest": "1",
            "phone": "06 00 00 00 00",
        },
    )
    assert response.status_code == 200
    assert "contact_basis" in response.context["form"].errors
    assert not Stakeholder.objects.filter(organisation=org).exists()


@pytest.mark.django_db
def test_edit_stakeholder_records_changed_fields(people, org, stakeholder, client_for):
    response = client_for(people["admin"]).post(
        url(org, "stakeholder_edit", stakeholder_pk=stakeholder.pk),
        {
            "kind": "organisation",
            "name": "Ville de Lille",
            "category": "public_authorities",
            "current_level": "3",
            "target_level": "4",
            "influence": "5",
            "interest": "3",
            "email": "contact@ville.example",
            "contact_basis": "legitimate_interest",
        },
    )
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert stakeholder.current_level == 3
    entry = AuditEntry.objects.get(action="stakeholder.update", target_id=str(stakeholder.pk))
    assert "current_level" in entry.details["fields"]


@pytest.mark.django_db
def test_log_an_interaction_and_delete_it(people, org, stakeholder, client_for):
    client = client_for(people["facilitator"])
    detail = url(org, "stakeholder_detail", stakeholder_pk=stakeholder.pk)
    response = client.post(
        detail,
        {"kind": "call", "occurred_on": timezone.localdate().isoformat(), "people": "Karim"},
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get(stakeholder=stakeholder, kind="call")
    assert interaction.recorded_by == people["facilitator"]
    assert AuditEntry.objects.filter(action="stakeholder.interaction_create").exists()
    response = client.post(url(org, "interaction_delete", interaction_pk=interaction.pk))
    assert response.status_code == 302
    assert not Interaction.objects.filter(pk=interaction.pk).exists()
    assert AuditEntry.objects.filter(action="stakeholder.interaction_delete").exists()


@pytest.mark.django_db
def test_interaction_in_the_future_is_refused(people, org, stakeholder, client_for):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(people["facilitator"]).post(
        url(org, "stakeholder_detail", stakeholder_pk=stakeholder.pk),
        {"kind": "call", "occurred_on": tomorrow.isoformat()},
    )
    assert response.status_code == 200
    assert "occurred_on" in response.context["form"].errors
    assert Interaction.objects.filter(stakeholder=stakeholder).count() == 1


@pytest.mark.django_db
def test_interaction_of_another_organisation_is_404(people, org, client_for):
    foreign = InteractionFactory()
    response = client_for(people["admin"]).post(
        url(org, "interaction_delete", interaction_pk=foreign.pk)
    )
    assert response.status_code == 404
    assert Interaction.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_stakeholder_of_another_organisation_is_404(people, org, client_for):
    foreign = StakeholderFactory()
    client = client_for(people["admin"])
    assert client.get(url(org, "stakeholder_detail", stakeholder_pk=foreign.pk)).status_code == 404
    assert client.post(url(org, "stakeholder_delete", stakeholder_pk=foreign.pk)).status_code == 404
    assert Stakeholder.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_mark_reviewed_and_delete(people, org, stakeholder, client_for):
    Stakeholder.objects.filter(pk=stakeholder.pk).update(
        reviewed_on=timezone.localdate() - timedelta(days=800)
    )
    Interaction.objects.filter(stakeholder=stakeholder).update(
        occurred_on=timezone.localdate() - timedelta(days=800)
    )
    client = client_for(people["facilitator"])
    review_list = client.get(url(org, "stakeholder_review_list")).content.decode()
    assert "Ville de Lille" in review_list
    client.post(
        url(org, "stakeholder_review", stakeholder_pk=stakeholder.pk), {"next": "review_list"}
    )
    stakeholder.refresh_from_db()
    assert stakeholder.reviewed_on == timezone.localdate()
    response = client.get(url(org, "stakeholder_review_list"))
    assert list(response.context["page_obj"]) == []
    client.post(url(org, "stakeholder_delete", stakeholder_pk=stakeholder.pk))
    assert not Stakeholder.objects.filter(pk=stakeholder.pk).exists()
    assert AuditEntry.objects.filter(action="stakeholder.delete").exists()


@pytest.mark.django_db
def test_filters_from_the_url(people, org, stakeholder, client_for):
    """Filters are GET parameters; a value not in the lists is ignored, never a 500."""
    tag = StakeholderTagFactory(organisation=org, name="jeunesse")
    young = StakeholderFactory(organisation=org, name="Jeunes du quartier", territory="Wazemmes")
    young.tags.add(tag)
    client = client_for(people["facilitator"])
    for name in ("stakeholder_list", "stakeholder_map", "stakeholder_grid"):
        html = client.get(url(org, name), {"tag": tag.pk}).content.decode()
        assert "Jeunes du quartier" in html and "Ville de Lille" not in html, name
        html = client.get(
            url(org, name), {"category": "public_authorities", "level": "2"}
        ).content.decode()
        assert "Ville de Lille" in html and "Jeunes du quartier" not in html, name
        html = client.get(url(org, name), {"territory": "Wazemmes"}).content.decode()
        assert "Jeunes du quartier" in html and "Ville de Lille" not in html, name
        response = client.get(url(org, name), {"level": "x", "tag": "999999", "category": "?"})
        assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_export_filtered_register(people, org, stakeholder, client_for, fmt):
    StakeholderFactory(organisation=org, name="Autre personne", category="volunteers")
    response = client_for(people["facilitator"]).post(
        url(org, "stakeholder_export"), {"format": fmt, "category": "public_authorities"}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    if fmt == "csv":
        data = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv", delimiter=";")
    else:
        data = tablib.Dataset().load(content, format=fmt)
    names = data.get_col(0)
    assert names == ["Ville de Lille"]
    assert "contact@ville.example" in data[0]


@pytest.mark.django_db
def test_export_unknown_format(people, org, client_for):
    response = client_for(people["facilitator"]).post(
        url(org, "stakeholder_export"), {"format": "pdf"}
    )
    assert response.status_code == 400


def _upload(name: str, rows: list[list], headers: list[str]) -> SimpleUploadedFile:
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    fmt = name.rsplit(".", 1)[-1]
    content = dataset.export(fmt)
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content)


HEADERS = ["Nom", "Catégorie", "Courriel", "Base de conservation", "Influence", "Niveau actuel"]


@pytest.mark.django_db
def test_import_with_mistakes_shows_every_mistake_and_writes_nothing(
    people, org, stakeholder, client_for
):
    """A file full of mistakes: each row's problems are listed; nothing is written,
    and there is nothing to confirm."""
    rows = [
        ["", "bénéficiaires", "", "", "", ""],  # line 2: missing name
        ["Collectif X", "licornes", "", "", "", ""],  # 3: unknown category
        ["Autre", "bénéficiaires", "contact@ville.example", "consentement", "", ""],  # 4: dup email
        ["ville de  LILLE", "financeurs", "", "", "", ""],  # 5: duplicate name
        ["Mme Roux", "", "", "", "", ""],  # 6: missing category
        ["M. Petit", "salariés", "", "", "9", ""],  # 7: influence out of range
        ["Mme Blanc", "salariés", "pas-une-adresse", "consentement", "", ""],  # 8: bad email
        ["M. Noir", "salariés", "noir@example.org", "", "", ""],  # 9: contact without basis
        ["M. Vert", "salariés", "", "", "", "beaucoup"],  # 10: unknown level
    ]
    client = client_for(people["facilitator"])
    response = client.post(
        url(org, "stakeholder_import"), {"file": _upload("erreurs.csv", rows, HEADERS)}
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert [r.line for r in preview.invalid_rows] == list(range(2, 11))
    assert not preview.valid_rows
    html = response.content.decode()
    for expected in (
        "Nom : Ce champ est obligatoire.",
        "licornes n\u2019en fait pas partie.",
        "Déjà dans le registre avec le même courriel : Ville de Lille.",
        "Déjà dans le registre avec le même nom : Ville de Lille.",
        "Catégorie : Ce champ est obligatoire.",
        "« pas-une-adresse » : Saisissez une adresse",
        "consentement",
        "beaucoup",
    ):
        assert expected in html, expected
    assert 'name="confirm"' not in html
    assert Stakeholder.objects.filter(organisation=org).count() == 1


@pytest.fixture
def tasks_at_once(settings):
    """Background tasks run at once, inside the request (as in the browser tests)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """Confirm a previewed import; the job's task is enqueued as the request commits."""

    def post(client, org, token):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url(org, "stakeholder_import"), {"token": token, "confirm": "1"})

    return post


def _preview(client, org, rows, headers=HEADERS, name="liste.csv"):
    response = client.post(url(org, "stakeholder_import"), {"file": _upload(name, rows, headers)})
    assert response.status_code == 200
    return response


def _job_url(job) -> str:
    return reverse(
        "core:job_detail",
        kwargs={"org_slug": job.organisation.slug, "backgroundjob_uuid": job.uuid},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("ext", ["csv", "xlsx", "ods"])
def test_import_preview_then_confirm(
    people, org, stakeholder, client_for, tasks_at_once, confirm, ext
):
    """Valid rows are written only on confirmation, all together, by a background
    job whose page the person is sent to; invalid ones are skipped."""
    rows = [
        ["Mme Roux", "bénéficiaires", "roux@example.org", "consentement", "2", "consulter"],
        ["Ville de Lille", "financeurs", "", "", "", ""],  # duplicate: skipped
        ["SCOP Atelier Bois", "acteurs privés de l'ESS", "", "", "3", "2"],
    ]
    facilitator = people["facilitator"]
    client = client_for(facilitator)
    response = _preview(client, org, rows, name=f"liste.{ext}")
    assert [r.line for r in response.context["preview"].valid_rows] == [2, 4]
    assert Stakeholder.objects.filter(organisation=org).count() == 1
    assert not BackgroundJob.objects.exists()
    token = response.context["token"]
    response = confirm(client, org, token)
    job = BackgroundJob.objects.get(organisation=org)
    assert response.status_code == 302
    assert response["Location"] == _job_url(job)
    assert (job.label, job.requested_by, job.status) == (
        "Import de 2 parties prenantes",
        facilitator,
        BackgroundJob.Status.DONE,
    )
    assert (job.done, job.total) == (2, 2)
    assert job.message == "2 parties prenantes sont ajoutées au registre."
    assert job.result_url == url(org, "stakeholder_list")
    assert set(Stakeholder.objects.filter(organisation=org).values_list("name", flat=True)) == {
        "Ville de Lille",
        "Mme Roux",
        "SCOP Atelier Bois",
    }
    roux = Stakeholder.objects.get(organisation=org, name="Mme Roux")
    assert (roux.current_level, roux.influence, roux.contact_basis) == (2, 2, "consent")
    entry = AuditEntry.objects.get(action="stakeholder.import")
    assert (entry.actor, entry.details["count"]) == (facilitator, 2)
    # The job's page says it is finished and links to the register.
    html = client.get(response["Location"]).content.decode()
    assert "terminé" in html
    assert f'href="{url(org, "stakeholder_list")}"' in html
    # The preview is used up: confirming again writes nothing more and starts no job.
    response = confirm(client, org, token)
    assert response["Location"] == url(org, "stakeholder_import")
    assert Stakeholder.objects.filter(organisation=org).count() == 3
    assert BackgroundJob.objects.count() == 1


@pytest.mark.django_db
def test_import_confirm_only_starts_the_job(people, org, client_for, confirm):
    """With a real queue the request writes no stakeholder: it creates a waiting
    job and enqueues the task with JSON data, and the job's page shows it waiting
    until a worker runs it."""
    from django_tasks_db.models import DBTaskResult

    client = client_for(people["facilitator"])
    response = _preview(client, org, [["Mme Roux", "bénéficiaires"]], ["Nom", "Catégorie"])
    response = confirm(client, org, response.context["token"])
    job = BackgroundJob.objects.get(organisation=org)
    assert response["Location"] == _job_url(job)
    assert (job.status, job.done, job.total) == (BackgroundJob.Status.PENDING, 0, 1)
    assert not Stakeholder.objects.filter(organisation=org).exists()
    queued = DBTaskResult.objects.get(
        task_path="faireavec.stakeholders.tasks.stakeholder_import_task"
    )
    assert queued.task_path == "faireavec.stakeholders.tasks.stakeholder_import_task"
    kwargs = queued.args_kwargs["kwargs"]
    assert (kwargs["job_id"], kwargs["confirmed_lines"]) == (job.pk, [2])
    assert "en attente" in client.get(response["Location"]).content.decode()
    # A worker later runs it from what was stored.
    queued.task.call(*queued.task_result.args, **queued.task_result.kwargs)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert Stakeholder.objects.filter(organisation=org, name="Mme Roux").exists()


@pytest.mark.django_db
def test_import_confirm_after_the_register_changed_writes_nothing(
    people, org, client_for, tasks_at_once, confirm
):
    """If a row became a duplicate between the preview and the confirmation, no
    row is written and the job fails, saying which line and what to do."""
    rows = [["Mme Roux", "bénéficiaires"], ["M. Petit", "salariés"]]
    client = client_for(people["facilitator"])
    response = _preview(client, org, rows, ["Nom", "Catégorie"])
    token = response.context["token"]
    StakeholderFactory(organisation=org, name="M. Petit")
    response = confirm(client, org, token)
    job = BackgroundJob.objects.get(organisation=org)
    assert response["Location"] == _job_url(job)
    assert job.status == BackgroundJob.Status.FAILED
    assert "Ligne 3 : Déjà dans le registre avec le même nom : M. Petit." in job.message
    assert not Stakeholder.objects.filter(organisation=org, name="Mme Roux").exists()
    assert not AuditEntry.objects.filter(action="stakeholder.import").exists()
    html = client.get(response["Location"]).content.decode()
    assert "échoué" in html and "Choisissez à nouveau le fichier" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"), [("member", 403), ("participant", 403), ("other_admin", 404)]
)
def test_import_confirm_by_role(people, org, client_for, tasks_at_once, role, expected):
    """Only people who may import can confirm: others start no job and write nothing."""
    client = client_for(people[role])
    response = client.post(url(org, "stakeholder_import"), {"token": "x", "confirm": "1"})
    assert response.status_code == expected
    assert not BackgroundJob.objects.exists()
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_import_bad_files(people, org, client_for):
    """Not a table, a wrong token, a cancel: clear messages, nothing written."""
    client = client_for(people["facilitator"])
    response = client.post(
        url(org, "stakeholder_import"),
        {"file": SimpleUploadedFile("photo.png", b"\x89PNG not a table")},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    response = client.post(
        url(org, "stakeholder_import"),
        {"file": SimpleUploadedFile("casse.xlsx", b"not really a spreadsheet")},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    response = client.post(
        url(org, "stakeholder_import"),
        {"file": _upload("sans-nom.csv", [["x", "y"]], ["Colonne", "Autre"])},
    )
    assert response.context["preview"].file_problems
    assert 'name="confirm"' not in response.content.decode()
    response = client.post(url(org, "stakeholder_import"), {"token": "faux", "confirm": "1"})
    assert response.status_code == 302
    response = client.post(url(org, "stakeholder_import"), {"token": "faux", "cancel": "1"})
    assert response.status_code == 302
    assert not Stakeholder.objects.filter(organisation=org).exists()


@pytest.mark.django_db
def test_subcategories(people, org, client_for):
    client = client_for(people["facilitator"])
    client.post(url(org, "subcategory_list"), {"category": "funders", "name": "Fondations"})
    sub = StakeholderSubcategory.objects.get(organisation=org, name="Fondations")
    response = client.post(
        url(org, "subcategory_list"), {"category": "funders", "name": "Fondations"}
    )
    assert response.status_code == 200  # duplicate: a message on the form
    assert StakeholderSubcategory.objects.filter(organisation=org).count() == 1
    client.post(url(org, "subcategory_delete", stakeholdersubcategory_pk=sub.pk))
    assert not StakeholderSubcategory.objects.filter(pk=sub.pk).exists()
    assert AuditEntry.objects.filter(action="stakeholder.subcategory_delete").exists()


def _queries(client, page) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(page).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_register(people, org, client_for):
    """Register, map and grid pages run the same number of queries for 3 or 30 stakeholders."""
    tag = StakeholderTagFactory(organisation=org)
    sub = StakeholderSubcategoryFactory(organisation=org)

    def add(n):
        for _ in range(n):
            s = StakeholderFactory(
                organisation=org, category=sub.category, subcategory=sub, territory="Lille"
            )
            s.tags.add(tag)
            InteractionFactory(stakeholder=s)

    client = client_for(people["facilitator"])
    pages = [url(org, n) for n in ("stakeholder_list", "stakeholder_map", "stakeholder_grid")]
    add(3)
    small = [_queries(client, p) for p in pages]
    add(27)
    large = [_queries(client, p) for p in pages]
    assert small == large


@pytest.mark.django_db
def test_filtered_map_states_its_filters(people, org, stakeholder, client_for):
    """A filtered map, printed or shared, says which filters it shows."""
    response = client_for(people["facilitator"]).get(
        url(org, "stakeholder_map"), {"category": "public_authorities", "level": "2"}
    )
    html = response.content.decode()
    assert 'class="filter-summary"' in html
    assert "<strong>pouvoirs publics et collectivités</strong>" in html
    assert "<strong>consulter</strong>" in html


@pytest.mark.django_db
def test_too_long_tag_is_refused_on_its_field(people, org, client_for):
    response = client_for(people["facilitator"]).post(
        url(org, "stakeholder_create"),
        {
            "kind": "person",
            "name": "Mme Roux",
            "category": "beneficiaries",
            "current_level": "1",
            "target_level": "1",
            "influence": "1",
            "interest": "1",
            "tags_text": "court, " + "x" * 51,
        },
    )
    assert response.status_code == 200
    assert "tags_text" in response.context["form"].errors
    assert not Stakeholder.objects.filter(organisation=org).exists()


@pytest.mark.django_db
def test_editing_a_stakeholder_removed_meanwhile(people, org, stakeholder, client_for):
    """Saving the form of an entry someone else just removed gives a message, not a 500."""
    from faireavec.stakeholders.services import stakeholder_update

    stale = Stakeholder.objects.get(pk=stakeholder.pk)
    Stakeholder.objects.filter(pk=stakeholder.pk).delete()
    with pytest.raises(ValidationError):
        stakeholder_update(
            actor=people["facilitator"], stakeholder=stale, data={"name": "Nouveau nom"}
        )
    assert not Stakeholder.objects.filter(name="Nouveau nom").exists()


@pytest.mark.django_db
def test_map_offers_the_filtered_export_to_facilitators_only(people, org, stakeholder, client_for):
    org.members_see_stakeholder_map = True
    org.save()
    html = (
        client_for(people["facilitator"])
        .get(url(org, "stakeholder_map"), {"category": "funders"})
        .content.decode()
    )
    form = html[html.index(f'<form method="post" action="{url(org, "stakeholder_export")}"') :]
    assert '<input type="hidden" name="category" value="funders">' in form[: form.index("</form>")]
    html = client_for(people["member"]).get(url(org, "stakeholder_map"), {"category": "funders"})
    assert url(org, "stakeholder_export") not in html.content.decode()


@pytest.mark.django_db
def test_import_keeps_the_file_in_private_storage_not_in_the_session(
    people, org, client_for, confirm
):
    """The upload waits in the private storage under an unguessable token; the
    session holds none of its rows; only the person who uploaded it may confirm
    it; cancelling deletes the file."""
    from faireavec.core.storage import private_storage

    client = client_for(people["facilitator"])
    response = _preview(client, org, [["Mme Roux", "bénéficiaires"]], ["Nom", "Catégorie"])
    token = response.context["token"]
    stored = f"imports/{org.pk}/{token}.csv"
    assert private_storage().exists(stored)
    assert "Mme Roux" not in str(dict(client.session))
    # Another facilitator of the organisation cannot confirm someone else's import.
    colleague = MembershipFactory(organisation=org, role=Role.FACILITATOR).user
    response = confirm(client_for(colleague), org, token)
    assert response["Location"] == url(org, "stakeholder_import")
    assert not BackgroundJob.objects.exists()
    # A token that tries to leave the folder is refused like any unknown one.
    response = confirm(client, org, "../../etc/passwd")
    assert response["Location"] == url(org, "stakeholder_import")
    client.post(url(org, "stakeholder_import"), {"token": token, "cancel": "1"})
    assert not private_storage().exists(stored)
    assert confirm(client, org, token)["Location"] == url(org, "stakeholder_import")
    assert not BackgroundJob.objects.exists()


def _contact_data(phone: str) -> dict:
    return {
        "kind": "person",
        "name": "Mme Leroy",
        "category": "beneficiaries",
        "current_level": "1",
        "target_level": "1",
        "influence": "1",
        "interest": "1",
        "phone": phone,
        "contact_basis": "consent",
    }


@pytest.mark.django_db
def test_phone_number_is_checked_and_stored_in_one_form(people, org, client_for):
    """A phone number typed the French way is stored as E.164; one that is not a
    phone number gets a message on its field and nothing is written."""
    client = client_for(people["facilitator"])
    bad = client.post(url(org, "stakeholder_create"), _contact_data("12 34"))
    assert bad.status_code == 200
    assert "phone" in bad.context["form"].errors
    assert not Stakeholder.objects.filter(organisation=org).exists()
    good = client.post(url(org, "stakeholder_create"), _contact_data("03 20 12 34 56"))
    assert good.status_code == 302
    stakeholder = Stakeholder.objects.get(organisation=org)
    assert stakeholder.phone.as_e164 == "+33320123456"
    assert str(stakeholder.phone) == "+33 3 20 12 34 56"

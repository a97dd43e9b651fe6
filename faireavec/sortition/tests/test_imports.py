"""Volunteers from the member register and from a file (preview, all-or-nothing confirm),
the member's own consent, and the panel taking a body's seats."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from faireavec.core.models import AuditEntry
from faireavec.governance.models import Body, Mandate, Member, Seat
from faireavec.governance.tests.factories import CollegeFactory, MemberFactory
from faireavec.sortition import services
from faireavec.sortition.forms import FROM_COLLEGE
from faireavec.sortition.imports import (
    ImportChanged,
    volunteer_consent_confirm,
    volunteer_import_confirm,
    volunteer_import_preview,
    volunteers_from_members,
)
from faireavec.sortition.models import Draw, PanelMember, Volunteer
from faireavec.sortition.tests.factories import make_pool

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):
    return reverse(f"sortition:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _csv(text: str, name: str = "volontaires.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


GOOD_CSV = (
    "Nom;Contact;Genre;Âge\n"
    "Zoé Martin;zoe@exemple.org;F;Jeune\n"
    "Marc Petit;06 12 34 56 78;h;aîné\n"  # capitals and accents aside
)


def _college_pool(org, actor):
    """A pool whose category « Collège » has a value per college of the register, and
    the register: 3 active members in « Usagers », 2 in « Salariés », 1 resigned."""
    users = CollegeFactory(organisation=org, name="Usagers")
    staff = CollegeFactory(organisation=org, name="Salariés")
    for i in range(3):
        MemberFactory(organisation=org, college=users, email=f"u{i}@exemple.org")
    for _i in range(2):
        MemberFactory(organisation=org, college=staff)  # no email: reached by number
    MemberFactory(
        organisation=org,
        college=users,
        status=Member.Status.RESIGNED,
        left_on=datetime.date(2026, 1, 1),
    )
    pool = services.pool_create(organisation=org, actor=actor, title="Conseil", panel_size=2)
    college = services.category_create(
        pool=pool, actor=actor, name="Collège", values=["Usagers", "Salariés"]
    )
    age = services.category_create(pool=pool, actor=actor, name="Âge", values=["Jeune", "Aîné"])
    return pool, college, age, users, staff


# From the member register ----------------------------------------------------------


def test_active_members_join_with_college_and_typed_values_consent_to_confirm(org, people):
    """All active members join; « Collège » from their college, « Âge » the value chosen;
    their consent is to be confirmed and they are not drawn until they confirm it."""
    pool, college, age, _users, _staff = _college_pool(org, people["facilitator"])
    young = age.values.get(label="Jeune")
    result = volunteers_from_members(
        pool=pool,
        actor=people["facilitator"],
        features={college.pk: FROM_COLLEGE, age.pk: young.pk},
    )
    assert len(result.added) == 5 and result.skipped == []
    volunteers = Volunteer.objects.filter(pool=pool)
    assert volunteers.count() == 5
    assert all(v.source == "member" and v.consent_pending and v.member_id for v in volunteers)
    staff_volunteer = volunteers.filter(member__college__name="Salariés").first()
    assert staff_volunteer.contact.startswith("sociétaire n°") or "S" in staff_volunteer.contact
    assert {f.value.label for f in staff_volunteer.features.all()} == {"Salariés", "Jeune"}
    problem, _left_out = services.pool_problem(pool)
    assert problem.pool_size == 0  # nobody consented yet: nobody is drawn
    again = volunteers_from_members(
        pool=pool,
        actor=people["facilitator"],
        features={college.pk: FROM_COLLEGE, age.pk: young.pk},
    )
    assert again.added == [] and Volunteer.objects.filter(pool=pool).count() == 5
    assert AuditEntry.objects.filter(action="sortition.volunteers_from_members").count() == 2


def test_one_college_only_and_a_college_without_a_value_is_left_out_with_a_reason(org, people):
    """Choosing a college takes its active members only; a member whose college has no
    value of that name is left out and said why."""
    pool, college, age, users, _staff = _college_pool(org, people["facilitator"])
    result = volunteers_from_members(
        pool=pool,
        actor=people["facilitator"],
        features={college.pk: FROM_COLLEGE, age.pk: age.values.first().pk},
        college=users,
    )
    assert len(result.added) == 3
    partners = CollegeFactory(organisation=org, name="Partenaires")
    MemberFactory(organisation=org, college=partners, name="Jeanne Sans-Valeur")
    result = volunteers_from_members(
        pool=pool,
        actor=people["facilitator"],
        features={college.pk: FROM_COLLEGE, age.pk: age.values.first().pk},
    )
    assert len(result.added) == 2
    assert len(result.skipped) == 1 and "Jeanne Sans-Valeur" in result.skipped[0]


def test_member_confirms_their_own_consent_then_is_drawn(org, people, client_for):
    """A member with an account confirms on the pool's consent page; nobody else can."""
    pool, college, age, users, _staff = _college_pool(org, people["facilitator"])
    MemberFactory(organisation=org, college=users, user=people["member"], email="m@exemple.org")
    volunteers_from_members(
        pool=pool,
        actor=people["facilitator"],
        features={college.pk: FROM_COLLEGE, age.pk: age.values.first().pk},
    )
    mine = Volunteer.objects.get(pool=pool, user=people["member"])
    from faireavec.core.models import Notification

    asked = Notification.objects.get(recipient=people["member"])
    assert "volontaire" in asked.title and asked.url == _url(
        "volunteer_consent", org, pool_pk=pool.pk
    )
    with pytest.raises(Exception, match="elle-même"):
        volunteer_consent_confirm(volunteer=mine, user=people["admin"])
    url = _url("volunteer_consent", org, pool_pk=pool.pk)
    assert client_for(None).get(url).status_code == 302
    other = client_for(people["participant"]).get(url)
    assert other.status_code == 200 and "pas parmi les volontaires" in other.content.decode()
    client = client_for(people["member"])
    assert client.get(url).status_code == 200
    refused = client.post(url, {})
    assert refused.status_code == 200
    mine.refresh_from_db()
    assert mine.consent_pending
    assert client.post(url, {"consent": "on"}).status_code == 302
    mine.refresh_from_db()
    assert not mine.consent_pending and mine.consent_text
    problem, _left_out = services.pool_problem(pool)
    assert problem.pool_size == 1


def test_members_page_per_role_and_other_organisations_college_refused(
    org, other_org, people, client_for
):
    """Facilitators add members; members get 403; another organisation's college id is
    refused with a message (never a 500), and nothing is added."""
    pool, college, age, _users, _staff = _college_pool(org, people["facilitator"])
    url = _url("volunteer_members", org, pool_pk=pool.pk)
    assert client_for(people["member"]).get(url).status_code == 403
    assert client_for(people["participant"]).get(url).status_code == 403
    assert client_for(people["other_admin"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    client = client_for(people["facilitator"])
    assert client.get(url).status_code == 200
    foreign = CollegeFactory(organisation=other_org, name="Usagers")
    data = {
        f"category_{college.pk}": FROM_COLLEGE,
        f"category_{age.pk}": str(age.values.first().pk),
    }
    refused = client.post(url, {**data, "college": foreign.pk})
    assert refused.status_code == 200 and 'id="error-summary"' in refused.content.decode()
    unknown = client.post(url, {**data, f"category_{age.pk}": "999999"})
    assert unknown.status_code == 200 and not Volunteer.objects.filter(pool=pool).exists()
    done = client.post(url, data)
    assert done.status_code == 302 and Volunteer.objects.filter(pool=pool).count() == 5


# From a file -------------------------------------------------------------------------


def test_preview_lists_each_rows_problems_and_writes_nothing(org, people):
    """Unknown value, missing name, duplicate contact: each row says what is wrong."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    before = Volunteer.objects.filter(pool=pool).count()
    text = GOOD_CSV + (
        ";x@exemple.org;F;Jeune\n"
        "Léa;zoe@exemple.org;F;Jeune\n"
        "Ana;ana@exemple.org;Autre;Jeune\n"
        "Paul;p0@exemple.org;H;Aîné\n"
    )
    preview, signed = volunteer_import_preview(
        pool=pool, actor=people["facilitator"], upload=_csv(text)
    )
    assert signed and len(preview.valid_rows) == 2
    problems = {row.line: " ".join(row.problems) for row in preview.invalid_rows}
    assert "nom" in problems[4].lower()
    assert "deux fois" in problems[5]
    assert "« Autre »" in problems[6] and "F, H" in problems[6]
    assert "déjà" in problems[7]
    assert Volunteer.objects.filter(pool=pool).count() == before


def test_confirm_writes_every_valid_row_with_features_and_consent_as_stated(org, people):
    """The confirmation writes the rows previewed, with their values; without the
    consent box their consent is to be confirmed."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    _preview, signed = volunteer_import_preview(
        pool=pool, actor=people["facilitator"], upload=_csv(GOOD_CSV)
    )
    created = volunteer_import_confirm(pool=pool, actor=people["facilitator"], signed=signed)
    assert len(created) == 2
    marc = Volunteer.objects.get(pool=pool, name="Marc Petit")
    assert marc.source == "import" and marc.consent_pending
    assert {f.value.label for f in marc.features.all()} == {"H", "Aîné"}
    assert AuditEntry.objects.filter(action="sortition.volunteer_import").exists()


def test_confirm_writes_nothing_when_the_pool_changed_meanwhile(org, people):
    """All or nothing: someone registered with one of the file's contacts after the
    preview, so not even the other row is written."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    _preview, signed = volunteer_import_preview(
        pool=pool, actor=people["facilitator"], upload=_csv(GOOD_CSV)
    )
    Volunteer.objects.create(
        pool=pool,
        name="Zoé",
        contact="zoe@exemple.org",
        source="form",
        consent_at=timezone.now(),
        consent_text="ok",
    )
    with pytest.raises(ImportChanged):
        volunteer_import_confirm(pool=pool, actor=people["facilitator"], signed=signed)
    assert not Volunteer.objects.filter(pool=pool, name="Marc Petit").exists()


def test_signed_rows_belong_to_one_person_and_one_pool(org, people):
    """Someone else's preview, another pool's or an altered one is refused with a message."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    _preview, signed = volunteer_import_preview(
        pool=pool, actor=people["facilitator"], upload=_csv(GOOD_CSV)
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="choisissez"):
        volunteer_import_confirm(pool=pool, actor=people["admin"], signed=signed)
    with pytest.raises(ValidationError):
        volunteer_import_confirm(pool=pool, actor=people["facilitator"], signed=signed + "x")
    assert not Volunteer.objects.filter(pool=pool, name="Zoé Martin").exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("v.txt", b"Nom;Contact\n"), "CSV, XLSX ou ODS"),
        (SimpleUploadedFile("v.xlsx", b"not a spreadsheet at all"), "tableau"),
        (SimpleUploadedFile("v.csv", "Nom;Contact\nÉmile;e@x.org\n".encode("latin-1")), "UTF-8"),
        (SimpleUploadedFile("v.csv", b"Nom;Contact\nZ;z@x.org\n"), "« Genre » est absente"),
        (SimpleUploadedFile("v.csv", b"Genre;Age\nF;Jeune\n"), "« Nom » est absente"),
    ],
)
def test_bad_files_get_a_clear_message_never_a_500(org, people, client_for, upload, message):
    """Wrong format, broken file, wrong encoding, missing columns: the page says so."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    response = client_for(people["facilitator"]).post(
        _url("volunteer_import", org, pool_pk=pool.pk), {"file": upload}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "volunteer_import_confirm" not in response.content.decode()


def test_import_pages_preview_then_confirm_an_xlsx(org, people, client_for):
    """The upload shows the preview and a confirmation; confirming imports and redirects;
    the same confirmation sent again writes nothing twice."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Courriel", "Genre", "Âge"])
    sheet.append(["Zoé Martin", "zoe@exemple.org", "F", "Jeune"])
    sheet.append(["Inconnu", "i@exemple.org", "F", "Centenaire"])
    content = io.BytesIO()
    workbook.save(content)
    client = client_for(people["facilitator"])
    url = _url("volunteer_import", org, pool_pk=pool.pk)
    assert client.get(url).status_code == 200
    page = client.post(url, {"file": SimpleUploadedFile("v.xlsx", content.getvalue())})
    text = page.content.decode()
    assert page.status_code == 200 and "Zoé Martin" in text and "Centenaire" in text
    signed = page.context["confirm_form"].initial["signed"]
    confirm = _url("volunteer_import_confirm", org, pool_pk=pool.pk)
    done = client.post(confirm, {"signed": signed, "consent_given": "on"})
    assert done.status_code == 302
    zoe = Volunteer.objects.get(pool=pool, name="Zoé Martin")
    assert not zoe.consent_pending
    again = client.post(confirm, {"signed": signed})
    assert again.status_code == 302 and Volunteer.objects.filter(name="Zoé Martin").count() == 1
    assert client.post(confirm, {"signed": "nonsense"}).status_code == 302
    assert client.post(confirm, {}).status_code == 302
    assert client.get(confirm).status_code == 405


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("participant", 403),
        ("member", 403),
        ("facilitator", 200),
        ("admin", 200),
        ("other_admin", 404),
    ],
)
def test_import_page_per_role(org, people, client_for, role, status):
    """Facilitators and administrators import; others may not; another organisation 404."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    url = _url("volunteer_import", org, pool_pk=pool.pk)
    assert client_for(people[role]).get(url).status_code == status
    confirm = client_for(people[role]).post(
        _url("volunteer_import_confirm", org, pool_pk=pool.pk), {"signed": "x"}
    )
    assert confirm.status_code == (302 if status in (200, 302) else status)


# The panel takes a body's seats --------------------------------------------------------


def _body_with_drawn_panel(org, people, *, seats: int, reserved_college=None):
    pool, college, age, users, staff = _college_pool(org, people["facilitator"])
    body = Body.objects.create(organisation=org, kind=Body.Kind.USERS_COMMITTEE, name="Comité")
    for i in range(seats):
        Seat.objects.create(body=body, label=f"Siège {i + 1}", position=i)
    if reserved_college is not None:
        Seat.objects.create(
            body=body,
            label="Siège réservé",
            reserved_for=Seat.Reserved.COLLEGE,
            college=users if reserved_college == "users" else staff,
            position=99,
        )
    pool.body = body
    pool.save()
    volunteers_from_members(
        pool=pool,
        actor=people["facilitator"],
        features={college.pk: FROM_COLLEGE, age.pk: age.values.first().pk},
    )
    Volunteer.objects.filter(pool=pool).update(consent_at=timezone.now(), consent_text="ok")
    draw = services.draw_compute(
        draw=Draw.objects.create(pool=pool, seed="s", seed_source="x", requested_by=people["admin"])
    )
    assert draw.status == Draw.Status.DONE, draw.message
    return pool, body, draw


def test_panel_fills_the_bodys_free_seats_college_seats_first(org, people, client_for):
    """Each panel member gets a mandate; a seat reserved for a college goes to a panel
    member of that college; the page asks the start date."""
    _pool, body, draw = _body_with_drawn_panel(org, people, seats=1, reserved_college="users")
    client = client_for(people["facilitator"])
    url = _url("draw_seats", org, draw_pk=draw.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"starts_on": "pas une date"}).status_code == 200
    response = client.post(url, {"starts_on": "2027-01-01"})
    assert response.status_code == 302
    mandates = Mandate.objects.filter(seat__body=body)
    panel = {m.volunteer.member_id for m in PanelMember.objects.filter(draw=draw, active=True)}
    assert {m.member_id for m in mandates} == panel and mandates.count() == 2
    reserved = mandates.get(seat__reserved_for="college")
    assert reserved.member.college.name == "Usagers"
    again = client.post(url, {"starts_on": "2027-01-01"})
    assert again.status_code == 200 and mandates.count() == 2


def test_too_few_seats_gives_none_and_says_who_is_left(org, people):
    """All the mandates or none: one seat for a panel of two records nothing."""
    from django.core.exceptions import ValidationError

    _pool, body, draw = _body_with_drawn_panel(org, people, seats=1)
    with pytest.raises(ValidationError, match="aucun siège libre"):
        services.draw_fill_seats(
            draw=draw, actor=people["facilitator"], starts_on=datetime.date(2027, 1, 1)
        )
    assert not Mandate.objects.filter(seat__body=body).exists()


def test_seats_page_of_a_pool_without_body_explains_and_roles(org, people, client_for):
    """Without a body the page says so; members may not give seats; other org 404."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    draw = services.draw_compute(
        draw=Draw.objects.create(pool=pool, seed="s", seed_source="x", requested_by=people["admin"])
    )
    url = _url("draw_seats", org, draw_pk=draw.pk)
    page = client_for(people["facilitator"]).get(url)
    assert page.status_code == 200 and "pas rattaché" in page.content.decode()
    assert (
        client_for(people["facilitator"]).post(url, {"starts_on": "2027-01-01"}).status_code == 200
    )
    assert client_for(people["member"]).get(url).status_code == 403
    assert client_for(people["other_admin"]).get(url).status_code == 404
    with pytest.raises(Exception, match="pas rattaché"):
        services.draw_fill_seats(
            draw=draw, actor=people["facilitator"], starts_on=datetime.date(2027, 1, 1)
        )


def test_a_large_import_is_written_by_a_job_with_its_page(
    org, people, client_for, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Above the in-request limit the confirmation starts a job: its page, then every
    row written, and the rows' file gone from the private storage."""
    from faireavec.core.models import BackgroundJob
    from faireavec.core.storage import private_storage
    from faireavec.sortition import imports

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(imports, "IMPORT_IN_REQUEST_MAX_ROWS", 1)
    pool = make_pool(organisation=org, actor=people["facilitator"])
    _preview, signed = volunteer_import_preview(
        pool=pool, actor=people["facilitator"], upload=_csv(GOOD_CSV)
    )
    client = client_for(people["facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("volunteer_import_confirm", org, pool_pk=pool.pk), {"signed": signed}
        )
    job = BackgroundJob.objects.get(organisation=org)
    assert response.status_code == 302 and str(job.uuid) in response["Location"]
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.message
    assert Volunteer.objects.filter(pool=pool, source="import").count() == 2
    folder = f"imports/{org.pk}"
    _dirs, files = private_storage().listdir(folder)
    assert not [f for f in files if f.startswith("volunteers-")]

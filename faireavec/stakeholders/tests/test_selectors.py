"""Reads of the register, the review rule, the import check and the map geometry."""

import math
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from faireavec.core.exports import export_content, read_table
from faireavec.stakeholders.exports import STAKEHOLDERS_EXPORT, stakeholder_export_row
from faireavec.stakeholders.imports import import_analyse, normalise
from faireavec.stakeholders.maps import (
    EXTERNAL_LEVEL_RADIUS,
    INNER_RADIUS,
    OUTER_RADIUS,
    grid_layout,
    map_layout,
    point_size,
)
from faireavec.stakeholders.models import Category
from faireavec.stakeholders.selectors import (
    StakeholderFilters,
    months_before,
    review_cutoff,
    stakeholder_get,
    stakeholders_contact_to_review,
    stakeholders_for_map,
    stakeholders_of_organisation,
    stakeholders_to_review,
)
from faireavec.stakeholders.tests.factories import (
    InteractionFactory,
    StakeholderFactory,
    StakeholderTagFactory,
)


def test_months_before():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_before(date(2026, 11, 30), -3) == date(2027, 2, 28)


@pytest.mark.django_db
def test_last_interaction_and_to_review(org):
    """A stakeholder is to review when neither reviewed nor contacted within the
    organisation's period; a recent contact or a recent review clears it."""
    today = timezone.localdate()
    old = today - timedelta(days=500)
    forgotten = StakeholderFactory(organisation=org, name="Oublié", reviewed_on=old)
    InteractionFactory(stakeholder=forgotten, occurred_on=old)
    InteractionFactory(stakeholder=forgotten, occurred_on=old - timedelta(days=30))
    contacted = StakeholderFactory(organisation=org, name="Contacté", reviewed_on=old)
    InteractionFactory(stakeholder=contacted, occurred_on=today - timedelta(days=10))
    reviewed = StakeholderFactory(organisation=org, name="Revu", reviewed_on=today)
    never = StakeholderFactory(organisation=org, name="Jamais", reviewed_on=old)
    StakeholderFactory(name="Ailleurs", reviewed_on=old)  # another organisation

    register = {s.name: s for s in stakeholders_of_organisation(organisation=org)}
    assert set(register) == {"Oublié", "Contacté", "Revu", "Jamais"}
    assert register["Oublié"].last_interaction_on == old
    assert register["Jamais"].last_interaction_on is None
    assert register["Contacté"].last_activity_on == today - timedelta(days=10)
    # The longest forgotten first; equal dates by name.
    assert [s.name for s in stakeholders_to_review(organisation=org)] == ["Jamais", "Oublié"]
    assert reviewed.pk not in {s.pk for s in stakeholders_to_review(organisation=org)}
    assert never.pk in {s.pk for s in stakeholders_to_review(organisation=org)}

    org.stakeholder_review_months = 24
    org.save()
    assert not stakeholders_to_review(organisation=org).exists()
    assert review_cutoff(organisation=org, today=date(2026, 5, 1)) == date(2024, 5, 1)


@pytest.mark.django_db
def test_filters(org):
    tag = StakeholderTagFactory(organisation=org)
    a = StakeholderFactory(
        organisation=org,
        name="Alpha",
        category=Category.FUNDERS,
        current_level=2,
        territory="Lille",
    )
    a.tags.add(tag)
    StakeholderFactory(organisation=org, name="Beta", category=Category.EMPLOYEES)

    def names(**kwargs):
        filters = StakeholderFilters(**kwargs)
        return [s.name for s in stakeholders_of_organisation(organisation=org, filters=filters)]

    assert names() == ["Alpha", "Beta"]
    assert names(category="funders") == ["Alpha"]
    assert names(level=2) == ["Alpha"]
    assert names(tag=tag.pk) == ["Alpha"]
    assert names(territory="Lille") == ["Alpha"]
    assert names(q="bet") == ["Beta"]
    assert [
        s.name
        for s in stakeholders_for_map(
            organisation=org, filters=StakeholderFilters(category="employees")
        )
    ] == ["Beta"]
    assert stakeholder_get(organisation=org, pk=a.pk) == a
    other = StakeholderFactory()
    assert stakeholder_get(organisation=org, pk=other.pk) is None


@pytest.mark.django_db
def test_export_rows_follow_the_headers(org):
    s = StakeholderFactory(
        organisation=org,
        name="Alpha",
        category=Category.FUNDERS,
        email="a@example.org",
        contact_basis="consent",
        participation_modes=["committee"],
    )
    s.tags.add(StakeholderTagFactory(organisation=org, name="financement"))
    InteractionFactory(stakeholder=s, occurred_on=date(2026, 1, 2))
    rows = [stakeholder_export_row(s) for s in stakeholders_of_organisation(organisation=org)]
    headers = [str(h) for h in STAKEHOLDERS_EXPORT.headers]
    assert len(rows[0]) == len(headers)
    row = dict(zip(headers, rows[0], strict=True))
    assert row["Nom"] == "Alpha"
    assert row["Catégorie"] == "financeurs"
    assert row["Étiquettes"] == "financement"
    assert row["Dernier échange"] == date(2026, 1, 2)  # a date: typed in XLSX/ODS, French in CSV
    assert row["Façons de participer"] == "un comité"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_exported_register_reads_back_in_the_import(org, fmt):
    """The exported file's headers and values are understood by the import (as duplicates
    here), French CSV dates (dd/mm/yyyy) and typed spreadsheet dates included."""
    StakeholderFactory(
        organisation=org,
        name="Alpha",
        category=Category.FUNDERS,
        current_level=3,
        target_level=5,
        contact_review_on=date(2027, 3, 4),
    )
    content = export_content(
        headers=STAKEHOLDERS_EXPORT.headers,
        rows=[stakeholder_export_row(s) for s in stakeholders_of_organisation(organisation=org)],
        fmt=fmt,
    )
    headers, rows = read_table(SimpleUploadedFile(f"registre.{fmt}", content))
    preview = import_analyse(organisation=org, headers=headers, rows=rows)
    assert not preview.file_problems
    assert preview.rows[0].problems == ["Déjà dans le registre avec le même nom : Alpha."]
    assert preview.rows[0].values["current_level"] == 3
    assert preview.rows[0].values["target_level"] == 5
    assert preview.rows[0].values["contact_review_on"] == date(2027, 3, 4)


@pytest.mark.django_db
def test_import_analyse_lists_every_problem(org):
    """Rows are checked by the stakeholder form's rules; each problem names its column."""
    StakeholderFactory(
        organisation=org, name="Ville de Lille", email="ville@example.org", contact_basis="consent"
    )
    headers = [
        "Nom",
        "Catégorie",
        "Courriel",
        "Base",
        "Intérêt",
        "Type",
        "Revoir les coordonnées après le",
        "Divers",
    ]
    rows = [
        {"Nom": "", "Catégorie": "zèbres"},
        {
            "Nom": "A",
            "Catégorie": "salariés",
            "Courriel": "ville@example.org",
            "Base": "consentement",
        },
        {"Nom": "B", "Catégorie": "salariés", "Intérêt": "douze", "Type": "robot"},
        {"Nom": "C", "Catégorie": "salariés", "Revoir les coordonnées après le": "demain"},
        {"Nom": "b", "Catégorie": "SALARIES", "Courriel": "c@example.org", "Base": "peut-être"},
        {"Nom": "D", "Catégorie": "Salariés", "Revoir les coordonnées après le": "31/12/2027"},
    ]
    preview = import_analyse(organisation=org, headers=headers, rows=rows)
    problems = {row.line: row.problems for row in preview.rows}
    assert problems[2] == [
        "Nom : Ce champ est obligatoire.",
        "Catégorie « zèbres » : Sélectionnez un choix valide. zèbres n\u2019en fait pas partie.",
    ]
    assert problems[3] == ["Déjà dans le registre avec le même courriel : Ville de Lille."]
    assert len(problems[4]) == 2  # kind and interest
    assert problems[5] == [
        "Revoir les coordonnées après le « demain » : Saisissez une date valide."
    ]
    assert len(problems[6]) == 2  # basis and same name as line 4
    assert "Même nom que la ligne 4 du fichier." in problems[6]
    assert problems[7] == []
    assert preview.rows[5].values["contact_review_on"] == date(2027, 12, 31)
    assert preview.ignored_columns == ["Divers"]
    assert preview.valid_lines == [7]


def test_normalise():
    assert normalise("  Catégorie ") == "categorie"
    assert normalise("Acteurs privés de l\u2019ESS") == normalise("acteurs prives de l'ess")


class _S:
    def __init__(self, pk, category, current, target, influence=3, interest=3, name=""):
        self.pk, self.category = pk, category
        self.current_level, self.target_level = current, target
        self.influence, self.interest = influence, interest
        self.name = name or f"S{pk}"


def test_map_layout_places_internal_in_the_centre_and_external_in_the_ring():
    stakeholders = [
        _S(1, Category.EMPLOYEES, 1, 1),
        _S(2, Category.BOARD, 5, 5, influence=5),
        _S(3, Category.FUNDERS, 1, 4, influence=1),
        *[_S(10 + i, Category.NETWORKS, 2, 2) for i in range(20)],
    ]
    layout = map_layout(stakeholders)
    by_pk = {p.stakeholder.pk: p for p in layout.points}
    assert len(layout.points) == len(stakeholders)
    for pk in (1, 2):
        assert math.hypot(by_pk[pk].x, by_pk[pk].y) < INNER_RADIUS
    for p in layout.points:
        if p.stakeholder.category not in (Category.EMPLOYEES, Category.BOARD):
            assert INNER_RADIUS < math.hypot(p.x, p.y) < OUTER_RADIUS
    # More involved, closer to the centre.
    assert math.hypot(by_pk[2].x, by_pk[2].y) < math.hypot(by_pk[1].x, by_pk[1].y)
    funder = by_pk[3]
    assert funder.has_gap
    assert math.hypot(funder.target_x, funder.target_y) == pytest.approx(
        EXTERNAL_LEVEL_RADIUS[4], abs=1
    )
    assert not by_pk[1].has_gap
    assert by_pk[2].size == point_size(5) > funder.size == point_size(1)
    assert by_pk[2].style.shape != by_pk[1].style.shape
    assert by_pk[2].style.colour != by_pk[1].style.colour
    sectors = {s.category: s for s in layout.sectors}
    assert sectors["networks"].count == 20 and sectors["research"].count == 0
    # Each point lies in its category's sector.
    for p in layout.points:
        sector = sectors[p.stakeholder.category]
        angle = math.atan2(p.x, -p.y) % (2 * math.pi)
        assert sector.start <= angle <= sector.end
    assert "S3" in funder.label and "co-construire" in funder.label


def test_grid_layout_counts_each_cell():
    stakeholders = [_S(i, Category.FUNDERS, 1, 1, influence=5, interest=1) for i in range(9)]
    stakeholders.append(_S(99, Category.FUNDERS, 1, 1, influence=1, interest=5, name="Zed"))
    grid = grid_layout(stakeholders)
    assert grid.total == 10
    top_left = grid.rows[0][0]
    assert (top_left.influence, top_left.interest, top_left.count) == (5, 1, 9)
    assert top_left.more == 3 and len(top_left.names) == 6
    bottom_right = grid.rows[4][4]
    assert bottom_right.names == ["Zed"]
    assert top_left.bubble > bottom_right.bubble > 0
    assert grid.rows[2][2].bubble == 0


@pytest.mark.django_db
def test_contact_details_past_their_review_date(org):
    today = timezone.localdate()
    late = StakeholderFactory(
        organisation=org,
        email="a@example.org",
        contact_basis="consent",
        contact_review_on=today - timedelta(days=1),
    )
    StakeholderFactory(
        organisation=org,
        phone="0600000000",
        contact_basis="consent",
        contact_review_on=today + timedelta(days=1),
    )
    StakeholderFactory(organisation=org, contact_review_on=today - timedelta(days=9))  # no contact
    StakeholderFactory(
        email="b@example.org", contact_basis="consent", contact_review_on=date(2000, 1, 1)
    )
    assert list(stakeholders_contact_to_review(organisation=org)) == [late]

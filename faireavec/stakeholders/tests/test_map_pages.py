"""The map on a phone and at scale, and its PDF (read back with pypdf)."""

import re
from datetime import date

import pytest
from django.urls import reverse

from faireavec.core.models import BackgroundJob
from faireavec.core.tests.pdfcheck import read_pdf
from faireavec.stakeholders import documents, maps
from faireavec.stakeholders.models import Category, Stakeholder
from faireavec.stakeholders.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db


def url(org, name, **kwargs) -> str:
    return reverse(f"stakeholders:{name}", kwargs={"org_slug": org.slug, **kwargs})


def many(org, n: int, category=Category.FUNDERS, level: int = 2) -> None:
    Stakeholder.objects.bulk_create(
        [
            Stakeholder(
                organisation=org,
                name=f"Partie prenante {i:04d}",
                kind="organisation",
                category=category,
                current_level=level,
                target_level=level,
                influence=1 + i % 5,
                interest=1 + i % 5,
                reviewed_on=date.today(),
            )
            for i in range(n)
        ]
    )


@pytest.fixture
def register(org):
    StakeholderFactory(
        organisation=org,
        name="Ville de Lille",
        category=Category.PUBLIC_AUTHORITIES,
        current_level=2,
        target_level=4,
    )
    StakeholderFactory(organisation=org, name="Bénévoles du café", category=Category.VOLUNTEERS)


class TestMapPage:
    def test_the_table_comes_first_then_the_drawing(self, org, people, client_for, register):
        html = client_for(people["facilitator"]).get(url(org, "stakeholder_map")).content.decode()
        assert html.index('id="map-table"') < html.index('id="map-drawing"') < html.index("<svg")

    def test_sectors_are_numbered_big_inside_the_drawing_and_named_in_the_key(
        self, org, people, client_for, register
    ):
        html = client_for(people["facilitator"]).get(url(org, "stakeholder_map")).content.decode()
        viewbox = re.search(r'viewBox="(-?\d+) (-?\d+) (\d+) (\d+)"', html).groups()
        left, top, width, height = map(int, viewbox)
        numbers = re.findall(
            r'<text x="(-?[\d.]+)" y="(-?[\d.]+)" text-anchor="middle" font-size="(\d+)"[^>]*>(\d+)</text>',
            html,
        )
        assert [int(n[3]) for n in numbers] == list(range(1, len(Category) + 1))
        for x, y, size, _number in numbers:
            size = int(size)
            # At least 12 px when the drawing is 330 px wide (a 360 px phone).
            assert size * 330 / width >= 12
            # The whole number is inside the view box: nothing clipped.
            assert left + size / 2 <= float(x) <= left + width - size / 2
            assert top + size <= float(y) <= top + height
        assert "<strong>pouvoirs publics et collectivités</strong> (1)" in html

    def test_every_mark_is_named_and_no_mark_is_a_small_link(
        self, org, people, client_for, register
    ):
        html = client_for(people["facilitator"]).get(url(org, "stakeholder_map")).content.decode()
        assert re.search(
            r'<g role="img" aria-label="Ville de Lille — [^"]+" class="map-point">', html
        )
        assert html.count('class="map-point"') == 2
        drawing = html[html.index("<svg") : html.index("</svg>")]
        assert not re.search(r'href="[^"]*/parties-prenantes/\d+/"', drawing)  # marks: no links
        # Each sector is one large link to the map of its category alone.
        sector_links = re.findall(
            r'<a href="([^"]+)" class="map-sector" aria-label="([^"]+)"', drawing
        )
        assert len(sector_links) == len(Category)
        assert any(
            link.endswith("category=public_authorities") and "1 partie prenante" in name
            for link, name in sector_links
        )

    def test_a_big_register_is_drawn_as_groups_and_its_table_paginated(
        self, org, people, client_for
    ):
        many(org, maps.MAP_MARKS_LIMIT + 1)
        response = client_for(people["facilitator"]).get(url(org, "stakeholder_map"))
        html = response.content.decode()
        assert response.context["layout"].grouped
        assert html.count('class="map-point"') == 1
        assert (
            f"financeurs, niveau consulter : {maps.MAP_MARKS_LIMIT + 1} parties prenantes" in html
        )
        assert html.count("<tr>") == 1 + 50  # header and one page
        assert "Page 1 sur 7" in html
        assert len(response.content) < 80_000

    def test_the_number_of_queries_does_not_grow_with_the_register(
        self, org, people, client_for, django_assert_max_num_queries
    ):
        client = client_for(people["facilitator"])
        many(org, 20)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            client.get(url(org, "stakeholder_map"))
        many(org, 2 * maps.MAP_MARKS_LIMIT, category=Category.RESEARCH)
        with CaptureQueriesContext(connection) as large:
            client.get(url(org, "stakeholder_map"))
        assert len(large) <= len(small)


class TestMapPdf:
    def test_the_map_pdf_reads_back_with_its_stakeholders(self, org, people, client_for, register):
        response = client_for(people["facilitator"]).get(url(org, "stakeholder_map_pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        facts = read_pdf(response.content)
        assert facts.lang == "fr"
        assert facts.title == "Carte des parties prenantes de La Ruche"
        assert facts.pages == 2  # the drawing and its key, then the table
        assert "Ville de Lille" in facts.flat_text and "Bénévoles du café" in facts.flat_text
        assert "pouvoirs publics et collectivités" in facts.flat_text
        assert facts.marked
        assert {"/H1", "/H2", "/Table", "/TH", "/Figure"} <= set(facts.tags)
        assert facts.alts and facts.alts[0].startswith("Carte de 2 parties prenantes")

    def test_the_filters_of_the_page_apply_to_the_pdf(self, org, people, client_for, register):
        response = client_for(people["facilitator"]).get(
            url(org, "stakeholder_map_pdf"), {"category": "volunteers"}
        )
        facts = read_pdf(response.content)
        assert "Bénévoles du café" in facts.flat_text
        assert "Ville de Lille" not in facts.flat_text
        assert "Filtré par : Catégorie : bénévoles" in facts.flat_text

    def test_large_print_map_has_nothing_under_18_points(self, org, people, client_for, register):
        response = client_for(people["facilitator"]).get(
            url(org, "stakeholder_map_pdf"), {"gros-caracteres": "1"}
        )
        assert "gros-caracteres" in response["Content-Disposition"]
        facts = read_pdf(response.content)
        assert min(facts.font_sizes) >= 18, sorted(facts.font_sizes)[:5]
        assert "Ville de Lille" in facts.flat_text
        assert "/Table" not in facts.tags  # a list, one stakeholder after the other
        assert "/L" in facts.tags

    def test_members_allowed_the_map_get_its_pdf_others_do_not(
        self, org, people, client_for, register
    ):
        statuses = {
            role: client_for(people[role]).get(url(org, "stakeholder_map_pdf")).status_code
            for role in ("participant", "member", "other_admin")
        }
        assert statuses == {"participant": 403, "member": 403, "other_admin": 404}
        org.members_see_stakeholder_map = True
        org.save()
        assert client_for(people["member"]).get(url(org, "stakeholder_map_pdf")).status_code == 200
        anonymous = client_for(None).get(url(org, "stakeholder_map_pdf"))
        assert anonymous.status_code == 302

    def test_a_long_map_pdf_is_made_by_a_job_started_by_post(
        self, org, people, client_for, monkeypatch, settings, django_capture_on_commit_callbacks
    ):
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        monkeypatch.setattr("faireavec.stakeholders.views.backoffice.MAP_PDF_IN_REQUEST", 3)
        many(org, 5)
        client = client_for(people["facilitator"])
        page = client.get(url(org, "stakeholder_map")).content.decode()
        assert 'name="variante" value="gros-caracteres"' in page
        # A GET never starts a job.
        response = client.get(url(org, "stakeholder_map_pdf"))
        assert response.status_code == 302 and not BackgroundJob.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url(org, "stakeholder_map_pdf") + "?category=funders",
                {"variante": "gros-caracteres"},
            )
        job = BackgroundJob.objects.get()
        assert response["Location"] == reverse(
            "core:job_detail", kwargs={"org_slug": org.slug, "backgroundjob_uuid": job.uuid}
        )
        job.refresh_from_db()
        assert job.status == BackgroundJob.Status.DONE, job.message
        assert job.result_file.name.endswith(".pdf")
        download = client.get(
            reverse(
                "core:job_download", kwargs={"org_slug": org.slug, "backgroundjob_uuid": job.uuid}
            )
        )
        assert download["Content-Type"] == "application/pdf"
        facts = read_pdf(b"".join(download.streaming_content))
        assert "Partie prenante 0004" in facts.flat_text
        assert min(facts.font_sizes) >= 18


def test_map_pdf_limit_is_the_documented_one():
    assert documents.MAP_PDF_IN_REQUEST >= maps.MAP_MARKS_LIMIT

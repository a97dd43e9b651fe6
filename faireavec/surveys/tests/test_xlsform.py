"""XLSForm out and in: the export is a valid XLSForm (pyxform converts it), goes
back in unchanged for the shared types, and unknown rows are listed, not dropped."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from pyxform.xls2xform import convert

from faireavec.surveys.models import Kind, Question, Survey
from faireavec.surveys.services import survey_build, survey_from_template
from faireavec.surveys.xlsform import parse_relevant, xlsform_export, xlsform_preview

pytestmark = pytest.mark.django_db


def _upload(content: bytes, name="form.xlsx"):
    return SimpleUploadedFile(name, content)


def test_the_template_exports_as_a_valid_xlsform_and_comes_back(org):
    survey = survey_from_template(actor=None, organisation=org, template="satisfaction")
    content = xlsform_export(survey=survey)
    result = convert(xlsform=io.BytesIO(content), file_type=".xlsx")
    assert "<h:html" in result.xform
    preview = xlsform_preview(_upload(content))
    assert preview.issues == []
    again = survey_build(actor=None, organisation=org, spec=preview.spec)
    before = list(Question.objects.filter(section__survey=survey).values_list("code", "kind"))
    after = list(Question.objects.filter(section__survey=again).values_list("code", "kind"))
    assert after == before
    condition = Question.objects.get(section__survey=again, code="insatisfaction").condition
    assert condition["rules"][0]["op"] == "one_of"


def _workbook(rows, choices=()):
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    for row in [("type", "name", "label", "relevant"), *rows]:
        ws.append(row)
    cs = wb.create_sheet("choices")
    for row in [("list_name", "name", "label"), *choices]:
        cs.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_unknown_types_are_reported_row_by_row():
    content = _workbook(
        [
            ("text", "nom", "Votre nom", ""),
            ("geopoint", "lieu", "Où êtes-vous ?", ""),
            ("image", "photo", "Une photo", ""),
            ("select_one couleurs", "couleur", "Couleur", "${nom} = 'x' and pulldata('a')"),
            ("start", "debut", "", ""),
        ],
        choices=[("couleurs", "rouge", "Rouge"), ("couleurs", "bleu", "Bleu")],
    )
    preview = xlsform_preview(_upload(content))
    by_row = {issue.row: issue for issue in preview.issues}
    assert by_row[3].xls_type == "geopoint" and "geopoint" in by_row[3].message
    assert by_row[4].xls_type == "image"
    assert by_row[5].xls_type == "relevant"  # the condition, not the question
    assert by_row[6].name == "debut"
    assert preview.question_count == 2


def test_relevant_expressions():
    assert parse_relevant("${a} = 'yes'") == {
        "combine": "all",
        "rules": [{"question": "a", "op": "equals", "value": "yes"}],
    }
    assert parse_relevant("${n} > 8 or selected(${m}, 'b')")["combine"] == "any"
    assert parse_relevant("(${s} = '1' or ${s} = '2') and ${n} > 3")["rules"][0] == {
        "question": "s",
        "op": "one_of",
        "value": ["1", "2"],
    }
    assert parse_relevant("count-selected(${m}) > 2") is None


def test_import_through_the_pages(org, people, client_for):
    client = client_for(people["facilitator"])
    url = reverse("surveys:xlsform_import", kwargs={"org_slug": org.slug})
    content = _workbook(
        [
            ("select_one yes_no", "venu", "Venu ?", ""),
            ("geopoint", "lieu", "Où ?", ""),
            ("range", "nps", "Recommanderiez-vous ?", ""),
        ],
        choices=[("yes_no", "yes", "Oui"), ("yes_no", "no", "Non")],
    )
    page = client.post(url, {"file": _upload(content)})
    body = page.content.decode()
    assert page.status_code == 200 and "geopoint" in body
    done = client.post(url, {"action": "confirm"})
    survey = Survey.objects.get(organisation=org)
    assert done.status_code == 302 and done["Location"] == survey.get_absolute_url()
    kinds = list(Question.objects.filter(section__survey=survey).values_list("code", "kind"))
    assert ("venu", Kind.YES_NO) in kinds


def test_a_file_that_is_not_an_xlsform_is_refused_with_a_message(org, people, client_for):
    page = client_for(people["facilitator"]).post(
        reverse("surveys:xlsform_import", kwargs={"org_slug": org.slug}),
        {"file": _upload(b"not a spreadsheet")},
    )
    assert page.status_code == 200 and "Erreur" in page.content.decode()

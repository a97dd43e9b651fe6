"""Printable questionnaire, assisted entry, exports and a free-text answer turned
into a contribution linked to a need."""

import pytest
from django.urls import reverse

from faireavec.contributions.models import Contribution
from faireavec.core.models import AuditEntry, BackgroundJob
from faireavec.needs.tests.factories import NeedFactory
from faireavec.surveys.models import Answer, FreeTextLink, Response, Survey
from faireavec.surveys.services import response_submit, tokens_generate
from faireavec.surveys.tests.factories import make_survey, question

pytestmark = pytest.mark.django_db


def _u(name, org, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_the_printable_questionnaire_is_a_pdf_also_in_large_print(org, people, client_for):
    survey = make_survey(org)
    client = client_for(people["facilitator"])
    for query in ("", "?gros-caracteres=1"):
        response = client.get(_u("survey_pdf", org, survey_pk=survey.pk) + query)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_poster_and_letters_are_pdfs(org, people, client_for):
    survey = make_survey(org, limit=Survey.Limit.TOKEN)
    tokens_generate(actor=None, survey=survey, count=3)
    client = client_for(people["facilitator"])
    for name in ("survey_poster", "survey_letters"):
        response = client.get(_u(name, org, survey_pk=survey.pk))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_facilitator_enters_a_paper_questionnaire(org, people, client_for):
    survey = make_survey(org)
    client = client_for(people["facilitator"])
    venu, note = question(survey, "venu"), question(survey, "note")
    url = _u("survey_entry", org, survey_pk=survey.pk)
    assert client.get(url).status_code == 200
    done = client.post(url, {"channel": "paper", f"q{venu.pk}": "yes", f"q{note.pk}": "4"})
    assert done.status_code == 302 and done["Location"] == url
    response = Response.objects.get()
    assert response.channel == "paper" and response.recorded_by == people["facilitator"]
    assert response.answers.count() == 2
    assert AuditEntry.objects.filter(action="survey.assisted_entry").exists()
    empty = client.post(url, {"channel": "phone"})
    assert empty.status_code == 200 and Response.objects.count() == 1


def test_a_member_cannot_enter_questionnaires(org, people, client_for):
    survey = make_survey(org)
    assert (
        client_for(people["member"]).get(_u("survey_entry", org, survey_pk=survey.pk)).status_code
        == 403
    )


def test_the_raw_export_has_one_line_per_response_with_labels_and_codes(org, people, client_for):
    survey = make_survey(org)
    venu, note, idee = question(survey, "venu"), question(survey, "note"), question(survey, "idee")
    response_submit(survey=survey, answers={venu.pk: "yes", note.pk: 5, idee.pk: "=SOMME(A1)"})
    response_submit(survey=survey, answers={venu.pk: "no"})
    response = client_for(people["facilitator"]).post(
        _u("survey_responses_export", org, survey_pk=survey.pk), {"format": "csv"}
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3
    assert lines[0].split(";")[3:7] == ["venu", "venu (code)", "note", "note (code)"]
    first = lines[1].split(";")
    assert first[3:7] == ["Oui", "yes", "très content·e", "5"]
    assert "'=SOMME(A1)" in lines[1]  # formulas neutralised
    entry = AuditEntry.objects.get(action="core.export_of")
    assert entry.target_repr == str(survey)
    assert entry.details == {"export": "surveys.responses", "format": "csv", "rows": 2}


def test_a_large_export_is_a_job(
    org, people, client_for, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    survey = make_survey(org)
    venu = question(survey, "venu")
    for value in ("yes", "no", "no"):
        response_submit(survey=survey, answers={venu.pk: value})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["facilitator"]).post(
            _u("survey_responses_export", org, survey_pk=survey.pk), {"format": "xlsx"}
        )
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.message
    assert job.result_file.name.endswith(".xlsx")
    assert (job.done, job.total) == (3, 3)


def test_the_results_export_and_page(org, people, client_for):
    survey = make_survey(org)
    venu = question(survey, "venu")
    response_submit(survey=survey, answers={venu.pk: "yes"})
    client = client_for(people["member"])
    page = client.get(_u("survey_results", org, survey_pk=survey.pk) + f"?par={venu.pk}")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert (
        client.post(
            _u("survey_results_export", org, survey_pk=survey.pk), {"format": "csv"}
        ).status_code
        == 403
    )
    export = client_for(people["facilitator"]).post(
        _u("survey_results_export", org, survey_pk=survey.pk), {"format": "ods"}
    )
    assert export.status_code == 200


def test_a_free_text_answer_becomes_a_complaint_linked_to_a_need(org, people, client_for):
    survey = make_survey(org)
    idee, venu = question(survey, "idee"), question(survey, "venu")
    response_submit(survey=survey, answers={venu.pk: "no", idee.pk: "On attend trop longtemps."})
    answer = Answer.objects.get(question=idee)
    need = NeedFactory(organisation=org)
    client = client_for(people["facilitator"])
    texts = client.get(_u("question_texts", org, question_pk=idee.pk) + "?q=attend")
    assert "On attend trop longtemps." in texts.content.decode()
    done = client.post(
        _u("answer_contribution", org, answer_pk=answer.pk),
        {"kind": "complaint", "title": "Attente à l'accueil", "need": need.pk},
    )
    assert done.status_code == 302
    contribution = Contribution.objects.get(organisation=org)
    assert contribution.kind == "complaint" and contribution.author is None
    assert FreeTextLink.objects.get(answer=answer).contribution == contribution
    assert need.contributions.filter(pk=contribution.pk).exists()
    need.refresh_from_db()
    assert "survey" in need.sources
    again = client.post(
        _u("answer_contribution", org, answer_pk=answer.pk), {"kind": "idea", "title": "x"}
    )
    assert again.status_code == 200 and Contribution.objects.filter(organisation=org).count() == 1

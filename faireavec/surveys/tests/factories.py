"""Surveys for tests, built through the services (so they are valid)."""

from faireavec.surveys.models import Kind, Survey
from faireavec.surveys.services import survey_build, survey_set_status


def make_survey(
    organisation, *, actor=None, publish: bool = True, questions=None, **fields
) -> Survey:
    """A survey with one section of `questions` (specs as for `survey_build`);
    by default a yes/no, a satisfaction scale shown only after « yes », an NPS and a text."""
    questions = questions or [
        {"code": "venu", "kind": Kind.YES_NO, "label": "Êtes-vous venu ?", "required": True},
        {
            "code": "note",
            "kind": Kind.SATISFACTION,
            "label": "Êtes-vous satisfait ?",
            "required": True,
            "condition": {
                "combine": "all",
                "rules": [{"question": "venu", "op": "equals", "value": "yes"}],
            },
        },
        {"code": "nps", "kind": Kind.NPS, "label": "Nous recommanderiez-vous ?"},
        {"code": "idee", "kind": Kind.LONG_TEXT, "label": "Une idée ?"},
    ]
    survey = survey_build(
        actor=actor,
        organisation=organisation,
        spec={
            "survey": {"title": fields.pop("title", "Enquête test"), **fields},
            "sections": [{"title": "Section", "questions": questions}],
        },
    )
    if publish:
        survey = survey_set_status(actor=actor, survey=survey, status=Survey.Status.PUBLISHED)
    return survey


def question(survey, code):
    from faireavec.surveys.models import Question

    return Question.objects.get(section__survey=survey, code=code)

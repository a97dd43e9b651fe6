"""Organisation-scoped routes of surveys (included under `<slug:org_slug>/`)."""

from django.urls import path

from faireavec.surveys.views import backoffice, paper, public, results, xlsform

app_name = "surveys"

urlpatterns = [
    path("enquetes/", public.survey_list_public, name="survey_list_public"),
    path("enquetes/code/", public.token_entry, name="token_entry"),
    path("enquetes/<int:survey_pk>/", public.survey_start, name="survey_start"),
    path("enquetes/<int:survey_pk>/repondre/", public.survey_answer, name="survey_answer"),
    path("enquetes/<int:survey_pk>/enregistre/", public.survey_saved, name="survey_saved"),
    path("enquetes/<int:survey_pk>/merci/", public.survey_thanks, name="survey_thanks"),
    path("gestion/enquetes/", backoffice.survey_list, name="survey_list"),
    path("gestion/enquetes/nouvelle/", backoffice.survey_create_view, name="survey_create"),
    path("gestion/enquetes/<int:survey_pk>/", backoffice.survey_detail, name="survey_detail"),
    path("gestion/enquetes/<int:survey_pk>/reglages/", backoffice.survey_edit, name="survey_edit"),
    path(
        "gestion/enquetes/<int:survey_pk>/statut/", backoffice.survey_status, name="survey_status"
    ),
    path(
        "gestion/enquetes/<int:survey_pk>/supprimer/",
        backoffice.survey_delete_view,
        name="survey_delete",
    ),
    path("gestion/enquetes/<int:survey_pk>/vague/", backoffice.survey_wave, name="survey_wave"),
    path("gestion/enquetes/<int:survey_pk>/codes/", backoffice.survey_tokens, name="survey_tokens"),
    path(
        "gestion/enquetes/<int:survey_pk>/codes/envoyer/",
        backoffice.survey_tokens_email,
        name="survey_tokens_email",
    ),
    path(
        "gestion/enquetes/<int:survey_pk>/sections/nouvelle/",
        backoffice.section_create_view,
        name="section_create",
    ),
    path(
        "gestion/enquetes/sections/<int:section_pk>/modifier/",
        backoffice.section_edit,
        name="section_edit",
    ),
    path(
        "gestion/enquetes/sections/<int:section_pk>/condition/",
        backoffice.section_condition,
        name="section_condition",
    ),
    path(
        "gestion/enquetes/sections/<int:section_pk>/deplacer/",
        backoffice.section_move_view,
        name="section_move",
    ),
    path(
        "gestion/enquetes/sections/<int:section_pk>/supprimer/",
        backoffice.section_delete_view,
        name="section_delete",
    ),
    path(
        "gestion/enquetes/sections/<int:section_pk>/questions/nouvelle/",
        backoffice.question_create_view,
        name="question_create",
    ),
    path(
        "gestion/enquetes/questions/<int:question_pk>/modifier/",
        backoffice.question_edit,
        name="question_edit",
    ),
    path(
        "gestion/enquetes/questions/<int:question_pk>/condition/",
        backoffice.question_condition,
        name="question_condition",
    ),
    path(
        "gestion/enquetes/questions/<int:question_pk>/deplacer/",
        backoffice.question_move_view,
        name="question_move",
    ),
    path(
        "gestion/enquetes/questions/<int:question_pk>/masquer/",
        backoffice.question_hide_view,
        name="question_hide",
    ),
    path(
        "gestion/enquetes/questions/<int:question_pk>/supprimer/",
        backoffice.question_delete_view,
        name="question_delete",
    ),
    path(
        "gestion/enquetes/<int:survey_pk>/resultats/",
        results.survey_results_view,
        name="survey_results",
    ),
    path(
        "gestion/enquetes/<int:survey_pk>/export/reponses/",
        results.survey_responses_export,
        name="survey_responses_export",
    ),
    path(
        "gestion/enquetes/<int:survey_pk>/export/resultats/",
        results.survey_results_export,
        name="survey_results_export",
    ),
    path(
        "gestion/enquetes/questions/<int:question_pk>/textes/",
        results.question_texts,
        name="question_texts",
    ),
    path(
        "gestion/enquetes/reponses/<int:answer_pk>/contribution/",
        results.answer_contribution,
        name="answer_contribution",
    ),
    path("gestion/enquetes/<int:survey_pk>/pdf/", paper.survey_pdf, name="survey_pdf"),
    path("gestion/enquetes/<int:survey_pk>/affiche/", paper.survey_poster, name="survey_poster"),
    path("gestion/enquetes/<int:survey_pk>/lettres/", paper.survey_letters, name="survey_letters"),
    path("gestion/enquetes/<int:survey_pk>/saisie/", paper.survey_entry, name="survey_entry"),
    path("gestion/enquetes/xlsform/", xlsform.xlsform_import, name="xlsform_import"),
    path(
        "gestion/enquetes/<int:survey_pk>/xlsform/",
        xlsform.xlsform_export_view,
        name="xlsform_export",
    ),
]

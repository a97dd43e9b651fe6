"""Ready-made surveys to start from, in French (the organisations' language).

Each is a description for `survey_build`: conditions name questions by code.
The texts are the organisation's own content once copied (they edit them), so
they are French data, not interface strings.
"""

SATISFACTION = {
    "survey": {
        "title": "Satisfaction des usagers",
        "description": (
            "Votre avis nous aide à améliorer nos services. Ce questionnaire prend environ "
            "5 minutes. Vos réponses sont anonymes : personne ne saura qui a répondu quoi."
        ),
        "thanks": (
            "Merci ! Nous lirons toutes les réponses. Les résultats seront affichés à "
            "l'accueil et présentés au comité des usagers dans les deux mois."
        ),
        "display": "one",
    },
    "sections": [
        {
            "title": "Votre venue",
            "questions": [
                {
                    "code": "site",
                    "kind": "single",
                    "label": "Dans quel lieu êtes-vous venu·e ?",
                    "required": True,
                    "choices": [
                        {"value": "accueil", "label": "L'accueil de jour"},
                        {"value": "epicerie", "label": "L'épicerie solidaire"},
                        {"value": "atelier", "label": "Les ateliers"},
                    ],
                    "allow_other": True,
                },
                {
                    "code": "frequence",
                    "kind": "single",
                    "label": "Depuis combien de temps venez-vous ?",
                    "choices": [
                        {"value": "moins_6_mois", "label": "Moins de 6 mois"},
                        {"value": "6_mois_2_ans", "label": "De 6 mois à 2 ans"},
                        {"value": "plus_2_ans", "label": "Plus de 2 ans"},
                    ],
                },
                {
                    "code": "age",
                    "kind": "single",
                    "label": "Quel âge avez-vous ?",
                    "help_text": "Pour savoir si nos services conviennent à tous les âges.",
                    "choices": [
                        {"value": "moins_25", "label": "Moins de 25 ans"},
                        {"value": "25_59", "label": "De 25 à 59 ans"},
                        {"value": "60_plus", "label": "60 ans ou plus"},
                    ],
                },
            ],
        },
        {
            "title": "Votre satisfaction",
            "questions": [
                {
                    "code": "satisfaction_globale",
                    "kind": "satisfaction",
                    "label": "Dans l'ensemble, êtes-vous satisfait·e de nos services ?",
                    "required": True,
                },
                {
                    "code": "accueil",
                    "kind": "matrix",
                    "label": "Que pensez-vous de ces affirmations ?",
                    "items": [
                        {"value": "ecoute", "label": "On m'écoute"},
                        {"value": "horaires", "label": "Les horaires me conviennent"},
                        {"value": "informations", "label": "Je comprends les informations données"},
                    ],
                },
                {
                    "code": "recommandation",
                    "kind": "nps",
                    "label": "Recommanderiez-vous nos services à un proche ?",
                    "help_text": "0 : pas du tout, 10 : tout à fait.",
                    "required": True,
                },
                {
                    "code": "insatisfaction",
                    "kind": "long_text",
                    "label": "Qu'est-ce qui ne vous a pas plu ?",
                    "condition": {
                        "combine": "all",
                        "rules": [
                            {"question": "satisfaction_globale", "op": "one_of", "value": [1, 2]}
                        ],
                    },
                },
            ],
        },
        {
            "title": "Vos idées",
            "questions": [
                {
                    "code": "ameliorer",
                    "kind": "long_text",
                    "label": "Que pourrions-nous améliorer ?",
                },
                {
                    "code": "participer",
                    "kind": "yes_no",
                    "label": "Aimeriez-vous participer au comité des usagers ?",
                },
            ],
        },
    ],
}

TEMPLATES = {"satisfaction": SATISFACTION}
TEMPLATE_TITLES = {"satisfaction": "Satisfaction des usagers"}

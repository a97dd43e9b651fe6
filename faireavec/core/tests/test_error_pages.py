"""Error pages: French, in the shell, saying what happened and offering a way on.

Requests go through the whole stack with DEBUG off (pytest-django's default) and
a client that turns exceptions into responses, as in production.
"""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


def _client(user=None, **kwargs) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def _html(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_404_for_an_unknown_address_is_french_with_ways_on():
    response = _client().get(
        "/pas-une-organisation/", HTTP_REFERER="http://testserver/accessibilite/"
    )
    html = _html(response)
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in html
    assert "<title>Page introuvable — FaireAvec</title>" in html
    assert 'class="site-header"' in html  # in the shell
    assert 'href="http://testserver/accessibilite/">Revenir à la page précédente' in html
    assert f'href="{reverse("home")}">Accueil de FaireAvec' in html
    assert f'href="{reverse("account_login")}?next=/pas-une-organisation/">Se connecter' in html


@pytest.mark.django_db
def test_404_inside_an_organisation_leads_to_its_home(org, people):
    response = _client(people["participant"]).get("/la-ruche/idees/999999/")
    html = _html(response)
    assert response.status_code == 404
    assert 'href="/la-ruche/">Accueil de La Ruche' in html
    assert "Se connecter</a>" not in html  # already signed in


@pytest.mark.django_db
def test_back_link_only_to_this_site():
    response = _client().get("/pas-une-organisation/", HTTP_REFERER="https://ailleurs.example/")
    assert "ailleurs.example" not in _html(response)
    assert "Revenir à la page précédente" not in _html(response)


@pytest.mark.django_db
def test_403_says_who_to_ask(org, people):
    response = _client(people["participant"]).get(reverse("core:audit_log", args=[org.slug]))
    html = _html(response)
    assert response.status_code == 403
    assert "<h1>Accès refusé</h1>" in html
    assert "Votre compte ne donne pas accès à cette page." in html
    assert "demandez-le à une personne qui administre La Ruche" in html
    assert 'href="/la-ruche/">Accueil de La Ruche' in html


@pytest.mark.django_db
def test_csrf_failure_is_french_and_says_what_to_do(people):
    client = _client(people["participant"], enforce_csrf_checks=True)
    response = client.post(reverse("preferences"), {"language": "en", "quick": "1"})
    html = _html(response)
    assert response.status_code == 403
    assert "<h1>Le formulaire n'a pas pu être envoyé</h1>" in html
    assert "rechargez-la" in html
    assert "CSRF" not in html


@pytest.mark.django_db
@pytest.mark.urls("faireavec.core.tests.urls_errors")
def test_500_is_french_in_the_shell():
    response = _client().get("/essai-erreur/")
    html = _html(response)
    assert response.status_code == 500
    assert "<h1>Un problème est survenu de notre côté</h1>" in html
    assert "Ce n'est pas de votre faute." in html
    assert f'href="{reverse("home")}">Accueil de FaireAvec' in html


def test_500_page_renders_without_database_or_request_context():
    """Django renders 500.html with no context processor; here any query would fail."""
    response = server_error(RequestFactory().get("/"))
    html = _html(response)
    assert response.status_code == 500
    assert "Un problème est survenu de notre côté" in html
    assert "csrfmiddlewaretoken" not in html  # no form that could not be sent


@pytest.mark.django_db
def test_404_of_a_private_organisation_does_not_name_it(org, people):
    """Its follow-up page answers outsiders 404 from inside the view (9.6): the
    error page must not show the organisation's name or menu either."""
    org.visibility = org.Visibility.PRIVATE
    org.allow_anonymous_contributions = False
    org.save()
    response = _client(people["other_admin"]).get("/la-ruche/avis/suivi/")
    assert response.status_code == 404
    assert "La Ruche" not in _html(response)

"""English mode leaves no French behind: every public page of the demo organisation,
and the platform's own pages, shown to a person who chose English, contain none of the
sentences of the French catalogues. A string left out of the catalogue (written in
French in a template) or translated once into a stored text shows up here."""

import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from faireavec.accounts.models import User
from faireavec.core.tests.module_world import module_world
from faireavec.core.tests.test_tenancy_routes import _tenant_models, _url, organisation_routes
from faireavec.organisations.demo import demo_build_all
from faireavec.organisations.models import CharterAcceptance, CharterVersion
from faireavec.organisations.tenancy import is_backoffice_route

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>")
TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
# Platform pages outside an organisation (not the notifications: each is written once,
# in the language the person had when it was sent).
PLATFORM_PAGES = [
    "home",
    "dashboard",
    "preferences",
    "accessibility",
    "account_email",
    "mfa_index",
]
ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_request_login_code",
    "account_reset_password",
]


def _demo_text() -> str:
    """What the demo's people and organisations wrote: French on purpose (it is their
    content, shown as they typed it), so a catalogue sentence found in it is no clue."""
    root = Path(settings.BASE_DIR)
    files = sorted(root.glob("faireavec/*/demo.py")) + sorted(root.glob("faireavec/*/*_fr.py"))
    return " ".join(" ".join(path.read_text().split()) for path in files)


def _french_sentences() -> set[str]:
    """Pieces of the French catalogues' translations long enough to be unmistakable:
    at least three words, placeholders cut out, different from the English and not
    in the demo's own content."""
    root = Path(settings.BASE_DIR)
    demo = _demo_text()
    sentences = set()
    catalogues = sorted(root.glob("faireavec/*/locale/fr/LC_MESSAGES/django.mo"))
    for mo in [*catalogues, root / "locale/fr/LC_MESSAGES/django.mo"]:
        with mo.open("rb") as file:
            catalogue = gettext.GNUTranslations(file)._catalog
        for msgid, msgstr in catalogue.items():
            english = msgid[0] if isinstance(msgid, tuple) else msgid
            if not english or msgstr == english:
                continue
            for piece in PLACEHOLDER.split(msgstr):
                piece = " ".join(piece.split()).strip(" .,:;!?()—-")
                if len(piece.split()) >= 3 and piece not in english and piece not in demo:
                    sentences.add(piece)
    return sentences


def _text(response) -> str:
    page = response.content.decode()
    return " ".join(html.unescape(TAG.sub(" ", page)).split())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_world(django_db_blocker):
        own, _other = demo_build_all(small=True)
        version = CharterVersion.objects.filter(organisation=own.organisation).first()
        CharterAcceptance.objects.get_or_create(version=version, user=own.users["admin"])
        yield own


def _pages(world) -> list[str]:
    org = world.organisation
    tenant_models = _tenant_models()
    urls = [
        _url(route, org, tenant_models)
        for route, _name in organisation_routes()
        if not is_backoffice_route(route)
    ]
    return urls + [reverse(name) for name in PLATFORM_PAGES]


def _french_left(client: Client, urls: list[str], sentences: set[str]) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text = _text(response)
        found.extend(f"{url}: « {s} »" for s in sorted(sentences) if s in text)
    return found


def test_the_catalogues_give_sentences_to_look_for():
    """The check reads the compiled French catalogues (a broken read must not pass)."""
    sentences = _french_sentences()
    assert len(sentences) > 500
    assert "Mon espace" not in sentences  # two words: too short to be sure
    assert any("code" in s for s in sentences)


@pytest.mark.django_db
def test_a_person_who_chose_english_reads_no_french(world):
    """Signed in with English as their language, the demo administrator walks every
    public page of the organisation and the platform's pages: no French sentence."""
    person = world.users["admin"]
    User.objects.filter(pk=person.pk).update(language="en")
    client = Client()
    client.force_login(person)
    left = _french_left(client, _pages(world), _french_sentences())
    assert not left, "French left in English mode:\n" + "\n".join(left)


@pytest.mark.django_db
def test_a_visitor_who_chose_english_reads_no_french(world):
    """A visitor who pressed « English » (the language cookie) reads the sign-in pages
    and the organisation's public pages in English."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    org = world.organisation
    urls = [reverse(name) for name in ANONYMOUS_PAGES] + [
        reverse("organisations:home", kwargs={"org_slug": org.slug}),
        reverse("contributions:contribution_create", kwargs={"org_slug": org.slug}),
    ]
    left = _french_left(client, urls, _french_sentences())
    assert not left, "French left in English mode:\n" + "\n".join(left)

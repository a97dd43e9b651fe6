"""Views: who can do what, and what bad input gets. Every role: anonymous,
participant, member, facilitator, admin, other-organisation admin."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from faireavec.contributions.models import Channel, Contribution, Kind, Report, Status, Support
from faireavec.contributions.services import (
    contribution_change_status,
    contribution_set_public,
)
from faireavec.contributions.tests.factories import (
    CommentFactory,
    gps_exif,
    image_bytes,
    make_contribution,
)
from faireavec.core.ratelimit import Limit
from faireavec.organisations.models import Organisation
from faireavec.organisations.tests.factories import CharterVersionFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "member", "facilitator", "admin", "other_admin"]


def url(name: str, org, **kwargs) -> str:
    return reverse(f"contributions:{name}", kwargs={"org_slug": org.slug, **kwargs})


def idea_data(**extra) -> dict:
    return {"kind": "idea", "title": "Des bancs", "body": "Dans le jardin.", **extra}


# « Donner mon avis » ------------------------------------------------------------


def test_anonymous_person_gives_an_idea_and_gets_a_code(org, client_for):
    client = client_for(None)
    assert client.get(url("contribution_create", org)).status_code == 200
    response = client.post(url("contribution_create", org), idea_data())
    c = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(
        url("followup_detail", org, contribution_follow_up_code=c.follow_up_code)
    )
    assert c.author is None and c.channel == Channel.ONLINE
    page = client.get(response["Location"])
    assert c.follow_up_code in page.content.decode()


def test_charter_is_accepted_before_a_first_contribution(org, client_for):
    CharterVersionFactory(organisation=org)
    client = client_for(None)
    response = client.get(url("contribution_create", org))
    assert response.status_code == 302
    assert "/charte/accepter/" in response["Location"]
    assert "next=" in response["Location"]
    response = client.post(url("contribution_create", org), idea_data())
    assert response.status_code == 302 and "/charte/accepter/" in response["Location"]
    assert not Contribution.objects.exists()


def test_without_anonymous_contributions_visitors_sign_in(org, people, client_for):
    org.allow_anonymous_contributions = False
    org.save()
    response = client_for(None).post(url("contribution_create", org), idea_data())
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    assert not Contribution.objects.exists()
    client_for(people["participant"]).post(
        url("contribution_create", org), idea_data(show_author_name="on")
    )
    c = Contribution.objects.get()
    assert c.author == people["participant"] and c.show_author_name


@pytest.mark.parametrize("allow", [True, False])
def test_private_organisation_give_page_for_outsiders(org, people, client_for, allow):
    """A private organisation's give page is open to outsiders only if it accepts anonymous
    contributions; an outsider's contribution is then anonymous."""
    org.visibility = Organisation.Visibility.PRIVATE
    org.allow_anonymous_contributions = allow
    org.save()
    client = client_for(people["other_admin"])
    response = client.post(url("contribution_create", org), idea_data())
    if allow:
        assert response.status_code == 302
        assert Contribution.objects.get().author is None
    else:
        assert response.status_code == 404
        assert not Contribution.objects.exists()
    assert client.get(url("said_done", org)).status_code == 404


def test_honeypot_refuses_and_writes_nothing(org, client_for):
    response = client_for(None).post(
        url("contribution_create", org), idea_data(website="http://spam.example")
    )
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_missing_fields_get_a_form_error(org, client_for):
    response = client_for(None).post(url("contribution_create", org), {"kind": "idea"})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Contribution.objects.exists()


def test_public_posts_are_rate_limited(org, client_for, monkeypatch):
    from faireavec.contributions.views import public

    monkeypatch.setattr(public, "CONTRIBUTION_POST", Limit("t_post", 2, 600))
    client = client_for(None)
    for _ in range(2):
        assert client.post(url("contribution_create", org), idea_data()).status_code == 302
    assert client.post(url("contribution_create", org), idea_data()).status_code == 429
    assert Contribution.objects.count() == 2


def test_photo_is_stored_without_its_gps_position(org, client_for):
    photo = SimpleUploadedFile("img.jpg", image_bytes(exif=gps_exif()), content_type="image/jpeg")
    response = client_for(None).post(url("contribution_create", org), idea_data(photo=photo))
    assert response.status_code == 302
    c = Contribution.objects.get()
    with c.photo.open("rb") as f, Image.open(f) as stored:
        assert not stored.getexif().get_ifd(0x8825)


def test_a_file_that_is_not_a_photo_is_refused_clearly(org, client_for):
    fake = SimpleUploadedFile("img.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = client_for(None).post(url("contribution_create", org), idea_data(photo=fake))
    assert response.status_code == 400
    assert "id_photo_error" in response.content.decode()
    assert not Contribution.objects.exists()


# Follow-up codes ---------------------------------------------------------------


def test_follow_up_by_code_and_same_answer_for_any_wrong_code(org, other_org, client_for):
    c = make_contribution(org)
    client = client_for(None)
    ok = client.get(url("followup_detail", org, contribution_follow_up_code=c.follow_up_code))
    assert ok.status_code == 200 and c.title in ok.content.decode()
    lookup = client.get(url("followup_lookup", org), {"code": c.follow_up_code.lower()})
    assert lookup.status_code == 302
    wrong = [
        client.get(url("followup_detail", org, contribution_follow_up_code="ACDEFGHJKM")),
        client.get(url("followup_detail", org, contribution_follow_up_code="x")),
        client.get(url("followup_lookup", org), {"code": "zzz"}),
        # The code is right but the organisation is not.
        client.get(url("followup_detail", other_org, contribution_follow_up_code=c.follow_up_code)),
    ]
    assert [r.status_code for r in wrong] == [404] * 4
    errors = {
        re.search(r'id="id_code_error"[^>]*>(.*?)</ul>', r.content.decode(), re.S).group(1)
        for r in wrong
    }
    assert len(errors) == 1  # the same message, whatever the mistake


def test_wrong_follow_up_codes_are_limited_but_a_right_code_still_answers(
    org, client_for, monkeypatch
):
    """After too many wrong codes from one address (a hall on one wifi), wrong
    codes get « wait » (429) while a right code still answers: nobody in the
    hall is locked out of their own follow-up."""
    from faireavec.contributions.views import public

    monkeypatch.setattr(public, "FOLLOW_UP_MISS", Limit("t_miss", 3, 900))
    c = make_contribution(org)
    client = client_for(None)
    statuses = [
        client.get(url("followup_lookup", org), {"code": "ACDEFGHJKM"}).status_code
        for _ in range(4)
    ]
    assert statuses == [404, 404, 404, 429]
    blocked = client.get(url("followup_detail", org, contribution_follow_up_code="ACDEFGHJKN"))
    assert blocked.status_code == 429
    assert 'name="code"' in blocked.content.decode()  # the form stays, to type a right code
    right = client.get(url("followup_detail", org, contribution_follow_up_code=c.follow_up_code))
    assert right.status_code == 200 and c.title in right.content.decode()
    lookup = client.get(url("followup_lookup", org), {"code": c.follow_up_code})
    assert lookup.status_code == 302
    # Another address is not affected.
    other = client_for(None).get(
        url("followup_lookup", org), {"code": "ACDEFGHJKM"}, REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 404


def test_right_codes_are_not_counted(org, client_for, monkeypatch):
    """Many right look-ups from one address (everyone in the hall) never block."""
    from faireavec.contributions.views import public

    monkeypatch.setattr(public, "FOLLOW_UP_MISS", Limit("t_miss2", 2, 900))
    c = make_contribution(org)
    client = client_for(None)
    for _ in range(5):
        assert client.get(c.get_absolute_url()).status_code == 200
    assert client.get(url("followup_lookup", org), {"code": "ACDEFGHJKM"}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("allow", [True, False])
def test_private_organisation_follow_up_pages_follow_the_outsider_rule(
    org, people, client_for, role, allow
):
    """A private organisation's follow-up pages (look-up and a contribution's status,
    history and answer) follow the rule of the give page: outsiders reach them only
    if it accepts anonymous contributions, otherwise they are a 404 like every other
    page of that organisation. People with a role in it always reach them."""
    c = make_contribution(org)
    contribution_change_status(
        actor=people["facilitator"], contribution=c, to_status=Status.DECLINED, message="Trop cher"
    )
    org.visibility = Organisation.Visibility.PRIVATE
    org.allow_anonymous_contributions = allow
    org.save()
    client = client_for(people[role])
    pages = [
        client.get(url("followup_lookup", org)),
        client.get(url("followup_lookup", org), {"code": c.follow_up_code}),
        client.get(url("followup_detail", org, contribution_follow_up_code=c.follow_up_code)),
        client.get(url("followup_receipt", org, contribution_follow_up_code=c.follow_up_code)),
    ]
    outsider = role in {"anonymous", "other_admin"}
    if outsider and not allow:
        assert [p.status_code for p in pages] == [404, 404, 404, 404]
        for page in pages:
            assert org.name not in page.content.decode()
            assert "Trop cher" not in page.content.decode()
    else:
        assert [p.status_code for p in pages] == [200, 302, 200, 200]
        assert "Trop cher" in pages[2].content.decode()


def test_empty_look_up_shows_one_message(org, client_for):
    """An empty look-up says what to type, once; it is not counted as a wrong code."""
    response = client_for(None).get(url("followup_lookup", org), {"code": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    field_errors = re.search(r'id="id_code_error"[^>]*>(.*?)</ul>', page, re.S).group(1)
    assert field_errors.count("<li>") == 1
    assert "Tapez le code de suivi que vous avez reçu." in field_errors
    assert "rien trouvé" not in page


def test_look_up_is_offered_at_the_foot_of_public_pages(org, client_for):
    """The follow-up look-up is in the footer of the organisation's public pages."""
    page = client_for(None).get(url("said_done", org)).content.decode()
    assert f'action="{url("followup_lookup", org)}"' in page and 'id="footer-code"' in page


def _give(client, org):
    response = client.post(url("contribution_create", org), idea_data(title="Titre-TAPE"))
    return Contribution.objects.get(), response


def test_confirmation_page_shows_the_code_first_with_print_and_email(org, client_for):
    """Just after sending: the title thanks, the code comes next in groups of five,
    with a printable page and the email form; no message pushes it down."""
    client = client_for(None)
    c, response = _give(client, org)
    page = client.get(response["Location"]).content.decode()
    main = page.split('id="contenu"')[1]
    code = f"{c.follow_up_code[:5]} {c.follow_up_code[5:]}"
    assert main.index("<h1>") < main.index(code) < main.index("Titre-TAPE")
    assert 'class="messages' not in main.split("<h1>")[0]
    receipt = url("followup_receipt", org, contribution_follow_up_code=c.follow_up_code)
    assert f'href="{receipt}"' in main
    assert url("followup_email", org, contribution_follow_up_code=c.follow_up_code) in main
    printable = client.get(receipt)
    assert printable.status_code == 200 and code in printable.content.decode()
    # Later visits show the contribution itself, without the confirmation.
    later = client.get(c.get_absolute_url()).content.decode()
    assert "<h1>Titre-TAPE</h1>" in later


def test_code_is_emailed_once_and_the_address_is_not_kept(org, client_for, mailoutbox):
    """The email carries the code and the link, none of the typed text; the address
    is written nowhere in the database."""
    client = client_for(None)
    c, _ = _give(client, org)
    email_url = url("followup_email", org, contribution_follow_up_code=c.follow_up_code)
    response = client.post(email_url, {"email": "camille@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    sent = mailoutbox[0]
    assert sent.to == ["camille@example.org"]
    assert f"{c.follow_up_code[:5]} {c.follow_up_code[5:]}" in sent.body
    assert c.get_absolute_url() in sent.body and "Titre-TAPE" not in sent.body + sent.subject
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                getattr(field, "get_internal_type", lambda: "")()
                in {"CharField", "TextField", "EmailField", "JSONField"}
                and field.concrete
            ):
                assert not model._default_manager.filter(
                    **{f"{field.name}__icontains": "camille@example.org"}
                ).exists(), f"{model.__name__}.{field.name}"


def test_code_email_needs_the_browser_that_sent_it_and_is_limited(org, client_for, mailoutbox):
    """Only the browser that just sent the contribution may email its code (a code
    seen elsewhere cannot be used to send mail), at most a few times; a bad address
    gets a message on the form."""
    from faireavec.contributions.views import public

    client = client_for(None)
    c, _ = _give(client, org)
    email_url = url("followup_email", org, contribution_follow_up_code=c.follow_up_code)
    assert client_for(None).post(email_url, {"email": "a@example.org"}).status_code == 404
    bad = client.post(email_url, {"email": "pas-une-adresse"})
    assert bad.status_code == 400 and 'id="id_email_error"' in bad.content.decode()
    for _ in range(public.FOLLOW_UP_EMAIL_PER_CODE.count):
        assert client.post(email_url, {"email": "a@example.org"}).status_code == 302
    assert client.post(email_url, {"email": "a@example.org"}).status_code == 429
    assert len(mailoutbox) == public.FOLLOW_UP_EMAIL_PER_CODE.count


def test_follow_up_shows_public_history_not_internal_notes(org, people, client_for):
    c = make_contribution(org)
    contribution_change_status(
        actor=people["facilitator"], contribution=c, to_status=Status.DECLINED, message="Trop cher"
    )
    from faireavec.contributions.services import contribution_set_hidden

    contribution_set_hidden(
        actor=people["facilitator"], contribution=c, hidden=True, reason="NOTE-INTERNE"
    )
    page = client_for(None).get(c.get_absolute_url()).content.decode()
    assert "Trop cher" in page and "NOTE-INTERNE" not in page


def test_follow_up_history_speaks_the_readers_language(org, people, client_for):
    """The platform's own words in the history are written when read: a contribution
    sent in French reads in English for an English reader (no French left)."""
    from django.conf import settings

    c = contribution_set_public(
        actor=people["facilitator"], contribution=make_contribution(org), public=True
    )
    french = client_for(None).get(c.get_absolute_url()).content.decode()
    assert "Nous avons bien reçu votre message." in french
    english_reader = client_for(None)
    english_reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = english_reader.get(c.get_absolute_url()).content.decode()
    assert "We received your message." in page
    assert "Everyone can now see and support this idea." in page
    assert "Nous avons" not in page and "Tout le monde" not in page


def test_my_contributions(org, people, client_for):
    mine = make_contribution(org, author=people["participant"])
    other = make_contribution(org, author=people["member"], title="Autre chose")
    response = client_for(None).get(url("contribution_mine", org))
    assert response.status_code == 302
    page = client_for(people["participant"]).get(url("contribution_mine", org)).content.decode()
    assert mine.title in page and other.title not in page


# Back office: every role ---------------------------------------------------------

BACKOFFICE_GETS = ["inbox", "contribution_assisted", "overdue_list", "moderation_list"]
EXPECTED_BACKOFFICE = {
    "anonymous": 302,
    "participant": 403,
    "member": 403,
    "facilitator": 200,
    "admin": 200,
    "other_admin": 404,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", BACKOFFICE_GETS)
def test_backoffice_pages_by_role(org, people, client_for, role, name):
    assert client_for(people[role]).get(url(name, org)).status_code == EXPECTED_BACKOFFICE[role]


@pytest.mark.parametrize("role", ROLES)
def test_status_change_by_role(org, people, client_for, role):
    c = make_contribution(org)
    response = client_for(people[role]).post(
        url("contribution_status", org, contribution_pk=c.pk),
        {"to_status": Status.UNDER_STUDY, "message": "On regarde"},
    )
    c.refresh_from_db()
    if role in {"facilitator", "admin"}:
        assert response.status_code == 302
        assert c.status == Status.UNDER_STUDY
    else:
        assert response.status_code == EXPECTED_BACKOFFICE[role]
        assert c.status == Status.RECEIVED


def test_other_organisation_contribution_is_not_found(org, other_org, people, client_for):
    theirs = make_contribution(other_org)
    client = client_for(people["admin"])
    assert client.get(url("contribution_manage", org, contribution_pk=theirs.pk)).status_code == 404
    response = client.post(
        url("contribution_status", org, contribution_pk=theirs.pk),
        {"to_status": Status.UNDER_STUDY},
    )
    assert response.status_code == 404


def test_decline_without_reason_keeps_status_and_says_why(org, people, client_for):
    """A refused status change comes back with the chosen status and the message
    kept, the reason beside the message field (not a message above a blank form)."""
    c = make_contribution(org)
    client = client_for(people["facilitator"])
    inbox = url("inbox", org) + "?kind=idea"
    response = client.post(
        url("contribution_status", org, contribution_pk=c.pk),
        {"to_status": Status.DECLINED, "message": "  ", "next": inbox},
    )
    assert response.status_code == 400
    c.refresh_from_db()
    assert c.status == Status.RECEIVED
    html = response.content.decode()
    assert re.search(r'<option value="declined" selected>', html)
    assert 'id="id_message_error"' in html and "Dites pourquoi" in html
    assert 'href="#id_message"' in html and "<title>Erreur : " in html


def test_status_message_never_replaces_what_was_decided(org, people, client_for):
    """« Ce qui a été décidé », written with the answer form, keeps its text when
    the status changes with a short message (the message goes to the history)."""
    c = make_contribution(org, kind=Kind.COMPLAINT)
    client = client_for(people["facilitator"])
    client.post(
        url("contribution_answer", org, contribution_pk=c.pk),
        {"answer": "Nous changeons la rampe en mars.", "outcome": "", "public_summary": ""},
    )
    client.post(
        url("contribution_status", org, contribution_pk=c.pk),
        {"to_status": Status.ANSWERED, "message": "Réponse envoyée."},
    )
    c.refresh_from_db()
    assert c.status == Status.ANSWERED
    assert c.answer == "Nous changeons la rampe en mars."
    assert c.history.filter(message="Réponse envoyée.", is_public=True).exists()


def test_a_refused_answer_keeps_each_field(org, people, client_for):
    c = make_contribution(org)
    response = client_for(people["facilitator"]).post(
        url("contribution_answer", org, contribution_pk=c.pk),
        {"answer": "Décidé ainsi.", "outcome": "x" * 5001, "public_summary": "Résumé"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Décidé ainsi.</textarea>" in html and "Résumé</textarea>" in html
    assert 'id="id_outcome_error"' in html
    c.refresh_from_db()
    assert c.answer == ""


def test_status_change_with_htmx_returns_the_row(org, people, client_for):
    c = make_contribution(org)
    response = client_for(people["facilitator"]).post(
        url("contribution_status", org, contribution_pk=c.pk),
        {"to_status": Status.ACCEPTED, "message": "Oui", "row": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="contribution-{c.pk}"')
    assert "<html" not in html
    c.refresh_from_db()
    assert c.status == Status.ACCEPTED


def test_inbox_htmx_filter_returns_results_only(org, people, client_for):
    make_contribution(org)
    response = client_for(people["facilitator"]).get(
        url("inbox", org), {"kind": "idea"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-results"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="inbox-results">') and "<html" not in html


def test_inbox_query_count_does_not_grow(org, people, client_for):
    client = client_for(people["facilitator"])
    counts = []
    for _size in (3, 6, 9):  # flat at twice and three times a small size
        make_contribution(org, kind=Kind.COMPLAINT)
        make_contribution(org)
        make_contribution(org, kind=Kind.TESTIMONY)
        client.get(url("inbox", org))
        with CaptureQueriesContext(connection) as queries:
            client.get(url("inbox", org))
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_bulk_action_ignores_other_organisations(org, other_org, people, client_for):
    mine = [make_contribution(org) for _ in range(2)]
    theirs = make_contribution(other_org)
    response = client_for(people["facilitator"]).post(
        url("inbox_bulk", org),
        {
            "action": f"status:{Status.UNDER_STUDY}",
            "selected": [mine[0].pk, mine[1].pk, theirs.pk],
        },
    )
    assert response.status_code == 302
    assert set(Contribution.objects.filter(status=Status.UNDER_STUDY)) == set(mine)


def test_bulk_decline_without_message_changes_nothing(org, people, client_for):
    c = make_contribution(org)
    client_for(people["facilitator"]).post(
        url("inbox_bulk", org), {"action": f"status:{Status.DECLINED}", "selected": [c.pk]}
    )
    c.refresh_from_db()
    assert c.status == Status.RECEIVED


def test_export_is_filtered_and_has_no_personal_data(org, people, client_for):
    make_contribution(org, author=people["participant"], title="Idée de Daniel")
    make_contribution(org, kind=Kind.COMPLAINT, title="Réclamation")
    response = client_for(people["facilitator"]).post(
        url("inbox_export", org), {"kind": "idea", "format": "csv"}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2 and "Idée de Daniel" in rows[1]
    assert rows[1][-1] == "Non"  # « Hidden », a boolean, in French
    assert people["participant"].email not in text
    member = client_for(people["member"]).post(url("inbox_export", org), {"format": "csv"})
    assert member.status_code == 403


def test_assisted_entry_without_consent_is_refused(org, people, client_for):
    client = client_for(people["facilitator"])
    data = {
        "channel": Channel.PHONE,
        "kind": Kind.COMPLAINT,
        "title": "Téléphone",
        "body": "Appel de Mme X",
        "severity": "high",
        "contact_details": "06 00 00 00 00",
    }
    response = client.post(url("contribution_assisted", org), data)
    assert response.status_code == 400
    assert not Contribution.objects.exists()
    response = client.post(url("contribution_assisted", org), {**data, "contact_consent": "on"})
    assert response.status_code == 302
    c = Contribution.objects.get()
    assert c.recorded_by == people["facilitator"] and c.channel == Channel.PHONE
    assert c.severity == "high" and c.answer_due is not None


def test_escalate_from_the_overdue_page(org, people, client_for):
    from datetime import timedelta

    from django.utils import timezone

    c = make_contribution(org, kind=Kind.COMPLAINT, now=timezone.now() - timedelta(days=40))
    response = client_for(people["facilitator"]).post(url("overdue_escalate", org))
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.escalated_at is not None


def test_poster_has_a_qr_code(org, people, client_for):
    response = client_for(people["facilitator"]).get(url("contribution_poster", org))
    assert response.status_code == 200 and "<svg" in response.content.decode()


# Public ideas, supports, comments, reports ----------------------------------------


def test_non_public_idea_is_404_except_a_preview_for_facilitators(org, people, client_for):
    c = make_contribution(org)
    for role in ("anonymous", "participant", "member", "other_admin"):
        assert (
            client_for(people[role]).get(url("idea_detail", org, contribution_pk=c.pk)).status_code
            == 404
        ), role
    for role in ("facilitator", "admin"):
        response = client_for(people[role]).get(url("idea_detail", org, contribution_pk=c.pk))
        assert response.status_code == 200 and response.context["preview"] is True


@pytest.mark.parametrize("role", ROLES)
def test_support_by_role(org, people, client_for, role):
    c = contribution_set_public(
        actor=people["facilitator"], contribution=make_contribution(org), public=True
    )
    client = client_for(people[role])
    response = client.post(url("idea_support", org, contribution_pk=c.pk))
    client.post(url("idea_support", org, contribution_pk=c.pk))  # twice: still one
    c.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302 and "/compte/login/" in response["Location"]
        assert c.support_count == 0
    else:
        assert response.status_code == 302
        assert c.support_count == 1 and Support.objects.count() == 1


def test_comment_and_report_by_an_anonymous_visitor(org, people, client_for):
    org.moderation_threshold = 2
    org.save()
    c = contribution_set_public(
        actor=people["facilitator"], contribution=make_contribution(org), public=True
    )
    participant = client_for(people["participant"])
    response = participant.post(url("idea_comment", org, contribution_pk=c.pk), {"body": "Oui !"})
    assert response.status_code == 302
    comment = c.comments.get()
    visitor = client_for(None)
    assert (
        visitor.post(url("idea_comment", org, contribution_pk=c.pk), {"body": "x"}).status_code
        == 302
    )  # to the login page
    assert c.comments.count() == 1
    for _ in range(2):
        visitor.post(url("comment_report", org, comment_pk=comment.pk), {"reason": "Insulte"})
    assert Report.objects.count() == 1  # one visitor, one report
    comment.refresh_from_db()
    assert not comment.is_hidden
    participant.post(url("comment_report", org, comment_pk=comment.pk), {})
    comment.refresh_from_db()
    assert comment.is_hidden
    page = client_for(None).get(url("idea_detail", org, contribution_pk=c.pk)).content.decode()
    assert "Oui !" not in page


def test_commenting_without_a_display_name_offers_one_and_never_shows_the_email(
    org, people, client_for
):
    """A person without a display name is asked for one when commenting (a pseudonym
    is fine); without one, the comment shows a neutral label, never the email or
    part of it. Once chosen, the page says under which name the comment goes out."""
    c = contribution_set_public(
        actor=people["facilitator"], contribution=make_contribution(org), public=True
    )
    person = people["participant"]
    person.email = "jeanne.martin@example.org"
    person.display_name = ""
    person.save()
    client = client_for(person)
    page = client.get(url("idea_detail", org, contribution_pk=c.pk)).content.decode()
    assert 'name="display_name"' in page and "jeanne.martin" not in page
    client.post(url("idea_comment", org, contribution_pk=c.pk), {"body": "Sans nom"})
    public = client_for(None).get(url("idea_detail", org, contribution_pk=c.pk)).content.decode()
    assert "Sans nom" in public and "Une personne participante" in public
    assert "jeanne" not in public.lower()
    client.post(
        url("idea_comment", org, contribution_pk=c.pk),
        {"body": "Avec pseudo", "display_name": "  Rayon-de-soleil "},
    )
    person.refresh_from_db()
    assert person.display_name == "Rayon-de-soleil"
    page = client.get(url("idea_detail", org, contribution_pk=c.pk)).content.decode()
    assert 'name="display_name"' not in page
    assert "Votre commentaire sera publié sous le nom : <strong>Rayon-de-soleil</strong>" in page
    public = client_for(None).get(url("idea_detail", org, contribution_pk=c.pk)).content.decode()
    assert "Rayon-de-soleil" in public and "jeanne" not in public.lower()


def test_a_too_long_display_name_keeps_the_comment_typed(org, people, client_for):
    """A bad display name gets a message beside the field; the comment typed stays."""
    c = contribution_set_public(
        actor=people["facilitator"], contribution=make_contribution(org), public=True
    )
    person = people["participant"]
    person.display_name = ""
    person.save()
    response = client_for(person).post(
        url("idea_comment", org, contribution_pk=c.pk),
        {"body": "Mon texte gardé", "display_name": "x" * 101},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mon texte gardé" in page and 'id="id_display_name_error"' in page
    assert not c.comments.exists()


def test_hidden_comment_cannot_be_reported_or_seen_by_the_public(org, client_for):
    comment = CommentFactory(contribution__organisation=org, is_hidden=True)
    assert (
        client_for(None).get(url("comment_report", org, comment_pk=comment.pk)).status_code == 404
    )


def test_facilitator_hides_and_restores_with_a_reason(org, people, client_for):
    c = make_contribution(org)
    client = client_for(people["facilitator"])
    client.post(url("contribution_moderate", org, contribution_pk=c.pk), {"hide": "1"})
    c.refresh_from_db()
    assert not c.is_hidden  # no reason, nothing done
    client.post(
        url("contribution_moderate", org, contribution_pk=c.pk), {"hide": "1", "reason": "Propos"}
    )
    c.refresh_from_db()
    assert c.is_hidden
    assert (
        client_for(people["participant"])
        .post(
            url("contribution_moderate", org, contribution_pk=c.pk),
            {"restore": "1", "reason": "x"},
        )
        .status_code
        == 403
    )


# « Vous avez dit, nous avons fait » ---------------------------------------------


def test_said_done_never_shows_an_author_who_did_not_choose_to_be_named(org, people, client_for):
    named = make_contribution(org, author=people["participant"], show_author_name=True)
    unnamed = make_contribution(org, author=people["member"], title="Autre")
    for c in (named, unnamed):
        contribution_change_status(
            actor=people["facilitator"], contribution=c, to_status=Status.ACCEPTED, message="Oui"
        )
    page = client_for(None).get(url("said_done", org)).content.decode()
    assert str(people["participant"]) in page
    assert str(people["member"]) not in page


def test_said_done_query_count_does_not_grow(org, people, client_for):
    client = client_for(None)

    def answered(n):
        for _ in range(n):
            c = make_contribution(org, author=people["participant"], show_author_name=True)
            contribution_change_status(
                actor=people["facilitator"], contribution=c, to_status=Status.ACCEPTED, message="Ok"
            )

    counts = []
    for _size in (3, 6, 9):  # flat at twice and three times a small size
        answered(3)
        client.get(url("said_done", org))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("said_done", org)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_said_done_filter_offers_only_the_kinds_it_lists(org, people, client_for):
    """No « Kind » filter while one kind only is listed; then only the kinds listed."""
    client = client_for(None)

    def answered(kind, to_status):
        contribution_change_status(
            actor=people["facilitator"],
            contribution=make_contribution(org, kind=kind),
            to_status=to_status,
            message="Ok",
        )

    answered(Kind.IDEA, Status.ACCEPTED)
    make_contribution(org, kind=Kind.TESTIMONY)  # not answered: not listed
    page = client.get(url("said_done", org)).content.decode()
    assert 'name="kind"' not in page
    answered(Kind.COMPLAINT, Status.ANSWERED)
    page = client.get(url("said_done", org)).content.decode()
    options = re.findall(
        r'<option value="(\w*)"', page.split('name="kind"')[1].split("</select>")[0]
    )
    assert options == ["", Kind.IDEA, Kind.COMPLAINT]


def test_said_done_bad_filters_are_ignored_not_500(org, client_for):
    response = client_for(None).get(url("said_done", org), {"year": "abc", "site": "999999"})
    assert response.status_code == 200


def test_support_with_htmx_returns_the_support_block(org, people, client_for):
    c = contribution_set_public(
        actor=people["facilitator"], contribution=make_contribution(org), public=True
    )
    response = client_for(people["participant"]).post(
        url("idea_support", org, contribution_pk=c.pk), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="support"') and "<html" not in html
    assert 'name="withdraw"' in html  # the block now offers to withdraw the support
    c.refresh_from_db()
    assert c.support_count == 1


def test_anonymous_contribution_stores_no_address_nor_session(org, client_for):
    """Nothing written about an anonymous contribution holds the visitor's IP or session."""
    from django.forms.models import model_to_dict

    from faireavec.contributions.models import HistoryEntry
    from faireavec.core.models import AuditEntry

    client = client_for(None)
    client.post(url("contribution_create", org), idea_data(), REMOTE_ADDR="203.0.113.77")
    contribution = Contribution.objects.get()
    session_key = client.session.session_key or "no-session"
    written = [model_to_dict(contribution), *HistoryEntry.objects.values()]
    written += list(AuditEntry.objects.values())
    text = repr(written)
    assert "203.0.113.77" not in text and session_key not in text
    assert contribution.author is None and contribution.recorded_by is None


def test_moderation_page_shows_only_reported_items_with_their_count(org, people, client_for):
    """The page lists what waits for review and says how many, not every contribution."""
    from faireavec.contributions.services import contribution_report

    make_contribution(org, title="Personne ne s'en plaint")
    reported = make_contribution(org, title="Propos douteux")
    contribution_report(contribution=reported, session_key="visiteur-1")
    contribution_report(contribution=reported, user=people["participant"])
    page = client_for(people["facilitator"]).get(url("moderation_list", org)).content.decode()
    assert "Propos douteux" in page
    assert "Personne ne s" not in page
    assert "1 contribution à examiner" in page
    assert "0 commentaire à examiner" in page
    assert "2 signalements à examiner" in page


def test_support_with_htmx_says_it_in_the_fragment_not_on_the_next_page(org, people, client_for):
    """The outcome is announced in the swapped block (data-announce, read by the
    live region), not left in the session for the next page."""
    c = contribution_set_public(
        actor=people["facilitator"], contribution=make_contribution(org), public=True
    )
    client = client_for(people["participant"])
    response = client.post(url("idea_support", org, contribution_pk=c.pk), HTTP_HX_REQUEST="true")
    assert re.search(r"<p class=\"message\" data-announce>Merci pour votre soutien", response.text)
    page = client.get(url("idea_detail", org, contribution_pk=c.pk)).text
    assert "Merci pour votre soutien" not in page


def test_inbox_filter_without_javascript_is_a_plain_get_form(org, people, client_for):
    make_contribution(org, kind=Kind.COMPLAINT)
    client = client_for(people["facilitator"])
    page = client.get(url("inbox", org)).text
    form = page.split('class="filters"')[0].rsplit("<form", 1)[1]
    assert 'method="get"' in form
    response = client.get(url("inbox", org), {"kind": "idea"})
    assert "<html" in response.text and '<div id="inbox-results">' in response.text
    assert "0 contribution" in response.text


# Opening the idea box (a new organisation's first step) ---------------------------


def test_opening_the_idea_box_is_said_once_from_the_poster_page(org, people, client_for):
    """The poster page offers « Our idea box is open »; the step is then done, the
    activity log has it once, and the poster page no longer offers it. An opinion the
    team wrote down for someone does not open the box; one given online does."""
    from faireavec.contributions.selectors import onboarding_idea_box_open
    from faireavec.core.models import AuditEntry

    make_contribution(org, channel="phone", recorded_by=people["facilitator"])
    assert not onboarding_idea_box_open(organisation=org)
    client = client_for(people["facilitator"])
    poster = reverse("contributions:contribution_poster", kwargs={"org_slug": org.slug})
    opening = reverse("contributions:idea_box_open", kwargs={"org_slug": org.slug})
    assert opening in client.get(poster).content.decode()
    assert client.get(opening).status_code == 405
    response = client.post(opening)
    assert response["Location"] == reverse(
        "organisations:backoffice_home", kwargs={"org_slug": org.slug}
    )
    client.post(opening)
    assert onboarding_idea_box_open(organisation=org)
    assert AuditEntry.objects.filter(action="contributions.idea_box_open").count() == 1
    assert opening not in client.get(poster).content.decode()


def test_a_first_opinion_given_online_opens_the_idea_box(org):
    from faireavec.contributions.selectors import onboarding_idea_box_open

    make_contribution(org)
    assert onboarding_idea_box_open(organisation=org)


@pytest.mark.parametrize("role", ["anonymous", "participant", "member", "other_admin"])
def test_only_the_team_opens_the_idea_box(org, people, client_for, role):
    """Participants and members cannot (403), another organisation gets a 404,
    visitors the sign-in page; nothing is recorded."""
    from faireavec.core.models import AuditEntry

    url = reverse("contributions:idea_box_open", kwargs={"org_slug": org.slug})
    response = client_for(people[role]).post(url)
    assert response.status_code == {"anonymous": 302, "other_admin": 404}.get(role, 403)
    assert not AuditEntry.objects.filter(action="contributions.idea_box_open").exists()

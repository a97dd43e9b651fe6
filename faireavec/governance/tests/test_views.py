"""Pages: a member votes online and gets trackers, the bureau records a paper vote,
a proxy holder votes for the person they represent, colleges are refused with a
clear message, minutes as PDF."""

import re

import pytest
from django.urls import reverse

from faireavec.governance.models import Ballot, College, VoteRecord
from faireavec.governance.services import assembly_close, minutes_publish, proxy_give
from faireavec.governance.tests.factories import MemberFactory, convened_assembly, scic

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(org, people):
    _o, colleges, _m = scic(organisation=org)
    MemberFactory(organisation=org, user=people["participant"], college=colleges[0], number="P001")
    MemberFactory(organisation=org, user=people["member"], college=colleges[1], number="P002")
    assembly, _c, _m = convened_assembly(organisation=org, resolutions=2)
    return assembly


def _url(name, assembly):
    return reverse(
        name, kwargs={"org_slug": assembly.organisation.slug, "assembly_pk": assembly.pk}
    )


def test_a_member_votes_online_and_gets_one_tracker_per_ballot(voting, people, client_for):
    client = client_for(people["participant"])
    page = client.get(_url("governance:assembly_vote", voting))
    assert page.status_code == 200
    r1, r2 = voting.resolutions.all()
    voter = voting.voters.get(member__number="P001")
    prefix = f"m{voter.pk}"
    response = client.post(
        _url("governance:assembly_vote", voting),
        {"pour": "P001", f"{prefix}-r{r1.pk}": "for", f"{prefix}-r{r2.pk}": "abstain"},
    )
    assert response.status_code == 200
    trackers = re.findall(r'<code class="tracker">([A-Z0-9]{12})</code>', response.content.decode())
    assert len(trackers) == 2
    assert set(
        Ballot.objects.filter(resolution__assembly=voting).values_list("tracker", flat=True)
    ) == set(trackers)
    # Sending the same form again records nothing more.
    again = client.post(
        _url("governance:assembly_vote", voting), {"pour": "P001", f"{prefix}-r{r1.pk}": "against"}
    )
    assert again.status_code == 200
    assert VoteRecord.objects.filter(voter=voter).count() == 2


def test_a_proxy_holder_votes_separately_for_the_represented(voting, people, client_for):
    holder = voting.voters.get(member__number="P001")
    giver = voting.voters.get(member__number="P002")
    proxy_give(actor=None, assembly=voting, giver=giver, holder=holder)
    client = client_for(people["participant"])
    r1 = voting.resolutions.first()
    response = client.post(
        _url("governance:assembly_vote", voting),
        {"pour": "P002", f"m{giver.pk}-r{r1.pk}": "against"},
    )
    assert response.status_code == 200
    record = VoteRecord.objects.get(voter=giver)
    assert record.acted_by == holder and record.channel == "proxy"
    # The represented member cannot vote themselves any more.
    own = client_for(people["member"]).post(
        _url("governance:assembly_vote", voting), {"pour": "P002", f"m{giver.pk}-r{r1.pk}": "for"}
    )
    assert own.status_code == 302
    assert VoteRecord.objects.filter(voter=giver).count() == 1


def test_the_bureau_records_a_paper_vote(voting, people, client_for):
    client = client_for(people["facilitator"])
    url = _url("governance:bureau", voting)
    assert client.get(url, {"numero": "P002"}).status_code == 200
    r1, r2 = voting.resolutions.all()
    response = client.post(
        url,
        {
            "numero": "P002",
            "action": "vote",
            "vote-channel": "postal",
            f"vote-r{r1.pk}": "for",
            f"vote-r{r2.pk}": "against",
        },
    )
    assert response.status_code == 302
    record = VoteRecord.objects.get(voter__member__number="P002", resolution=r1)
    assert record.channel == "postal" and record.recorded_by == people["facilitator"]
    voter = voting.voters.get(member__number="P002")
    assert voter.attendance == "postal"


def test_invalid_scic_colleges_get_a_clear_message(org, people, client_for):
    scic(organisation=org)
    client = client_for(people["admin"])
    colleges = list(College.objects.filter(organisation=org))
    data = {"colleges-TOTAL_FORMS": "4", "colleges-INITIAL_FORMS": "3"}
    for i, college in enumerate(colleges):
        data |= {
            f"colleges-{i}-college_id": college.pk,
            f"colleges-{i}-name": college.name,
            f"colleges-{i}-weight": "60",
        }
    response = client.post(reverse("governance:college_edit", kwargs={"org_slug": org.slug}), data)
    assert response.status_code == 200
    assert "Erreur" in response.content.decode()
    assert "pèse 60" in response.content.decode()
    assert College.objects.get(pk=colleges[0].pk).weight != 60


def test_minutes_pdf_for_members_once_published(voting, people, client_for):
    assembly_close(actor=None, assembly=voting)
    url = _url("governance:minutes_pdf", voting)
    assert client_for(people["participant"]).get(url).status_code == 404
    assert client_for(people["admin"]).get(url)["Content-Type"] == "application/pdf"
    minutes_publish(actor=None, assembly=voting)
    response = client_for(people["participant"]).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")

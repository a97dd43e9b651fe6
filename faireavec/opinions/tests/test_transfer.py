"""Export in the CSV layout of Pol.is's public datasets and import of such files."""

import csv
import io
import zipfile

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from faireavec.core.models import BackgroundJob
from faireavec.opinions import analysis as maths
from faireavec.opinions import polis
from faireavec.opinions.models import Analysis, Conversation, OpinionParticipant, Statement, Vote
from faireavec.opinions.selectors import analysis_positions
from faireavec.opinions.services import analysis_run
from faireavec.opinions.tasks import conversation_export_task, conversation_import_task
from faireavec.opinions.tests.factories import ConversationFactory
from faireavec.opinions.transfer import (
    import_confirm,
    import_preview,
    import_upload,
    polis_files,
)

pytestmark = pytest.mark.django_db


def _planted_conversation(org, *, n_people=60, n_statements=12):
    """Three planted groups; one statement rejected, one awaiting moderation."""
    conversation = ConversationFactory(organisation=org, title="Notre quartier en 2030")
    statements = Statement.objects.bulk_create(
        [
            Statement(
                conversation=conversation,
                number=i + 1,
                text=f"=Énoncé {i + 1}, avec « guillemets » et virgule"
                if i == 0
                else f"Énoncé {i + 1}",
                origin=Statement.Origin.SEED,
                status=Statement.Status.ACCEPTED,
            )
            for i in range(n_statements)
        ]
    )
    people = OpinionParticipant.objects.bulk_create(
        [OpinionParticipant(conversation=conversation, number=i + 1) for i in range(n_people)]
    )
    p, s, v, _truth = maths.planted_votes(
        n_participants=n_people, n_statements=n_statements, density=0.7, seed=3
    )
    Vote.objects.bulk_create(
        [
            Vote(
                conversation=conversation,
                statement=statements[b - 1],
                voter=people[a - 1],
                value=c,
            )
            for a, b, c in zip(p.tolist(), s.tolist(), v.tolist(), strict=True)
        ]
    )
    Statement.objects.filter(pk=statements[-1].pk).update(status=Statement.Status.REJECTED)
    Statement.objects.create(
        conversation=conversation,
        number=n_statements + 1,
        text="Une phrase pas encore lue",
        origin=Statement.Origin.PARTICIPANT,
        status=Statement.Status.PENDING,
        author=people[4],
    )
    analysis_run(conversation_id=conversation.pk)
    return conversation


def _uploads(files: dict[str, bytes]) -> dict:
    return {
        name: SimpleUploadedFile(name, content, content_type="text/csv")
        for name, content in files.items()
        if name != polis.PARTICIPANTS_VOTES
    }


def _import(org, actor, files: dict[str, bytes]) -> Conversation:
    upload = import_upload(actor=actor, organisation=org, files=_uploads(files))
    assert upload.job is None and upload.preview["can_import"], upload.preview
    job = import_confirm(actor=actor, organisation=org, token=upload.token)
    conversation_import_task.call(
        job_id=job.pk, organisation_id=org.pk, actor_id=actor.pk, description=upload.preview
    )
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE, job.message
    return Conversation.objects.order_by("-pk").first()


def _votes_by_number(conversation):
    return set(
        Vote.objects.filter(conversation=conversation).values_list(
            "voter__number", "statement__number", "value"
        )
    )


def _analysis_by_number(conversation):
    """The stored analysis with every id replaced by its number (the ids differ
    between two conversations, the numbers do not)."""
    analysis = Analysis.objects.get(conversation=conversation)
    statement_number = dict(
        Statement.objects.filter(conversation=conversation).values_list("pk", "number")
    )
    voter_number = dict(
        OpinionParticipant.objects.filter(conversation=conversation).values_list("pk", "number")
    )

    def renumber(value, key=None):
        if isinstance(value, dict):
            return {k: renumber(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [renumber(v) for v in value]
        if key == "statement_id":
            return statement_number[value]
        return value

    summary = renumber(analysis.summary)
    for row in summary["statements"]:
        row["id"] = statement_number[row["id"]]
    positions = analysis_positions(analysis)
    return (
        summary,
        [voter_number[int(pk)] for pk in positions.participant_ids],
        positions.coords.tolist(),
        positions.labels.tolist(),
    )


def test_export_then_import_gives_the_same_votes_and_the_same_analysis(org, people):
    original = _planted_conversation(org)
    files = polis_files(conversation=original)
    copy = _import(org, people["facilitator"], files)
    assert copy.pk != original.pk and copy.status == Conversation.Status.DRAFT
    assert copy.title == "Notre quartier en 2030"
    assert _votes_by_number(copy) == _votes_by_number(original)
    statuses = lambda c: list(  # noqa: E731
        Statement.objects.filter(conversation=c).order_by("number").values_list("text", "status")
    )
    assert statuses(copy) == statuses(original)
    # The same map: positions, groups, representative statements, consensus.
    assert _analysis_by_number(copy) == _analysis_by_number(original)
    # And the files of the copy are the files of the original (but its address).
    again = polis_files(conversation=copy)
    for name in (polis.COMMENTS, polis.PARTICIPANTS_VOTES):
        assert _without_times(again[name]) == _without_times(files[name])


def _without_times(content: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(content.decode())))
    if rows and rows[0][:2] == ["timestamp", "datetime"]:
        return [row[2:] for row in rows]
    return rows


def test_agree_is_written_plus_one_and_ids_start_at_zero(org):
    conversation = ConversationFactory(organisation=org)
    statement = Statement.objects.create(
        conversation=conversation, number=1, text="Oui", origin=Statement.Origin.SEED
    )
    people = [
        OpinionParticipant.objects.create(conversation=conversation, number=n) for n in (1, 2, 3)
    ]
    for person, value in zip(people, (1, -1, 0), strict=True):
        Vote.objects.create(
            conversation=conversation, statement=statement, voter=person, value=value
        )
    files = polis_files(conversation=conversation)
    votes = list(csv.DictReader(io.StringIO(files[polis.VOTES].decode())))
    assert {(r["voter-id"], r["comment-id"], r["vote"]) for r in votes} == {
        ("0", "0", "1"),
        ("1", "0", "-1"),
        ("2", "0", "0"),
    }
    comments = list(csv.DictReader(io.StringIO(files[polis.COMMENTS].decode())))
    assert comments[0]["agrees"] == "1" and comments[0]["disagrees"] == "1"
    assert comments[0]["moderated"] == "1"
    matrix = list(csv.reader(io.StringIO(files[polis.PARTICIPANTS_VOTES].decode())))
    assert matrix[0] == [*polis.PARTICIPANT_HEADERS, "0"]
    assert [row[-1] for row in matrix[1:]] == ["1", "-1", "0"]
    summary = dict(csv.reader(io.StringIO(files[polis.SUMMARY].decode())))
    assert summary["voters"] == "3" and summary["comments"] == "1"


COMMENTS_CSV = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1400000000,x,0,0,1,0,1,Plus de pistes cyclables\n"
    "1400000001,x,1,1,0,1,-1,Un texte rejeté\n"
    "1400000002,x,2,1,0,0,1,\n"
    "1400000003,x,3,2,0,0,0,Jamais vu\n"
)
VOTES_CSV = (
    "timestamp,datetime,comment-id,voter-id,vote\n"
    "1400000010,x,0,5,-1\n"
    "1400000020,x,0,5,1\n"  # changed their mind later: this one counts
    "1400000030,x,0,6,2\n"  # not a vote
    "1400000040,x,9,6,1\n"  # unknown comment
    "1400000050,x,1,6,-1\n"
    "oops,x,0\n"
)


def test_the_preview_lists_the_rows_left_out_and_writes_nothing(org, people):
    upload = import_upload(
        actor=people["facilitator"],
        organisation=org,
        files=_uploads({"comments.csv": COMMENTS_CSV.encode(), "votes.csv": VOTES_CSV.encode()}),
    )
    preview = upload.preview
    problems = {(f, line) for f, line, _message in preview["problems"]}
    assert problems == {("comments.csv", 4), ("votes.csv", 4), ("votes.csv", 5), ("votes.csv", 7)}
    assert preview["n_statements"] == 3 and preview["n_votes"] == 2
    assert (preview["n_published"], preview["n_pending"], preview["n_rejected"]) == (1, 1, 1)
    assert preview["can_import"]
    assert not Conversation.objects.exists() and not Vote.objects.exists()
    # Only the person who uploaded sees the preview.
    assert import_preview(actor=people["admin"], organisation=org, token=upload.token) is None


def test_the_latest_vote_of_a_person_on_a_statement_wins(org, people):
    copy = _import(
        org,
        people["facilitator"],
        {"comments.csv": COMMENTS_CSV.encode(), "votes.csv": VOTES_CSV.encode()},
    )
    assert _votes_by_number(copy) == {(6, 1, 1), (7, 2, -1)}
    assert OpinionParticipant.objects.filter(conversation=copy, imported=True).count() == 5


def test_files_without_the_needed_columns_cannot_be_imported(org, people):
    upload = import_upload(
        actor=people["facilitator"],
        organisation=org,
        files=_uploads({"comments.csv": b"id,text\n0,Bonjour\n", "votes.csv": VOTES_CSV.encode()}),
    )
    assert not upload.preview["can_import"]
    assert "comment-id" in " ".join(upload.preview["fatal"])


def test_the_export_page_gives_a_zip_of_the_four_files(org, people, client_for):
    conversation = _planted_conversation(org, n_people=20, n_statements=5)
    url = reverse(
        "opinions:conversation_export",
        kwargs={"org_slug": org.slug, "conversation_pk": conversation.pk},
    )
    response = client_for(people["member"]).post(url, {"file": "zip"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == sorted(polis.FILES)
    single = client_for(people["member"]).post(url, {"file": "votes.csv"})
    assert single.content.decode().startswith("timestamp,datetime,comment-id,voter-id,vote\n")
    assert client_for(people["participant"]).post(url, {"file": "zip"}).status_code == 403


def test_a_large_export_is_made_by_a_job(org, people, client_for, settings):
    settings.EXPORT_IN_REQUEST_MAX_ROWS = 10
    conversation = _planted_conversation(org, n_people=20, n_statements=5)
    url = reverse(
        "opinions:conversation_export",
        kwargs={"org_slug": org.slug, "conversation_pk": conversation.pk},
    )
    response = client_for(people["member"]).post(url, {"file": "zip"})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    conversation_export_task.call(job_id=job.pk, conversation_id=conversation.pk, which="zip")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.result_file.name.endswith(".zip")


def test_the_import_page_previews_then_confirms(org, people, client_for):
    url = reverse("opinions:conversation_import", kwargs={"org_slug": org.slug})
    client = client_for(people["facilitator"])
    assert client.get(url).status_code == 200
    page = client.post(
        url,
        {
            "comments": SimpleUploadedFile("comments.csv", COMMENTS_CSV.encode()),
            "votes": SimpleUploadedFile("votes.csv", VOTES_CSV.encode()),
        },
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Vérifier l" in html and "votes.csv" in html
    token = html.split('name="token" value="')[1].split('"')[0]
    response = client.post(url, {"token": token, "confirm": "1"})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    # The preview is used once.
    again = client.post(url, {"token": token, "confirm": "1"})
    assert again.status_code == 302 and BackgroundJob.objects.count() == 1
    assert client_for(people["member"]).get(url).status_code == 403


def test_large_files_are_checked_by_a_job_that_leads_to_the_preview(
    org, people, client_for, monkeypatch
):
    from faireavec.opinions import transfer
    from faireavec.opinions.tasks import conversation_import_check_task

    monkeypatch.setattr(transfer, "IMPORT_CHECK_IN_REQUEST_BYTES", 10)
    upload = import_upload(
        actor=people["facilitator"],
        organisation=org,
        files=_uploads({"comments.csv": COMMENTS_CSV.encode(), "votes.csv": VOTES_CSV.encode()}),
    )
    assert upload.preview is None and upload.job is not None
    conversation_import_check_task.call(
        job_id=upload.job.pk, organisation_id=org.pk, token=upload.token
    )
    upload.job.refresh_from_db()
    assert upload.job.status == BackgroundJob.Status.DONE
    assert upload.job.result_url.endswith(f"?apercu={upload.token}")
    page = client_for(people["facilitator"]).get(upload.job.result_url)
    assert page.status_code == 200 and "Plus de pistes cyclables" in page.content.decode()


def test_reading_votes_keeps_the_last_line_among_equal_times():
    problems, fatal = polis.Problems(), []
    p, c, v, _t = polis.read_votes(
        b"comment-id,voter-id,vote\n0,1,1\n0,1,-1\n1,1,0\n",
        comment_ids={0, 1},
        problems=problems,
        fatal=fatal,
    )
    assert (p.tolist(), c.tolist(), v.tolist()) == ([1, 1], [0, 1], [-1, 0])
    assert not fatal and problems.count == 0
    assert np.issubdtype(v.dtype, np.integer)

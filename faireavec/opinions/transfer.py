"""Export and import of opinion maps in the CSV layout of Pol.is's public
datasets (the layout itself: `polis.py`).

Export (`polis_files`): the conversation's statements, votes, every
participant's votes with their group in the stored analysis, and the summary.
A small conversation's files are the answer to the request; a large one's
(more votes than `export_in_request_max_rows()`, core's threshold for tables)
are made by a background job and kept as its file (`conversation_export`).

Import, in two steps as the stakeholders' import does, without JavaScript:

1. `import_upload` keeps the uploaded files in the private storage under a
   random token and checks them — in the request when they are small
   (`IMPORT_CHECK_IN_REQUEST_BYTES`), else in a background job with progress
   whose result is the preview page. The check writes nothing but a
   description next to the files: counts, a sample of the statements and the
   problems of the rows it will skip (file, line, message).
2. The person confirms (`import_confirm`): a background job creates a new
   conversation (a draft: only the team sees it) with its statements,
   participants (marked imported, without account or code) and votes, in
   chunks with progress, then computes its analysis. On an error the
   half-made conversation is deleted.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import PurePath

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from faireavec.core.audit import audit_log
from faireavec.core.exports import export_in_request_max_rows
from faireavec.core.jobs import job_progress, job_save_file, job_start
from faireavec.core.storage import IMPORTS_FOLDER, private_storage
from faireavec.opinions import polis
from faireavec.opinions.models import (
    STATEMENT_MAX_LENGTH,
    Conversation,
    OpinionParticipant,
    Statement,
    Vote,
)
from faireavec.opinions.selectors import analysis_get, analysis_positions

IMPORT_CHECK_IN_REQUEST_BYTES = 1_000_000
IMPORT_MAX_BYTES = 200 * 1024 * 1024  # Pol.is's largest public conversation is about 60 MB
IMPORT_CHUNK = 20_000  # votes written per transaction
EXPORT_CHUNK = 20_000  # votes read at a time
IMPORT_TOKEN = re.compile(r"[A-Za-z0-9_-]{22}")
EXPORT_CHOICES = ("zip", *polis.FILES)
MODERATED = {
    Statement.Status.ACCEPTED: polis.MODERATED_IN,
    Statement.Status.PENDING: polis.MODERATED_NONE,
    Statement.Status.REJECTED: polis.MODERATED_OUT,
}


# Export ----------------------------------------------------------------------


def _epoch(moment) -> int:
    return int(moment.timestamp()) if moment else 0


def _vote_rows(conversation: Conversation) -> tuple[np.ndarray, np.ndarray]:
    """(voter number, statement number, value) per vote and its time, read in
    chunks into numpy arrays: never a Python object per vote kept in memory."""
    votes = (
        Vote.objects.filter(conversation=conversation)
        .values_list("voter__number", "statement__number", "value", "updated_at")
        .iterator(chunk_size=EXPORT_CHUNK)
    )
    rows_parts, stamp_parts = [], []
    while chunk := list(islice(votes, EXPORT_CHUNK)):
        rows_parts.append(np.array([r[:3] for r in chunk], dtype=np.int64))
        stamp_parts.append(np.array([_epoch(r[3]) for r in chunk], dtype=np.int64))
    if not rows_parts:
        return np.zeros((0, 3), dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows_parts), np.concatenate(stamp_parts)


def polis_files(*, conversation: Conversation) -> dict[str, bytes]:
    """The four files of the conversation, by name (see `polis.py`)."""
    statements = list(
        Statement.objects.filter(conversation=conversation)
        .select_related("author")
        .annotate(
            agrees=Count("votes", filter=Q(votes__value=Vote.Value.AGREE)),
            disagrees=Count("votes", filter=Q(votes__value=Vote.Value.DISAGREE)),
        )
        .order_by("number")
    )
    comments = [
        polis.CommentOut(
            comment_id=s.number - 1,
            author_id=s.author.number - 1 if s.author else None,
            timestamp=_epoch(s.created_at),
            agrees=s.agrees,
            disagrees=s.disagrees,
            moderated=MODERATED[s.status],
            body=s.text,
        )
        for s in statements
    ]
    rows, stamps = _vote_rows(conversation)
    order = np.lexsort((rows[:, 1], rows[:, 0]))
    rows, stamps = rows[order], stamps[order]
    voter_n, statement_n, values = rows[:, 0], rows[:, 1], rows[:, 2]
    by_time = np.lexsort((statement_n, voter_n, stamps))
    votes = polis.votes_csv(
        stamps[by_time], statement_n[by_time] - 1, voter_n[by_time] - 1, values[by_time]
    )

    participants = list(
        OpinionParticipant.objects.filter(conversation=conversation)
        .annotate(n_statements=Count("statements"))
        .order_by("number")
        .values_list("pk", "number", "n_statements")
    )
    pks = np.array([p[0] for p in participants], dtype=np.int64)
    numbers = np.array([p[1] for p in participants], dtype=np.int64)
    groups = np.full(len(participants), -1, dtype=np.int64)
    analysis = analysis_get(conversation=conversation)
    n_groups = 0
    if analysis is not None:
        positions = analysis_positions(analysis)
        where = {int(pk): i for i, pk in enumerate(pks.tolist())}
        for pk, label in zip(
            positions.participant_ids.tolist(), positions.labels.tolist(), strict=True
        ):
            if pk in where:
                groups[where[pk]] = label
        n_groups = analysis.n_groups
    statement_numbers = np.array([s.number for s in statements], dtype=np.int64)
    participants_votes = polis.participants_votes_csv(
        voter_ids=numbers - 1,
        comment_ids=statement_numbers - 1,
        vote_rows=np.searchsorted(numbers, voter_n),
        vote_cols=np.searchsorted(statement_numbers, statement_n),
        vote_values=values,
        groups=groups,
        n_comments=np.array([p[2] for p in participants], dtype=np.int64),
    )
    voters = len(np.unique(voter_n))
    summary = polis.summary_csv(
        topic=conversation.title,
        url=settings.SITE_URL.rstrip("/") + conversation.get_absolute_url(),
        voters=voters,
        voters_in_conv=int(analysis.summary.get("n_clustered", 0)) if analysis else 0,
        commenters=len({s.author_id for s in statements if s.author_id}),
        comments=len(statements),
        groups=n_groups,
        description=conversation.question.replace("\n", "\\n"),
    )
    return {
        polis.COMMENTS: polis.comments_csv(comments),
        polis.VOTES: votes,
        polis.PARTICIPANTS_VOTES: participants_votes,
        polis.SUMMARY: summary,
    }


def export_filename(conversation: Conversation, which: str) -> str:
    base = f"{slugify(conversation.title)[:50] or 'carte'}-{timezone.localdate().isoformat()}"
    return f"{base}.zip" if which == "zip" else f"{base}-{which}"


def export_content(*, conversation: Conversation, which: str) -> bytes:
    files = polis_files(conversation=conversation)
    return polis.zip_files(files) if which == "zip" else files[which]


def export_is_large(conversation: Conversation) -> bool:
    return Vote.objects.filter(conversation=conversation).count() > export_in_request_max_rows()


def export_audit(*, conversation: Conversation, actor, which: str) -> None:
    audit_log(
        actor=actor,
        organisation=conversation.organisation,
        action="opinions.conversation_export",
        target=conversation,
        details={"file": which},
    )


def conversation_export_start(*, conversation: Conversation, actor, which: str):
    """A large export: a background job makes the file and keeps it on the job."""
    from faireavec.opinions.tasks import conversation_export_task

    return job_start(
        organisation=conversation.organisation,
        requested_by=actor,
        label=_("Export of the opinion map « %(title)s » (Pol.is layout)")
        % {"title": conversation.title},
        total=1,
        task=conversation_export_task,
        conversation_id=conversation.pk,
        which=which,
    )


def conversation_export_run(*, job_id: int, conversation: Conversation, which: str) -> None:
    job_progress(job_id=job_id, done=0, total=1, message=_("Reading the votes…"))
    content = export_content(conversation=conversation, which=which)
    job_save_file(job_id=job_id, filename=export_filename(conversation, which), content=content)


# Import ----------------------------------------------------------------------


class ImportNotFound(Exception):
    """No import waits under this token for this person (used, cancelled, or never made)."""


@dataclass(frozen=True)
class ImportUpload:
    token: str
    preview: dict | None  # checked in the request
    job: object | None  # or being checked by this job


def _folder(organisation, token: str) -> str | None:
    if not IMPORT_TOKEN.fullmatch(token or ""):
        return None
    return f"{IMPORTS_FOLDER}/{organisation.pk}/opinions-{token}"


def _description_path(folder: str) -> str:
    return f"{folder}/description.json"


def _write_description(folder: str, description: dict) -> None:
    storage = private_storage()
    path = _description_path(folder)
    if storage.exists(path):
        storage.delete(path)
    storage.save(path, ContentFile(json.dumps(description).encode()))


def _read(path: str) -> bytes:
    with private_storage().open(path, "rb") as handle:
        return handle.read()


def import_upload(*, actor, organisation, files: dict[str, object]) -> ImportUpload:
    """Keep the uploaded files (`comments.csv`, `votes.csv`, optionally
    `summary.csv`) and check them, now or in a job (module docstring)."""
    from faireavec.opinions.tasks import conversation_import_check_task

    token = secrets.token_urlsafe(16)
    folder = _folder(organisation, token)
    storage = private_storage()
    paths = {}
    size = 0
    for name, upload in files.items():
        if upload is None:
            continue
        upload.seek(0)
        paths[name] = storage.save(f"{folder}/{name}", upload)
        size += upload.size or 0
    description = {
        "actor": actor.pk,
        "paths": paths,
        "names": {
            n: PurePath(getattr(u, "name", "") or n).name[:200] for n, u in files.items() if u
        },
        "checked": False,
    }
    _write_description(folder, description)
    if size <= IMPORT_CHECK_IN_REQUEST_BYTES:
        return ImportUpload(
            token=token, preview=import_check(organisation=organisation, token=token), job=None
        )
    job = job_start(
        organisation=organisation,
        requested_by=actor,
        label=_("Checking the files of a Pol.is conversation"),
        total=1,
        task=conversation_import_check_task,
        organisation_id=organisation.pk,
        token=token,
    )
    return ImportUpload(token=token, preview=None, job=job)


def _dataset(description: dict, progress=None) -> polis.Dataset:
    paths = description["paths"]
    return polis.read_dataset(
        comments=_read(paths[polis.COMMENTS]),
        votes=_read(paths[polis.VOTES]),
        summary=_read(paths[polis.SUMMARY]) if polis.SUMMARY in paths else None,
        max_length=STATEMENT_MAX_LENGTH,
        progress=progress,
    )


def _statement_status(comment: polis.CommentIn, voted: set[int]) -> str:
    """1 published, -1 rejected; 0 (not moderated yet): published when people
    voted on it (Pol.is showed it), else awaiting moderation."""
    if comment.moderated == polis.MODERATED_OUT:
        return Statement.Status.REJECTED
    if comment.moderated == polis.MODERATED_IN or comment.comment_id in voted:
        return Statement.Status.ACCEPTED
    return Statement.Status.PENDING


def import_check(*, organisation, token: str, progress=None) -> dict:
    """Read and check the kept files; store and return the preview (writes no conversation)."""
    folder = _folder(organisation, token)
    description = json.loads(_read(_description_path(folder)))
    dataset = _dataset(description, progress=progress)
    voted = set(np.unique(dataset.comment_ids).tolist())
    statuses = [_statement_status(c, voted) for c in dataset.comments]
    title = dataset.topic or PurePath(description["names"].get(polis.COMMENTS, "")).stem
    description.update(
        {
            "checked": True,
            "title": (title or _("Imported Pol.is conversation"))[:200],
            "n_statements": len(dataset.comments),
            "n_published": statuses.count(Statement.Status.ACCEPTED),
            "n_pending": statuses.count(Statement.Status.PENDING),
            "n_rejected": statuses.count(Statement.Status.REJECTED),
            "n_participants": len(dataset.participant_ids),
            "n_votes": len(dataset.values),
            "n_agree": int((dataset.values == 1).sum()),
            "n_disagree": int((dataset.values == -1).sum()),
            "sample": [[c.comment_id, c.body] for c in dataset.comments[:10]],
            "problems": [[p.file, p.line, p.message] for p in dataset.problems.kept],
            "problem_count": dataset.problems.count,
            "fatal": dataset.fatal,
            "can_import": dataset.can_import,
        }
    )
    _write_description(folder, description)
    return description


def import_preview(*, actor, organisation, token: str) -> dict | None:
    """The preview waiting under `token` for this person, or None."""
    folder = _folder(organisation, token)
    if folder is None or not private_storage().exists(_description_path(folder)):
        return None
    description = json.loads(_read(_description_path(folder)))
    if description.get("actor") != actor.pk:
        return None
    return description


def _claim(*, actor, organisation, token: str) -> dict:
    description = import_preview(actor=actor, organisation=organisation, token=token)
    if description is None:
        raise ImportNotFound
    private_storage().delete(_description_path(_folder(organisation, token)))
    return description


def _delete_files(description: dict) -> None:
    storage = private_storage()
    for path in description.get("paths", {}).values():
        if path.startswith(f"{IMPORTS_FOLDER}/"):
            storage.delete(path)


def import_cancel(*, actor, organisation, token: str) -> None:
    try:
        description = _claim(actor=actor, organisation=organisation, token=token)
    except ImportNotFound:
        return
    _delete_files(description)


def import_confirm(*, actor, organisation, token: str):
    """Start the job that writes a checked import; returns the job (ImportNotFound
    when nothing checked waits under `token`)."""
    from faireavec.opinions.tasks import conversation_import_task

    description = import_preview(actor=actor, organisation=organisation, token=token)
    if description is None or not description.get("checked") or not description["can_import"]:
        raise ImportNotFound
    description = _claim(actor=actor, organisation=organisation, token=token)
    with translation.override(getattr(actor, "language", "") or translation.get_language()):
        label = _("Import of the Pol.is conversation « %(title)s »") % {
            "title": description["title"]
        }
    return job_start(
        organisation=organisation,
        requested_by=actor,
        label=label,
        total=description["n_votes"] + 1,
        task=conversation_import_task,
        organisation_id=organisation.pk,
        actor_id=actor.pk,
        description=description,
    )


def conversation_import(
    *,
    actor,
    organisation,
    description: dict,
    progress: Callable[[int, int], None] | None = None,
) -> Conversation:
    """Write the checked files as a new draft conversation, then analyse it.

    Runs outside a transaction (so progress shows); the conversation is deleted
    again if anything fails on the way.
    """
    from faireavec.opinions.services import analysis_run, conversation_create

    dataset = _dataset(description)
    total = len(dataset.values)
    conversation = conversation_create(
        organisation=organisation,
        actor=actor,
        title=description["title"],
        question=(
            dataset.description
            or _("A conversation imported from Pol.is files (%(file)s).")
            % {"file": description["names"].get(polis.COMMENTS, polis.COMMENTS)}
        )[:2000],
        status=Conversation.Status.DRAFT,
        allow_statements=False,
        allow_anonymous=False,
    )
    try:
        with transaction.atomic():
            participant_ids = dataset.participant_ids
            participants = OpinionParticipant.objects.bulk_create(
                [
                    OpinionParticipant(conversation=conversation, number=int(i) + 1, imported=True)
                    for i in participant_ids.tolist()
                ],
                batch_size=5000,
            )
            participant_pk = np.array([p.pk for p in participants], dtype=np.int64)
            voted = set(np.unique(dataset.comment_ids).tolist())
            by_id = dict(zip(participant_ids.tolist(), participants, strict=True))
            comments = sorted(dataset.comments, key=lambda c: c.comment_id)
            statements = Statement.objects.bulk_create(
                [
                    Statement(
                        conversation=conversation,
                        number=c.comment_id + 1,
                        text=c.body,
                        origin=Statement.Origin.IMPORT,
                        status=_statement_status(c, voted),
                        author=by_id.get(c.author_id) if c.author_id is not None else None,
                    )
                    for c in comments
                ]
            )
            comment_ids = np.array([c.comment_id for c in comments], dtype=np.int64)
            statement_pk = np.array([s.pk for s in statements], dtype=np.int64)
        voter_pk = participant_pk[np.searchsorted(participant_ids, dataset.voter_ids)]
        statement_of_vote = statement_pk[np.searchsorted(comment_ids, dataset.comment_ids)]
        values = dataset.values.astype(np.int64)
        for start in range(0, total, IMPORT_CHUNK):
            end = min(start + IMPORT_CHUNK, total)
            with transaction.atomic():
                Vote.objects.bulk_create(
                    [
                        Vote(
                            conversation_id=conversation.pk,
                            statement_id=s,
                            voter_id=p,
                            value=v,
                        )
                        for p, s, v in zip(
                            voter_pk[start:end].tolist(),
                            statement_of_vote[start:end].tolist(),
                            values[start:end].tolist(),
                            strict=True,
                        )
                    ],
                    batch_size=5000,
                )
            if progress is not None:
                progress(end, total)
        analysis_run(conversation_id=conversation.pk)
        audit_log(
            actor=actor,
            organisation=organisation,
            action="opinions.conversation_import",
            target=conversation,
            details={
                "statements": len(statements),
                "participants": len(participants),
                "votes": total,
            },
        )
    except Exception:
        Conversation.objects.filter(pk=conversation.pk).delete()
        raise
    finally:
        _delete_files(description)
    return conversation

"""The CSV layout of Pol.is's public datasets, written and read (no Django models).

Pol.is publishes its open conversations (github.com/compdemocracy/openData) as
four comma-separated files, which red-dwarf and others read too:

- `comments.csv`: timestamp, datetime, comment-id, author-id, agrees,
  disagrees, moderated (1 published, 0 not moderated yet, -1 rejected),
  comment-body;
- `votes.csv`: timestamp, datetime, comment-id, voter-id, vote;
- `participants-votes.csv`: participant, group-id, n-comments, n-votes,
  n-agree, n-disagree, then one column per comment-id (the vote, or empty when
  the person did not see the statement);
- `summary.csv`: lines of key, value (topic, url, voters, voters-in-conv,
  commenters, comments, groups, conversation-description).

**One sign convention: agree = +1, disagree = -1, pass = 0**, as in FaireAvec's
database and analysis and in Pol.is's exports (Pol.is's own database stores
agree as -1; its exports, and so these files, write +1). Nothing is flipped on
the way in or out.

Ids: Pol.is numbers comments and participants from 0. A statement's
comment-id is its number in the conversation minus one, a participant's
voter-id likewise; an import gives number = id + 1, so a dataset exported
again keeps its ids. Timestamps are in seconds since 1970 (UTC); files that
give milliseconds are read too. When votes.csv holds several votes of one
person on one statement (Pol.is logs every change), the latest wins (the
last line for equal timestamps).

Text that a spreadsheet would run as a formula (starting with = + - @) is
written with a leading apostrophe, as everywhere in FaireAvec (core/exports.py)
and read back without it, so a file goes out and back in unchanged.

Readers never raise on a bad row: they collect `Problem`s (file, line,
message) for the import preview and skip the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

COMMENTS = "comments.csv"
VOTES = "votes.csv"
PARTICIPANTS_VOTES = "participants-votes.csv"
SUMMARY = "summary.csv"
FILES = (COMMENTS, VOTES, PARTICIPANTS_VOTES, SUMMARY)

COMMENT_HEADERS = [
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
]
VOTE_HEADERS = ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
PARTICIPANT_HEADERS = ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
MODERATED_IN, MODERATED_NONE, MODERATED_OUT = 1, 0, -1
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_PROBLEMS_KEPT = 200  # a preview lists this many; the others are counted


def _neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _restore(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def polis_datetime(timestamp: int) -> str:
    """The `datetime` column as Pol.is writes it (JavaScript's Date.toString, in UTC)."""
    moment = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    return moment.strftime("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)")


# Writing ---------------------------------------------------------------------


@dataclass(frozen=True)
class CommentOut:
    comment_id: int
    author_id: int | None
    timestamp: int
    agrees: int
    disagrees: int
    moderated: int
    body: str


def _csv_bytes(rows: Iterable[Iterable]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def comments_csv(comments: Iterable[CommentOut]) -> bytes:
    rows: list[list] = [COMMENT_HEADERS]
    for c in comments:
        rows.append(
            [
                c.timestamp,
                polis_datetime(c.timestamp),
                c.comment_id,
                "" if c.author_id is None else c.author_id,
                c.agrees,
                c.disagrees,
                c.moderated,
                _neutralise(c.body),
            ]
        )
    return _csv_bytes(rows)


def votes_csv(
    timestamps: np.ndarray, comment_ids: np.ndarray, voter_ids: np.ndarray, values: np.ndarray
) -> bytes:
    """One line per vote, in the given order."""
    out = io.StringIO()
    out.write(",".join(VOTE_HEADERS) + "\n")
    cache: dict[int, str] = {}
    for t, c, p, v in zip(
        timestamps.tolist(), comment_ids.tolist(), voter_ids.tolist(), values.tolist(), strict=True
    ):
        date = cache.get(t)
        if date is None:
            date = cache[t] = polis_datetime(t)
        out.write(f"{t},{date},{c},{p},{v}\n")
    return out.getvalue().encode("utf-8")


def participants_votes_csv(
    *,
    voter_ids: np.ndarray,
    comment_ids: np.ndarray,
    vote_rows: np.ndarray,
    vote_cols: np.ndarray,
    vote_values: np.ndarray,
    groups: np.ndarray,
    n_comments: np.ndarray,
) -> bytes:
    """One line per participant (`voter_ids`, sorted), one column per comment.

    `vote_rows`/`vote_cols` index `voter_ids`/`comment_ids`; `groups` is each
    participant's group (-1: none, written empty); `n_comments` how many
    statements each wrote. The cells are built as one small matrix of codes
    (int8), never a table of Python objects.
    """
    n, d = len(voter_ids), len(comment_ids)
    codes = np.zeros((n, d), dtype=np.int8)  # 0: not seen, 1: agree, 2: disagree, 3: pass
    codes[vote_rows, vote_cols] = np.select(
        [vote_values == 1, vote_values == -1], [1, 2], default=3
    ).astype(np.int8)
    tokens = np.array(["", "1", "-1", "0"], dtype=object)
    n_votes = (codes > 0).sum(axis=1)
    n_agree = (codes == 1).sum(axis=1)
    n_disagree = (codes == 2).sum(axis=1)
    out = io.StringIO()
    out.write(",".join(PARTICIPANT_HEADERS + [str(c) for c in comment_ids.tolist()]) + "\n")
    for i in range(n):
        group = "" if groups[i] < 0 else str(int(groups[i]))
        head = f"{voter_ids[i]},{group},{n_comments[i]},{n_votes[i]},{n_agree[i]},{n_disagree[i]}"
        out.write(head + ("," + ",".join(tokens[codes[i]]) if d else "") + "\n")
    return out.getvalue().encode("utf-8")


def summary_csv(
    *,
    topic: str,
    url: str,
    voters: int,
    voters_in_conv: int,
    commenters: int,
    comments: int,
    groups: int,
    description: str,
) -> bytes:
    return _csv_bytes(
        [
            ["topic", _neutralise(topic)],
            ["url", url],
            ["voters", voters],
            ["voters-in-conv", voters_in_conv],
            ["commenters", commenters],
            ["comments", comments],
            ["groups", groups],
            ["conversation-description", _neutralise(description)],
        ]
    )


def zip_files(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# Reading ---------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # the header is line 1
    message: str


@dataclass
class Problems:
    kept: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, file: str, line: int, message: str) -> None:
        self.count += 1
        if len(self.kept) < MAX_PROBLEMS_KEPT:
            self.kept.append(Problem(file, line, message))


@dataclass(frozen=True)
class CommentIn:
    line: int
    comment_id: int
    author_id: int | None
    timestamp: int | None
    moderated: int
    body: str


@dataclass
class Dataset:
    """What an import reads: statements, votes (deduplicated), the summary's
    topic and description, and the problems of the rows it skipped."""

    comments: list[CommentIn]
    voter_ids: np.ndarray  # int64, one per vote
    comment_ids: np.ndarray
    values: np.ndarray  # int8: +1, -1, 0
    timestamps: np.ndarray  # int64 seconds (0 when the file gives none)
    topic: str = ""
    description: str = ""
    problems: Problems = field(default_factory=Problems)
    fatal: list[str] = field(default_factory=list)  # problems of a whole file

    @property
    def participant_ids(self) -> np.ndarray:
        authors = np.array(
            [c.author_id for c in self.comments if c.author_id is not None], dtype=np.int64
        )
        return np.unique(np.concatenate([self.voter_ids, authors]))

    @property
    def can_import(self) -> bool:
        return not self.fatal and bool(self.comments)


def _decode(raw: bytes, name: str, fatal: list[str]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        fatal.append(
            _("%(file)s is not in UTF-8: save it again as « CSV UTF-8 ».") % {"file": name}
        )
        return None


def _int(text: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def _seconds(value: int | None) -> int | None:
    if value is None:
        return None
    return value // 1000 if value > 100_000_000_000 else value  # milliseconds


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    # The line where the record starts, as a spreadsheet numbers it (a quoted
    # body may span several lines).
    reader = csv.reader(io.StringIO(text))
    start = 1
    for row in reader:
        yield start, row
        start = reader.line_num + 1


def _header_index(
    header: list[str], needed: list[str], name: str, fatal: list[str]
) -> dict[str, int] | None:
    index = {h.strip().lower(): i for i, h in enumerate(header)}
    missing = [h for h in needed if h not in index]
    if missing:
        fatal.append(
            _("%(file)s lacks the columns: %(columns)s.")
            % {"file": name, "columns": ", ".join(missing)}
        )
        return None
    return index


def read_comments(
    raw: bytes, *, max_length: int, problems: Problems, fatal: list[str]
) -> list[CommentIn]:
    text = _decode(raw, COMMENTS, fatal)
    if text is None:
        return []
    rows = _rows(text)
    first = next(rows, None)
    if first is None:
        fatal.append(_("%(file)s is empty.") % {"file": COMMENTS})
        return []
    index = _header_index(first[1], ["comment-id", "comment-body"], COMMENTS, fatal)
    if index is None:
        return []

    def cell(row: list[str], key: str) -> str:
        i = index.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    comments: list[CommentIn] = []
    seen: set[int] = set()
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        comment_id = _int(cell(row, "comment-id"))
        body = " ".join(_restore(cell(row, "comment-body")).split())
        if comment_id is None or comment_id < 0:
            problems.add(COMMENTS, line, _("The comment-id is not a whole number from 0."))
            continue
        if comment_id in seen:
            problems.add(
                COMMENTS,
                line,
                _("Comment %(id)s appears twice: the first is kept.") % {"id": comment_id},
            )
            continue
        if not body:
            problems.add(COMMENTS, line, _("The comment-body is empty."))
            continue
        if len(body) > max_length:
            problems.add(
                COMMENTS,
                line,
                _(
                    "Comment %(id)s is longer than %(max)s characters: it and its votes are "
                    "left out."
                )
                % {"id": comment_id, "max": max_length},
            )
            continue
        moderated = _int(cell(row, "moderated"))
        if moderated not in (MODERATED_IN, MODERATED_NONE, MODERATED_OUT):
            if cell(row, "moderated"):
                problems.add(
                    COMMENTS,
                    line,
                    _("moderated is 1, 0 or -1: comment %(id)s is taken as not moderated.")
                    % {"id": comment_id},
                )
            moderated = MODERATED_NONE
        author = _int(cell(row, "author-id"))
        seen.add(comment_id)
        comments.append(
            CommentIn(
                line=line,
                comment_id=comment_id,
                author_id=author if author is not None and author >= 0 else None,
                timestamp=_seconds(_int(cell(row, "timestamp"))),
                moderated=moderated,
                body=body,
            )
        )
    if not comments and not fatal:
        fatal.append(_("%(file)s has no statement that can be imported.") % {"file": COMMENTS})
    return comments


def read_votes(
    raw: bytes, *, comment_ids: set[int], problems: Problems, fatal: list[str], progress=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(voter ids, comment ids, values, timestamps), one per (voter, comment): the
    latest vote wins. `progress(lines_read)` is called every 100,000 lines."""
    empty = (
        np.zeros(0, np.int64),
        np.zeros(0, np.int64),
        np.zeros(0, np.int8),
        np.zeros(0, np.int64),
    )
    text = _decode(raw, VOTES, fatal)
    if text is None:
        return empty
    rows = _rows(text)
    first = next(rows, None)
    if first is None:
        fatal.append(_("%(file)s is empty.") % {"file": VOTES})
        return empty
    index = _header_index(first[1], ["comment-id", "voter-id", "vote"], VOTES, fatal)
    if index is None:
        return empty
    ic, iv, ivote = index["comment-id"], index["voter-id"], index["vote"]
    it = index.get("timestamp")
    width = max(ic, iv, ivote, -1 if it is None else it) + 1
    # Typed arrays, not lists: 8 bytes a vote instead of a Python object each.
    voters, comments, values, stamps = array("q"), array("q"), array("q"), array("q")
    for line, row in rows:
        if progress is not None and line % 100_000 == 0:
            progress(line)
        if len(row) < width:
            if any(c.strip() for c in row):
                problems.add(VOTES, line, _("The line has too few columns."))
            continue
        try:
            comment, voter, value = int(row[ic]), int(row[iv]), int(row[ivote])
        except ValueError:
            comment, voter, value = _int(row[ic]), _int(row[iv]), _int(row[ivote])
            if comment is None or voter is None or value is None:
                problems.add(VOTES, line, _("comment-id, voter-id and vote must be whole numbers."))
                continue
        if value not in (1, -1, 0):
            problems.add(
                VOTES,
                line,
                _("The vote is 1 (agree), -1 (disagree) or 0 (pass): %(value)s.")
                % {"value": value},
            )
            continue
        if voter < 0:
            problems.add(VOTES, line, _("The voter-id is not a whole number from 0."))
            continue
        if comment not in comment_ids:
            problems.add(
                VOTES,
                line,
                _("Comment %(id)s is not among the statements imported.") % {"id": comment},
            )
            continue
        stamp = _seconds(_int(row[it])) if it is not None else None
        voters.append(voter)
        comments.append(comment)
        values.append(value)
        stamps.append(stamp or 0)
    p = np.frombuffer(voters, dtype=np.int64).copy()
    c = np.frombuffer(comments, dtype=np.int64).copy()
    v = np.frombuffer(values, dtype=np.int64).astype(np.int8)
    t = np.frombuffer(stamps, dtype=np.int64).copy()
    if len(p) > 1:
        # Latest first within a pair, then keep the first of each pair (a stable
        # sort on the reversed lines: the last line wins among equal timestamps).
        rev = np.arange(len(p))[::-1]
        order = rev[np.lexsort((-t[rev], c[rev], p[rev]))]
        p, c, v, t = p[order], c[order], v[order], t[order]
        keep = np.ones(len(p), dtype=bool)
        keep[1:] = (p[1:] != p[:-1]) | (c[1:] != c[:-1])
        p, c, v, t = p[keep], c[keep], v[keep], t[keep]
    return p, c, v, t


def read_summary(raw: bytes, fatal: list[str]) -> dict[str, str]:
    text = _decode(raw, SUMMARY, fatal)
    if text is None:
        return {}
    summary: dict[str, str] = {}
    for _line, row in _rows(text):
        if len(row) >= 2 and row[0].strip():
            summary[row[0].strip().lower()] = _restore(row[1].strip())
    return summary


def read_dataset(
    *, comments: bytes, votes: bytes, summary: bytes | None, max_length: int, progress=None
) -> Dataset:
    """Read the files of a Pol.is dataset (see the module docstring)."""
    problems, fatal = Problems(), []
    parsed = read_comments(comments, max_length=max_length, problems=problems, fatal=fatal)
    p, c, v, t = read_votes(
        votes,
        comment_ids={x.comment_id for x in parsed},
        problems=problems,
        fatal=fatal,
        progress=progress,
    )
    info = read_summary(summary, fatal) if summary else {}
    description = info.get("conversation-description", "").replace("\\n", "\n")
    return Dataset(
        comments=parsed,
        voter_ids=p,
        comment_ids=c,
        values=v,
        timestamps=t,
        topic=info.get("topic", ""),
        description=description,
        problems=problems,
        fatal=fatal,
    )


def files_from_zip(raw: bytes) -> dict[str, bytes]:
    """The dataset's files in a zip (at its root or in one folder), by name."""
    found: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for info in archive.infolist():
            name = info.filename.rsplit("/", 1)[-1].lower()
            if name in FILES and name not in found:
                found[name] = archive.read(info)
    return found

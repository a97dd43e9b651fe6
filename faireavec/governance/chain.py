"""The assembly's hash chain and the seal of its ballots.

Every event of an assembly that matters for its validity (convocation and list of
voters, each proxy, attendance, the close, the tally, the minutes) is appended as
an `AssemblyLogEntry` whose hash covers its content and the previous entry's
hash. Ballots are not chained one by one — that would make every voter wait for
the one before — and they must not name voters anyway: at the close, each
resolution's ballots are sealed by the root of a Merkle tree over their leaves
(`sha256` of resolution, college, choice and tracker, sorted by tracker so the
order of arrival is not recorded), with their count and the count of the
register of votes.

`chain_verify` recomputes every link and every seal and names the first broken
one: an entry edited (its hash no longer matches), deleted (a gap in the
numbers, or a previous hash that does not match), reordered (same), or a ballot
added, changed or removed after the close (a root or a count that differs).
"""

import hashlib
import json
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from faireavec.governance.models import Assembly, AssemblyLogEntry, Ballot, VoteRecord

GENESIS = "0" * 64


def _canonical(
    *, assembly_id: int, seq: int, kind: str, payload: dict, prev_hash: str, at: str
) -> bytes:
    return json.dumps(
        {
            "assembly": assembly_id,
            "seq": seq,
            "kind": kind,
            "payload": payload,
            "prev": prev_hash,
            "at": at,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()


def entry_hash(entry: AssemblyLogEntry) -> str:
    return hashlib.sha256(
        _canonical(
            assembly_id=entry.assembly_id,
            seq=entry.seq,
            kind=entry.kind,
            payload=entry.payload,
            prev_hash=entry.prev_hash,
            at=entry.created_at.isoformat(),
        )
    ).hexdigest()


def chain_append(*, assembly: Assembly, kind: str, payload: dict) -> AssemblyLogEntry:
    """Append one entry. Call it inside the service's transaction, with the
    assembly locked (`select_for_update`), so two entries never take the same
    number (the unique constraint would refuse the second anyway)."""
    last = AssemblyLogEntry.objects.filter(assembly=assembly).order_by("-seq").first()
    entry = AssemblyLogEntry(
        assembly=assembly,
        seq=(last.seq + 1) if last else 1,
        kind=kind,
        payload=payload,
        prev_hash=last.hash if last else GENESIS,
        created_at=timezone.now().replace(microsecond=0),
    )
    # Round-trip the payload through JSON so the hash is of what the database keeps.
    entry.payload = json.loads(json.dumps(payload))
    entry.hash = entry_hash(entry)
    entry.save()
    return entry


def ballot_leaf(*, resolution_id: int, college_id: int | None, choice: str, tracker: str) -> bytes:
    return hashlib.sha256(
        f"ballot|{resolution_id}|{college_id or 0}|{choice}|{tracker}".encode()
    ).digest()


def merkle_root(leaves: list[bytes]) -> str:
    """The root of a binary Merkle tree (an odd node is carried up as is)."""
    if not leaves:
        return hashlib.sha256(b"empty").hexdigest()
    level = leaves
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level) - 1, 2):
            nxt.append(hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest())
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def ballots_seal(*, assembly: Assembly) -> dict:
    """{resolution pk: {"ballots", "records", "root"}} over what the tables hold now."""
    seal = {}
    resolution_ids = list(assembly.resolutions.values_list("pk", flat=True))
    leaves: dict[int, list[tuple[str, bytes]]] = {pk: [] for pk in resolution_ids}
    rows = (
        Ballot.objects.filter(resolution__assembly=assembly)
        .values_list("resolution_id", "college_id", "choice", "tracker")
        .iterator(chunk_size=5000)
    )
    for resolution_id, college_id, choice, tracker in rows:
        leaves[resolution_id].append(
            (
                tracker,
                ballot_leaf(
                    resolution_id=resolution_id,
                    college_id=college_id,
                    choice=choice,
                    tracker=tracker,
                ),
            )
        )
    records = dict(
        VoteRecord.objects.filter(resolution__assembly=assembly)
        .values_list("resolution_id")
        .annotate(n=Count("pk"))
        .values_list("resolution_id", "n")
    )
    for pk in resolution_ids:
        ordered = [leaf for _tracker, leaf in sorted(leaves[pk])]
        seal[str(pk)] = {
            "ballots": len(ordered),
            "records": records.get(pk, 0),
            "root": merkle_root(ordered),
        }
    return seal


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    broken_seq: int | None = None
    reason: str = ""


def chain_verify(*, assembly: Assembly) -> ChainCheck:
    """Check every link of the chain, then the ballots against the seal."""
    expected_prev = GENESIS
    expected_seq = 1
    seal = None
    count = 0
    entries = AssemblyLogEntry.objects.filter(assembly=assembly).order_by("seq", "pk")
    previous_pk = 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return ChainCheck(
                False,
                count,
                expected_seq,
                f"entry {expected_seq} is missing (next found: {entry.seq})",
            )
        if entry.pk < previous_pk:
            return ChainCheck(
                False, count, entry.seq, f"entry {entry.seq} was written out of order"
            )
        if entry.prev_hash != expected_prev:
            return ChainCheck(
                False, count, entry.seq, f"entry {entry.seq} does not follow entry {entry.seq - 1}"
            )
        if entry_hash(entry) != entry.hash:
            return ChainCheck(False, count, entry.seq, f"entry {entry.seq} was changed")
        if entry.kind == AssemblyLogEntry.Kind.CLOSED:
            seal = (entry.seq, entry.payload.get("seal", {}))
        expected_prev = entry.hash
        expected_seq += 1
        previous_pk = entry.pk
    if assembly.status == Assembly.Status.CLOSED and seal is None:
        return ChainCheck(
            False, count, expected_seq, "the assembly is closed but its seal is missing"
        )
    if seal is not None:
        seq, sealed = seal
        now = ballots_seal(assembly=assembly)
        for pk, values in now.items():
            kept = sealed.get(pk)
            if kept != values:
                return ChainCheck(
                    False,
                    count,
                    seq,
                    f"the ballots of resolution {pk} differ from those sealed in entry {seq}",
                )
    return ChainCheck(True, count)

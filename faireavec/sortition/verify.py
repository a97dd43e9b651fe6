"""Draw one panel from a lottery, reproducibly, with nothing but the standard library.

This module is what anyone re-runs to check a draw: it needs neither Django,
nor a database, nor a solver, nor numpy, so the same file gives the same panel
on any machine with Python 3. `manage.py sortition_verify <file>` and
`python -m faireavec.sortition.verify <file>` both call `verify_file`.

The procedure, in full (also in docs/sortition.md):

1. Every random number is `sha256("<seed>|<label>")` read as a 256-bit integer
   and divided by 2**256, so it is fixed by the seed and the label alone.
2. The lottery's panels are taken in the order of the file; the panel drawn is
   the first one whose running total of probabilities (added left to right, in
   floating point) exceeds `u = number("panel")` times the sum of all
   probabilities (the last one if rounding leaves none).
3. A panel says how many people to take from each profile (people with the same
   features). Within a profile, people are ordered by
   `sha256("<seed>|person|<person id>")` (then by id) and the first ones taken.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

FORMAT = "faireavec-sortition-draw/1"


def seeded_number(seed: str, label: str) -> float:
    """A number in [0, 1) fixed by the seed and the label (SHA-256, 53 bits kept)."""
    digest = hashlib.sha256(f"{seed}|{label}".encode()).digest()
    return (int.from_bytes(digest[:8], "big") >> 11) / float(1 << 53)


def person_key(seed: str, person_id: str) -> tuple[str, str]:
    """The order in which people of one profile are taken: the hash of the seed and their id."""
    return (hashlib.sha256(f"{seed}|person|{person_id}".encode()).hexdigest(), person_id)


def choose_panel_index(seed: str, probabilities: Sequence[float]) -> int:
    """Index of the panel drawn from the lottery (step 2 of the module's procedure)."""
    total = 0.0
    for p in probabilities:
        total += p
    target = seeded_number(seed, "panel") * total
    running = 0.0
    for index, p in enumerate(probabilities):
        running += p
        if running > target:
            return index
    return len(probabilities) - 1


def draw_people(
    *, seed: str, panel_counts: Mapping[str, int], profile_members: Mapping[str, Sequence[str]]
) -> list[str]:
    """The people taken: for each profile, its first `count` members in the seeded order."""
    chosen: list[str] = []
    for profile in sorted(panel_counts):
        count = panel_counts[profile]
        if count <= 0:
            continue
        members = sorted(profile_members.get(profile, ()), key=lambda pid: person_key(seed, pid))
        if count > len(members):
            raise ValueError(
                f"profile {profile} has {len(members)} people, the panel takes {count}"
            )
        chosen.extend(members[:count])
    return sorted(chosen)


def draw_from_document(document: Mapping[str, Any], seed: str | None = None) -> list[str]:
    """Re-run the draw described by a downloaded draw file; returns the ids of the people drawn."""
    if document.get("format") != FORMAT:
        raise ValueError(f"not a draw file of format {FORMAT}")
    seed = document["seed"] if seed is None else seed
    profile_members: dict[str, list[str]] = {}
    for person in document["people"]:
        profile_members.setdefault(person["profile"], []).append(str(person["id"]))
    panels = document["lottery"]
    index = choose_panel_index(seed, [float(p["probability"]) for p in panels])
    return draw_people(
        seed=seed, panel_counts=panels[index]["counts"], profile_members=profile_members
    )


def verify_file(path: str | Path, *, out=sys.stdout) -> bool:
    """Re-run the draw of a file and compare with the panel it records; print what was found."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    drawn = draw_from_document(document)
    recorded = sorted(str(pid) for pid in document.get("panel", []))
    print(f"seed: {document['seed']}", file=out)
    print(f"algorithm: {document.get('algorithm', '?')}", file=out)
    print(f"panels in the lottery: {len(document['lottery'])}", file=out)
    print(f"people drawn again: {', '.join(drawn)}", file=out)
    same = drawn == recorded
    print("same panel as recorded: " + ("yes" if same else "NO"), file=out)
    return same


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-run a FaireAvec draw from its file.")
    parser.add_argument("file", help="the draw file downloaded from the results page (JSON)")
    args = parser.parse_args(argv)
    return 0 if verify_file(args.file) else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

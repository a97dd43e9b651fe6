"""From a stored analysis to what pages show: groups named A, B, C with what
represents them, the consensus, the map's geometry (server-rendered SVG), and
plain sentences for the text version and the report."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from faireavec.opinions.models import Analysis, Statement
from faireavec.opinions.selectors import analysis_positions

MAP_WIDTH = 600
MAP_HEIGHT = 400
MAP_MARGIN = 24
MAP_POINTS = 1200  # at most this many people drawn; the groups' shapes carry the rest
# Distinct for colour-blind readers (Okabe-Ito), each with its own mark shape too.
GROUP_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8A6D00"]
GROUP_SHAPES = ["circle", "square", "diamond", "triangle", "cross"]


def group_letter(index: int) -> str:
    return "ABCDEFGH"[index] if 0 <= index < 8 else str(index + 1)


@dataclass
class StatementFinding:
    number: int
    text: str
    direction: str  # "agree" / "disagree"
    percent: int  # share of the group (or everyone) voting that way
    n_success: int
    n_trials: int
    others_percent: int | None = None  # the same answer among everybody else


@dataclass
class GroupFinding:
    index: int
    letter: str
    size: int
    percent: int
    colour: str
    shape: str
    statements: list[StatementFinding] = field(default_factory=list)


@dataclass
class Findings:
    n_votes: int
    n_participants: int
    n_clustered: int
    n_statements: int
    min_votes: int
    groups: list[GroupFinding]
    consensus_agree: list[StatementFinding]
    consensus_disagree: list[StatementFinding]
    gac: list[StatementFinding]  # agreed across every group, best first
    computed_at: object


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def findings(analysis: Analysis) -> Findings:
    summary = analysis.summary
    statements = {
        s.pk: s for s in Statement.objects.filter(conversation_id=analysis.conversation_id)
    }
    per_statement = {row["id"]: row for row in summary.get("statements", [])}
    clustered = summary.get("n_clustered", 0)
    groups = []
    for g in summary.get("groups", []):
        index = g["id"]
        group = GroupFinding(
            index=index,
            letter=group_letter(index),
            size=g["size"],
            percent=_percent(g["size"], clustered),
            colour=GROUP_COLOURS[index % len(GROUP_COLOURS)],
            shape=GROUP_SHAPES[index % len(GROUP_SHAPES)],
        )
        for r in g["repness"]:
            statement = statements.get(r["statement_id"])
            if statement is None:
                continue
            others = None
            counts = per_statement.get(r["statement_id"], {}).get("groups") or []
            if counts:
                col = 0 if r["direction"] == "agree" else 1
                out_success = sum(c[col] for i, c in enumerate(counts) if i != index)
                out_seen = sum(c[2] for i, c in enumerate(counts) if i != index)
                others = _percent(out_success, out_seen)
            group.statements.append(
                StatementFinding(
                    number=statement.number,
                    text=statement.text,
                    direction=r["direction"],
                    percent=_percent(r["n_success"], r["n_trials"]),
                    n_success=r["n_success"],
                    n_trials=r["n_trials"],
                    others_percent=others,
                )
            )
        groups.append(group)

    def consensus_list(direction: str) -> list[StatementFinding]:
        out = []
        for c in summary.get("consensus", {}).get(direction, []):
            statement = statements.get(c["statement_id"])
            if statement is not None:
                out.append(
                    StatementFinding(
                        number=statement.number,
                        text=statement.text,
                        direction=direction,
                        percent=_percent(c["n_success"], c["n_trials"]),
                        n_success=c["n_success"],
                        n_trials=c["n_trials"],
                    )
                )
        return out

    gac = []
    if groups:
        ranked = sorted(
            (row for row in summary.get("statements", []) if row.get("gac_agree") is not None),
            key=lambda row: (-row["gac_agree"], row["id"]),
        )
        for row in ranked[:5]:
            statement = statements.get(row["id"])
            counts = row.get("groups") or []
            # Shown only if a majority of every group agrees.
            if (
                statement is None
                or not counts
                or any(c[2] == 0 or c[0] * 2 <= c[2] for c in counts)
            ):
                continue
            agree = sum(c[0] for c in counts)
            seen = sum(c[2] for c in counts)
            gac.append(
                StatementFinding(
                    number=statement.number,
                    text=statement.text,
                    direction="agree",
                    percent=min(_percent(c[0], c[2]) for c in counts),
                    n_success=agree,
                    n_trials=seen,
                )
            )
    return Findings(
        n_votes=summary.get("n_votes", 0),
        n_participants=summary.get("n_participants", 0),
        n_clustered=clustered,
        n_statements=summary.get("n_statements", 0),
        min_votes=summary.get("min_votes", 0),
        groups=groups,
        consensus_agree=consensus_list("agree"),
        consensus_disagree=consensus_list("disagree"),
        gac=gac,
        computed_at=analysis.computed_at,
    )


@dataclass
class MapPoint:
    x: float
    y: float
    colour: str
    group: int


@dataclass
class MapLayout:
    width: int
    height: int
    points: list[MapPoint]
    drawn: int
    total: int
    groups: list[dict]
    own: dict | None


def map_layout(analysis: Analysis, *, own_participant_id: int | None = None) -> MapLayout:
    """Coordinates scaled to the SVG's box, a fixed sample of people (every
    n-th by id: the same drawing for the same analysis), each group's centre
    and spread, and the person's own position."""
    pos = analysis_positions(analysis)
    coords = pos.coords.astype(np.float64)
    n = len(coords)
    if n == 0:
        return MapLayout(MAP_WIDTH, MAP_HEIGHT, [], 0, 0, [], None)
    lo = coords.min(axis=0)
    hi = coords.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    inner_w = MAP_WIDTH - 2 * MAP_MARGIN
    inner_h = MAP_HEIGHT - 2 * MAP_MARGIN
    scaled = np.empty_like(coords)
    scaled[:, 0] = MAP_MARGIN + (coords[:, 0] - lo[0]) / span[0] * inner_w
    # SVG's y grows downwards.
    scaled[:, 1] = MAP_MARGIN + (hi[1] - coords[:, 1]) / span[1] * inner_h
    step = max(1, int(np.ceil(n / MAP_POINTS)))
    sample = np.arange(0, n, step)
    points = [
        MapPoint(
            x=round(float(scaled[i, 0]), 1),
            y=round(float(scaled[i, 1]), 1),
            colour=GROUP_COLOURS[pos.labels[i] % len(GROUP_COLOURS)]
            if pos.labels[i] >= 0
            else "#767676",
            group=int(pos.labels[i]),
        )
        for i in sample
    ]
    groups = []
    for g in sorted({int(label) for label in pos.labels if label >= 0}):
        members = scaled[pos.labels == g]
        centre = members.mean(axis=0)
        spread = members.std(axis=0) * 2 + 6
        groups.append(
            {
                "index": g,
                "letter": group_letter(g),
                "colour": GROUP_COLOURS[g % len(GROUP_COLOURS)],
                "cx": round(float(centre[0]), 1),
                "cy": round(float(centre[1]), 1),
                "rx": round(float(spread[0]), 1),
                "ry": round(float(spread[1]), 1),
                "size": len(members),
            }
        )
    own = None
    if own_participant_id is not None:
        i = int(np.searchsorted(pos.participant_ids, own_participant_id))
        if i < n and pos.participant_ids[i] == own_participant_id:
            label = int(pos.labels[i])
            own = {
                "x": round(float(scaled[i, 0]), 1),
                "y": round(float(scaled[i, 1]), 1),
                "group": label,
                "letter": group_letter(label) if label >= 0 else "",
            }
    return MapLayout(MAP_WIDTH, MAP_HEIGHT, points, len(points), n, groups, own)

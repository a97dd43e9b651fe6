"""Geometry of the stakeholder map and of the power/interest grid (pure Python).

The map is a disc: internal stakeholders (employees, board, volunteers) in the
centre, external ones in a ring around it, one sector per category. The closer
to the centre, the more involved: a stakeholder sits on the circle of its
current level, and when its target level differs, a dashed line leads to a
hollow marker on the circle of the target level. Size says influence; colour
AND shape say the level, so the map reads in black and white too.

Read on a 360 px phone, the drawing is about 330 px wide: sector names would be
4 px there. So each sector carries a big number (at least 12 px at that width,
20 pt on A4) and its name is in the key beside the map; nothing is drawn outside
the view box. The marks are pictures with a name, not links (they are far under
24 px on a phone): each sector is one large link to its stakeholders, and the
table beside the map links to each of them.

Above `MAP_MARKS_LIMIT` stakeholders (after filters), one mark per category and
level stands for all of them (`map_layout_grouped`, from counts made by the
database): a 5,000-stakeholder register no longer draws 5,000 marks.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from faireavec.stakeholders.models import INTERNAL_CATEGORIES, Category, Level

# viewBox of the map: the centre is (0, 0); the sector numbers stay inside it.
MAP_VIEWBOX = "-615 -615 1230 1230"
INNER_RADIUS = 220  # the circle that separates internal from external stakeholders
INTERNAL_LABEL_RADIUS = 257  # internal sectors' numbers, in the band between the two
OUTER_RADIUS = 520
LABEL_RADIUS = 568  # external sectors' numbers, just outside the disc
LABEL_FONT_SIZE = 48  # in viewBox units: 12.8 px when the map is 330 px wide
# More stakeholders than this (after filters): one mark per category and level.
MAP_MARKS_LIMIT = 300
# Radius of each level's circle: internal ones inside INNER_RADIUS, external ones in the ring.
INTERNAL_LEVEL_RADIUS = {1: 185, 2: 150, 3: 115, 4: 80, 5: 45}
EXTERNAL_LEVEL_RADIUS = {1: 495, 2: 445, 3: 395, 4: 345, 5: 295}
TARGET_SIZE = 7.0  # half the width of the hollow mark at the target level
EXTERNAL_CATEGORIES = tuple(c for c in Category if c not in INTERNAL_CATEGORIES)


@dataclass(frozen=True)
class LevelStyle:
    level: int
    label: str
    colour: str  # at least 3:1 against white (WCAG 1.4.11)
    shape: str  # id of the symbol in the SVG
    shape_label: str

    @property
    def shape_markup(self) -> str:
        """The shape alone, in a -1..1 box: for the key, which is its own little SVG."""
        return SHAPES[self.shape]


# The shapes of the levels, drawn in a -1..1 box (the map's <symbol>s hold the same).
SHAPES = {
    "shape-circle": '<circle r="0.9"/>',
    "shape-square": '<rect x="-0.8" y="-0.8" width="1.6" height="1.6"/>',
    "shape-triangle": '<path d="M0 -0.95 L0.95 0.8 L-0.95 0.8 Z"/>',
    "shape-diamond": '<path d="M0 -1 L0.95 0 L0 1 L-0.95 0 Z"/>',
    "shape-star": (
        '<path d="M0 -1 L0.24 -0.33 L0.95 -0.31 L0.38 0.12 L0.59 0.81 L0 0.4 '
        'L-0.59 0.81 L-0.38 0.12 L-0.95 -0.31 L-0.24 -0.33 Z"/>'
    ),
}


def level_styles() -> dict[int, LevelStyle]:
    spec = {
        Level.INFORM: ("#5f5f6e", "shape-circle", _("circle")),
        Level.CONSULT: ("#0065a3", "shape-square", _("square")),
        Level.CONCERT: ("#9a4d00", "shape-triangle", _("triangle")),
        Level.CO_CONSTRUCT: ("#7b3294", "shape-diamond", _("diamond")),
        Level.CO_DECIDE: ("#00704a", "shape-star", _("star")),
    }
    return {
        int(level): LevelStyle(int(level), str(level.label), colour, shape, str(shape_label))
        for level, (colour, shape, shape_label) in spec.items()
    }


@dataclass
class MapPoint:
    stakeholder: object
    x: float
    y: float
    size: float
    style: LevelStyle
    target_style: LevelStyle
    label: str = ""  # what a screen reader says for the point
    target_x: float | None = None
    target_y: float | None = None

    @property
    def has_gap(self) -> bool:
        return self.target_x is not None

    # The square each symbol is drawn in (x, y, width), computed once: the
    # template reads them for thousands of points.
    box: tuple[float, float, float] = (0.0, 0.0, 0.0)
    target_box: tuple[float, float, float] | None = None

    def __post_init__(self) -> None:
        self.box = (
            round(self.x - self.size, 1),
            round(self.y - self.size, 1),
            round(2 * self.size, 1),
        )

    def set_target(self, x: float, y: float) -> None:
        self.target_x, self.target_y = x, y
        self.target_box = (round(x - TARGET_SIZE, 1), round(y - TARGET_SIZE, 1), 2 * TARGET_SIZE)


@dataclass
class Sector:
    category: str
    label: str
    internal: bool
    start: float  # radians, clockwise from the top
    end: float
    number: int = 0  # drawn on the map; the key gives the sector's name
    wedge: str = ""  # SVG path of the whole sector (the link to its stakeholders)
    count: int = 0
    # Where its number goes.
    label_x: float = 0.0
    label_y: float = 0.0
    # Its boundary line (external sectors only).
    line: tuple[float, float, float, float] | None = None


@dataclass
class MapLayout:
    points: list[MapPoint]
    sectors: list[Sector]
    styles: dict[int, LevelStyle]
    viewbox: str = MAP_VIEWBOX
    inner_radius: int = INNER_RADIUS
    outer_radius: int = OUTER_RADIUS
    label_font_size: int = LABEL_FONT_SIZE
    level_rings: list[tuple[int, int]] = field(default_factory=list)
    grouped: bool = False  # one mark per category and level (a big register)
    groups: list = field(default_factory=list)  # the GroupMarks when grouped

    @property
    def total(self) -> int:
        return sum(sector.count for sector in self.sectors)


def _xy(radius: float, angle: float) -> tuple[float, float]:
    """Cartesian coordinates (SVG: y goes down) of a polar position, angle 0 at the top."""
    return round(radius * math.sin(angle), 1), round(-radius * math.cos(angle), 1)


def point_label(point: "MapPoint", category: str) -> str:
    s = point.stakeholder
    values = {
        "name": s.name,
        "category": category,
        "current": point.style.label,
        "target": point.target_style.label,
        "influence": s.influence,
        "interest": s.interest,
    }
    if point.has_gap:
        return (
            _(
                "%(name)s — %(category)s; now: %(current)s, aim: %(target)s; influence %(influence)s, interest %(interest)s"
            )
            % values
        )
    return (
        _(
            "%(name)s — %(category)s; level: %(current)s; influence %(influence)s, interest %(interest)s"
        )
        % values
    )


def point_size(influence: int) -> float:
    """Half the width of a point: influence 1 → 7, influence 5 → 17."""
    return 4.5 + 2.5 * max(1, min(5, influence))


def _wedge(inner: float, outer: float, start: float, end: float) -> str:
    """SVG path of the ring sector between two radii (a pie slice when inner is 0)."""
    large = 1 if end - start > math.pi else 0
    x1, y1 = _xy(outer, start)
    x2, y2 = _xy(outer, end)
    if inner == 0:
        return f"M0 0 L{x1} {y1} A{outer} {outer} 0 {large} 1 {x2} {y2} Z"
    x3, y3 = _xy(inner, end)
    x4, y4 = _xy(inner, start)
    return (
        f"M{x1} {y1} A{outer} {outer} 0 {large} 1 {x2} {y2} "
        f"L{x3} {y3} A{inner} {inner} 0 {large} 0 {x4} {y4} Z"
    )


def _sectors() -> list[Sector]:
    sectors = []
    number = 0
    for group, radius in ((INTERNAL_CATEGORIES, INNER_RADIUS), (EXTERNAL_CATEGORIES, None)):
        width = 2 * math.pi / len(group)
        for i, category in enumerate(group):
            internal = radius is not None
            number += 1
            sector = Sector(
                category=str(category),
                label=str(category.label),
                internal=internal,
                start=i * width,
                end=(i + 1) * width,
                number=number,
            )
            middle = (i + 0.5) * width
            if internal:
                sector.line = (*_xy(0, 0), *_xy(INNER_RADIUS, sector.start))
                sector.label_x, sector.label_y = _xy(INTERNAL_LABEL_RADIUS, middle)
                sector.wedge = _wedge(0, INNER_RADIUS, sector.start, sector.end)
            else:
                sector.line = (*_xy(INNER_RADIUS, sector.start), *_xy(OUTER_RADIUS, sector.start))
                sector.label_x, sector.label_y = _xy(LABEL_RADIUS, middle)
                sector.wedge = _wedge(INNER_RADIUS, OUTER_RADIUS, sector.start, sector.end)
            # The number's middle on its point: a third of the font below the baseline.
            sector.label_y = round(sector.label_y + LABEL_FONT_SIZE * 0.35, 1)
            sectors.append(sector)
    return sectors


def map_layout(stakeholders: Iterable) -> MapLayout:
    """Place each stakeholder on the map.

    Within its sector, the stakeholders of one level share the level's circle,
    spread evenly along its arc; crowded arcs alternate between three slightly
    different radii so points overlap less.
    """
    styles = level_styles()
    sectors = _sectors()
    by_category = {s.category: s for s in sectors}
    groups: dict[tuple[str, int], list] = defaultdict(list)
    for stakeholder in stakeholders:
        groups[(stakeholder.category, stakeholder.current_level)].append(stakeholder)

    points = []
    for (category, level), members in groups.items():
        sector = by_category[category]
        sector.count += len(members)
        radii = INTERNAL_LEVEL_RADIUS if sector.internal else EXTERNAL_LEVEL_RADIUS
        margin = (sector.end - sector.start) * 0.08
        span = sector.end - sector.start - 2 * margin
        n = len(members)
        for i, stakeholder in enumerate(members):
            angle = sector.start + margin + span * (i + 0.5) / n
            jitter = ((i % 3) - 1) * (6 if sector.internal else 12) if n > 6 else 0
            x, y = _xy(radii[level] + jitter, angle)
            point = MapPoint(
                stakeholder=stakeholder,
                x=x,
                y=y,
                size=point_size(stakeholder.influence),
                style=styles[level],
                target_style=styles[stakeholder.target_level],
            )
            if stakeholder.target_level != level:
                point.set_target(*_xy(radii[stakeholder.target_level] + jitter, angle))
            point.label = point_label(point, sector.label)
            points.append(point)
    # Big points first, so that small ones are drawn over them and stay visible.
    points.sort(key=lambda p: -p.size)
    rings = [(level, EXTERNAL_LEVEL_RADIUS[level]) for level in sorted(EXTERNAL_LEVEL_RADIUS)]
    return MapLayout(points=points, sectors=sectors, styles=styles, level_rings=rings)


@dataclass
class GroupMark:
    """All the stakeholders of one category at one level, as one mark."""

    category: str
    level: int
    count: int
    x: float
    y: float
    size: float
    style: LevelStyle
    label: str
    box: tuple[float, float, float]


def group_size(count: int, largest: int, internal: bool) -> float:
    """Half the width of a group's mark: its area grows with the count, and it
    stays within the gap between two level circles (35 inside, 50 outside)."""
    top = 15.0 if internal else 22.0
    return round(6 + (top - 6) * math.sqrt(count / max(1, largest)), 1)


def map_layout_grouped(counts: dict[tuple[str, int], int]) -> MapLayout:
    """The map of a big register: for each category and current level, one mark
    sized by how many stakeholders it stands for, named with that number."""
    styles = level_styles()
    sectors = _sectors()
    by_category = {s.category: s for s in sectors}
    largest = max(counts.values(), default=0)
    groups = []
    for (category, level), count in sorted(counts.items()):
        if not count:
            continue
        sector = by_category[category]
        sector.count += count
        radii = INTERNAL_LEVEL_RADIUS if sector.internal else EXTERNAL_LEVEL_RADIUS
        x, y = _xy(radii[level], (sector.start + sector.end) / 2)
        size = group_size(count, largest, sector.internal)
        label = ngettext(
            "%(category)s, level %(level)s: %(count)s stakeholder",
            "%(category)s, level %(level)s: %(count)s stakeholders",
            count,
        ) % {"category": sector.label, "level": styles[level].label, "count": count}
        groups.append(
            GroupMark(
                category=category,
                level=level,
                count=count,
                x=x,
                y=y,
                size=size,
                style=styles[level],
                label=label,
                box=(round(x - size, 1), round(y - size, 1), round(2 * size, 1)),
            )
        )
    rings = [(level, EXTERNAL_LEVEL_RADIUS[level]) for level in sorted(EXTERNAL_LEVEL_RADIUS)]
    return MapLayout(
        points=[], sectors=sectors, styles=styles, level_rings=rings, grouped=True, groups=groups
    )


# Power/interest grid ------------------------------------------------------

GRID_CELL = 100
GRID_NAMES_PER_CELL = 6


@dataclass
class GridCell:
    influence: int
    interest: int
    count: int = 0
    names: list[str] = field(default_factory=list)
    bubble: float = 0.0  # radius of the circle drawn in the cell

    @property
    def x(self) -> int:
        return (self.interest - 1) * GRID_CELL

    @property
    def y(self) -> int:
        return (5 - self.influence) * GRID_CELL

    @property
    def cx(self) -> int:
        return self.x + GRID_CELL // 2

    @property
    def cy(self) -> int:
        return self.y + GRID_CELL // 2

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.names))


@dataclass
class GridLayout:
    rows: list[list[GridCell]]  # from influence 5 (top) to 1
    total: int
    largest: int

    @property
    def cells(self) -> list[GridCell]:
        return [cell for row in self.rows for cell in row]


def grid_layout(stakeholders: Iterable) -> GridLayout:
    """Count the stakeholders in each cell of the 5 by 5 influence/interest grid,
    with the first names (alphabetically) of each cell."""
    cells = {(inf, intr): GridCell(inf, intr) for inf in range(1, 6) for intr in range(1, 6)}
    total = 0
    for stakeholder in sorted(stakeholders, key=lambda s: (s.name.lower(), s.pk)):
        cell = cells[(stakeholder.influence, stakeholder.interest)]
        cell.count += 1
        total += 1
        if len(cell.names) < GRID_NAMES_PER_CELL:
            cell.names.append(stakeholder.name)
    rows = [[cells[(inf, intr)] for intr in range(1, 6)] for inf in range(5, 0, -1)]
    largest = max(cell.count for cell in cells.values())
    for cell in cells.values():
        cell.bubble = grid_bubble_radius(cell.count, largest)
    return GridLayout(rows=rows, total=total, largest=largest)


def grid_bubble_radius(count: int, largest: int) -> float:
    """Area grows with the count; the fullest cell gets the largest circle."""
    if not count or not largest:
        return 0.0
    return round(8 + 34 * math.sqrt(count / largest), 1)

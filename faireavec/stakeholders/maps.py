"""Geometry of the stakeholder map and of the power/interest grid (pure Python).

The map is a disc: internal stakeholders (employees, board, volunteers) in the
centre, external ones in a ring around it, one sector per category. The closer
to the centre, the more involved: a stakeholder sits on the circle of its
current level, and when its target level differs, a dashed line leads to a
hollow marker on the circle of the target level. Size says influence; colour
AND shape say the level, so the map reads in black and white too.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from faireavec.stakeholders.models import INTERNAL_CATEGORIES, Category, Level

# viewBox of the map: the centre is (0, 0).
MAP_VIEWBOX = "-830 -640 1660 1280"
INNER_RADIUS = 220  # the circle that separates internal from external stakeholders
INTERNAL_LABEL_RADIUS = 243  # internal sectors' names, in the band between the two
OUTER_RADIUS = 520
LABEL_RADIUS = 550
LABEL_LINE_CHARS = 22
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
    count: int = 0
    # Where its label goes, and its label cut into short lines.
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "middle"
    lines: list[str] = field(default_factory=list)
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
    level_rings: list[tuple[int, int]] = field(default_factory=list)


def wrap_label(text: str, width: int = LABEL_LINE_CHARS) -> list[str]:
    """Cut a sector's name into lines of about `width` characters, between words."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


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


def _sectors() -> list[Sector]:
    sectors = []
    for group, radius in ((INTERNAL_CATEGORIES, INNER_RADIUS), (EXTERNAL_CATEGORIES, None)):
        width = 2 * math.pi / len(group)
        for i, category in enumerate(group):
            internal = radius is not None
            sector = Sector(
                category=str(category),
                label=str(category.label),
                internal=internal,
                start=i * width,
                end=(i + 1) * width,
            )
            middle = (i + 0.5) * width
            if internal:
                sector.line = (*_xy(0, 0), *_xy(INNER_RADIUS, sector.start))
                sector.label_x, sector.label_y = _xy(INTERNAL_LABEL_RADIUS, middle)
                sector.lines = [sector.label]
            else:
                sector.line = (*_xy(INNER_RADIUS, sector.start), *_xy(OUTER_RADIUS, sector.start))
                sector.label_x, sector.label_y = _xy(LABEL_RADIUS, middle)
                s = math.sin(middle)
                sector.anchor = "start" if s > 0.2 else "end" if s < -0.2 else "middle"
                sector.lines = wrap_label(sector.label)
                if math.cos(middle) < -0.2:  # below the centre: the text grows downwards
                    sector.label_y += 10
                elif math.cos(middle) > 0.2:  # above: its last line ends near the circle
                    sector.label_y -= 20 * (len(sector.lines) - 1)
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

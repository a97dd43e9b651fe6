"""Small template helpers of the surveys pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or "" when missing (a dict of sentences by id)."""
    if not mapping:
        return ""
    return mapping.get(key, "")


ROW_HEIGHT = 40  # px per bar in the charts' 320-wide viewBox
BAR_SPACE = 230  # px for 100 %


@register.filter
def chart_bars(rows):
    """Geometry of a horizontal bar chart: each row with its `y` and `width`."""
    bars = []
    for index, row in enumerate(rows):
        bars.append(
            {
                "row": row,
                "y": index * ROW_HEIGHT,
                "width": round(BAR_SPACE * float(row.percent) / 100, 1),
            }
        )
    return {"bars": bars, "height": max(len(rows), 1) * ROW_HEIGHT}


@register.filter
def trend_bars(trend):
    """Geometry of a trend chart: CSAT from the left (0-100), NPS from the middle (-100-100)."""
    bars = []
    for index, point in enumerate(trend.points):
        bar = {"point": point, "y": index * ROW_HEIGHT, "x": 0, "width": 0, "text_x": 4}
        if point.value is not None:
            if trend.kind == "nps":
                half = 110 * abs(float(point.value)) / 100
                bar["x"] = 160 if point.value >= 0 else round(160 - half, 1)
                bar["width"] = round(half, 1)
                bar["text_x"] = round(160 + half + 4, 1) if point.value >= 0 else 164
            else:
                bar["width"] = round(BAR_SPACE * float(point.value) / 100, 1)
                bar["text_x"] = round(bar["width"] + 4, 1)
        bars.append(bar)
    return {"bars": bars, "height": max(len(bars), 1) * ROW_HEIGHT}


@register.simple_tag(takes_context=True)
def initiative_surveys(context, initiative):
    """The surveys of an initiative's phases that the person may answer (its page's block)."""
    from faireavec.surveys.selectors import surveys_of_initiative

    return surveys_of_initiative(initiative=initiative, user=context["request"].user)

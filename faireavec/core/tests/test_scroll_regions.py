"""A table too wide for a phone scrolls inside its `.table-wrap` box. A box that
scrolls must be reachable with the keyboard and named for screen readers (WCAG 2.1.1,
axe's scrollable-region-focusable), so every `.table-wrap` in every template is a
focusable, labelled region. axe only sees the pages the browser tests visit; this
walks them all."""

import re
from pathlib import Path

from django.conf import settings

WRAP = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>")


def _templates():
    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("faireavec/*/templates/**/*.html")) + sorted(
        root.glob("templates/**/*.html")
    ):
        yield path.relative_to(root), path.read_text()


def test_every_scrolling_table_box_is_a_focusable_labelled_region():
    found, wrong = 0, []
    for name, text in _templates():
        for match in WRAP.finditer(text):
            found += 1
            tag = match.group(0)
            named = "aria-label=" in tag or "aria-labelledby=" in tag
            if 'tabindex="0"' not in tag or 'role="region"' not in tag or not named:
                wrong.append(f"{name}: {tag}")
    assert found > 20, "the walk found no table boxes: the template paths moved"
    assert not wrong, "scrolling table boxes without tabindex, role or name:\n" + "\n".join(wrong)

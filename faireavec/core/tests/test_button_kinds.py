"""Every button says what kind of action it is: `.button` for the page's main action,
`.button--secondary` for the others, `.button--danger` for what deletes, removes or
hides, `.link-button` for a form that reads as a link. The stylesheet gives a
classless submit button the main look, so without this walk a page with several
forms shows several « main » actions and a delete looks like a save."""

import re
from pathlib import Path

from django.conf import settings

BUTTON = re.compile(r"<button\b([^>]*)>", re.S)
STYLED_LINK = re.compile(r"<a\b[^>]*\bclass=\"([^\"]*\bbutton\b[^\"]*)\"", re.S)
CLASS = re.compile(r"\bclass=\"([^\"]*)\"")
KINDS = {"button", "button--secondary", "button--danger", "link-button"}
# Templates whose owners are still giving their buttons a kind; remove an entry once
# its buttons have one (the walk then checks it like the others).
PENDING: set[str] = set()


def _templates():
    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("faireavec/*/templates/**/*.html")) + sorted(
        root.glob("templates/**/*.html")
    ):
        yield str(path.relative_to(root)), path.read_text()


def _kinds(class_attr: str) -> set[str]:
    # A class written by a template tag ({% if … %}) is trusted to be one of the kinds.
    return set(re.sub(r"{%.*?%}|{{.*?}}", " ", class_attr).split()) & KINDS


def test_every_submit_button_has_a_kind():
    found, wrong = 0, []
    for name, text in _templates():
        if name in PENDING:
            continue
        for match in BUTTON.finditer(text):
            attrs = match.group(1)
            if 'type="button"' in attrs or 'type="reset"' in attrs:
                continue
            found += 1
            classes = CLASS.search(attrs)
            if not classes or (not _kinds(classes.group(1)) and "{%" not in classes.group(1)):
                line = text[: match.start()].count("\n") + 1
                wrong.append(f"{name}:{line}: {match.group(0)}")
    assert found > 100, "the walk found no buttons: the template paths moved"
    assert not wrong, "submit buttons without a kind (.button, .button--secondary, …):\n" + (
        "\n".join(wrong)
    )


def test_links_styled_as_buttons_use_the_known_kinds():
    """`class="button secondary"` looks like the main action: the kinds are
    `button`, `button--secondary` and `button--danger`."""
    wrong = []
    for name, text in _templates():
        for match in STYLED_LINK.finditer(text):
            words = set(re.sub(r"{%.*?%}|{{.*?}}", " ", match.group(1)).split())
            if words & {"secondary", "danger", "primary"}:
                wrong.append(f"{name}: {match.group(0)}")
    assert not wrong, "links with a misspelt button kind:\n" + "\n".join(wrong)

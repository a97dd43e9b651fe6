"""The browser check every page visited must pass, and the record that makes sure
it ran.

`PageChecks.check(page)` takes the HTML the page shows (JavaScript off) and
serves it, at the same URL, to a twin page with JavaScript on, where:

- axe-core finds no WCAG 2.1 A/AA violation, nor a target smaller than 24 x 24 px
  (WCAG 2.2, 2.5.8) — axe needs JavaScript, hence the twin;
- at 320 px wide nothing scrolls sideways (WCAG 1.4.10), with the default text,
  with the platform's « texte plus grand » preference, and with the browser's
  text at 200 % (WCAG 1.4.4; a 640 px window zoomed to 200 % is the 320 px case);
- at 360 x 640 (a small phone's first screen) the page's `h1` ends within the
  first 640 px (on an invalid form, the error summary's title above it): the
  header never pushes the page's title off the first screen.

`PageChecks.watch(page)` records every navigation of a page (main frame, HTML
responses); `unchecked()` lists the pages visited but never checked, and the
harness fails the test on them at teardown. A page counts as checked when the
same URL, reached with the same method, was checked during the test: a form
posted and shown again with its errors is a page of its own, and needs its own
check.
"""

import hashlib
import os
import re
from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Response

NARROWEST = {"width": 320, "height": 640}  # WCAG 1.4.10: no sideways scrolling at 320 px
FIRST_SCREEN = {"width": 360, "height": 640}  # a small phone: the h1 must be on it
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# axe ships target-size (WCAG 2.2, 24 x 24 px) disabled: turn it on.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "rules": {"target-size": {"enabled": True}},
}
ARTIFACTS = os.path.join(os.path.dirname(__file__), "artifacts")

# The text settings each page must reflow with at 320 px: (label, script that applies it).
TEXT_SETTINGS = [
    ("default text", ""),
    ("« texte plus grand »", "document.documentElement.classList.add('text-large')"),
    ("browser text at 200 %", "document.documentElement.style.fontSize = '200%'"),
]

# What sticks out to the right, deepest elements first, to say what to fix.
OVERFLOW_REPORT = """() => {
  const width = document.documentElement.clientWidth;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 0.5 || box.width === 0) continue;
    if ([...el.children].some((c) => c.getBoundingClientRect().right > width + 0.5)) continue;
    let scrolled = false;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) { scrolled = true; break; }
    }
    if (scrolled) continue;
    const path = [];
    for (let p = el; p && p !== document.body && path.length < 4; p = p.parentElement) path.unshift(name(p));
    out.push(path.join(' > ') + ' (right edge at ' + Math.round(box.right) + ' px): '
      + (el.textContent || '').trim().slice(0, 60));
    if (out.length >= 5) break;
  }
  return out;
}"""

# The h1, or on an invalid form the error summary's title that comes first in
# <main> (GOV.UK / DSFR pattern: the summary above the h1, focused on load).
H1_BOTTOM = """() => {
  window.scrollTo(0, 0);
  const h1 = document.querySelector('h1');
  if (!h1) return null;
  const summary = document.querySelector('#error-summary h2');
  const first = summary && (summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING) ? summary : h1;
  return first.getBoundingClientRect().bottom + window.scrollY;
}"""

# Tokens that change on every response but not the page: ignored when deciding
# whether exactly this page was already checked in this run.
VOLATILE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
LARGE_TEXT_CHOSEN = re.compile(r"<html[^>]*\btext-large\b")


@dataclass
class Visit:
    method: str
    url: str


class PageChecks:
    """The checks of one test: a twin context for axe and the record of visits."""

    # Pages already found clean in this run (same URL, same HTML): not checked twice.
    passed: set[str] = set()

    def __init__(self, browser: Browser):
        self.context = browser.new_context(
            java_script_enabled=True, locale="fr-FR", viewport=NARROWEST
        )
        self.axe = Axe()
        self.visits: list[Visit] = []
        self.current: dict[int, Visit] = {}  # id(page) → the visit it shows now
        self.checked: set[tuple[str, str]] = set()
        self.failures = 0

    # Recording ----------------------------------------------------------------

    def watch(self, page: Page) -> None:
        """Record every HTML page this page navigates to."""
        pending: dict[str, str] = {}

        def on_response(response: Response) -> None:
            request = response.request
            if not request.is_navigation_request() or request.frame != page.main_frame:
                return
            if 300 <= response.status < 400:
                return
            content_type = response.headers.get("content-type", "")
            pending[strip_fragment(response.url)] = (
                request.method if content_type.startswith("text/html") else ""
            )

        def on_navigated(frame) -> None:
            if frame != page.main_frame:
                return
            url = strip_fragment(frame.url)
            method = pending.pop(url, None)
            current = self.current.get(id(page))
            if method is None and current is not None and current.url == url:
                return  # same document (a fragment link): still the same visit
            if not method:  # not HTML (a file shown inline), or about:blank
                self.current.pop(id(page), None)
                return
            visit = Visit(method=method, url=url)
            self.visits.append(visit)
            self.current[id(page)] = visit

        page.on("response", on_response)
        page.on("framenavigated", on_navigated)

    def unchecked(self) -> list[str]:
        seen, out = set(), []
        for visit in self.visits:
            key = (visit.method, visit.url)
            if key not in self.checked and key not in seen:
                seen.add(key)
                out.append(f"{visit.method} {visit.url}")
        return out

    # Checking -----------------------------------------------------------------

    def check(self, page: Page) -> None:
        page.wait_for_load_state()
        html, url = page.content(), page.url
        visit = self.current.get(id(page))
        if visit is not None:
            self.checked.add((visit.method, visit.url))
        fingerprint = hashlib.sha256((url + VOLATILE.sub(r"\1\2", html)).encode()).hexdigest()
        if fingerprint in PageChecks.passed:
            return
        problems = self._problems(html, url)
        if problems:
            self.failures += 1
            os.makedirs(ARTIFACTS, exist_ok=True)
            shot = os.path.join(ARTIFACTS, f"check-failure-{os.getpid()}-{self.failures}.png")
            page.screenshot(path=shot, full_page=True)
            raise AssertionError(f"{url}:\n" + "\n".join(problems) + f"\n(screenshot: {shot})")
        PageChecks.passed.add(fingerprint)

    def _problems(self, html: str, url: str) -> list[str]:
        twin = self.context.new_page()
        try:
            twin.route(
                lambda u: strip_fragment(u) == strip_fragment(url),
                lambda route: route.fulfill(
                    status=200, content_type="text/html; charset=utf-8", body=html
                ),
            )
            twin.goto(url)
            problems = []
            result = self.axe.run(twin, options=AXE_OPTIONS)
            if result.violations_count:
                problems.append("axe:\n" + result.generate_report())
            for label, apply in TEXT_SETTINGS:
                if apply:
                    twin.evaluate(f"() => {{ {apply}; }}")
                overflow = twin.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 0:
                    culprits = "\n    ".join(twin.evaluate(OVERFLOW_REPORT))
                    problems.append(
                        f"scrolls sideways by {overflow} px at 320 px wide with {label}:\n"
                        f"    {culprits}"
                    )
            twin.evaluate(
                "() => { document.documentElement.classList.remove('text-large');"
                " document.documentElement.style.fontSize = ''; }"
            )
            if LARGE_TEXT_CHOSEN.search(html):  # the person chose larger text
                twin.evaluate("() => document.documentElement.classList.add('text-large')")
            twin.set_viewport_size(FIRST_SCREEN)
            bottom = twin.evaluate(H1_BOTTOM)
            if bottom is None:
                problems.append("has no h1")
            elif bottom > FIRST_SCREEN["height"]:
                problems.append(
                    f"the h1 ends at {round(bottom)} px: not within the first "
                    f"{FIRST_SCREEN['height']} px of a {FIRST_SCREEN['width']} px wide phone"
                )
            return problems
        finally:
            twin.close()

    def close(self) -> None:
        self.context.close()


def strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]

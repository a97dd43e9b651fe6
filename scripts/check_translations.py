"""Regenerate the French catalogues from the code and check them.

Fails when a catalogue has an untranslated or fuzzy entry, or does not compile.
Runs `makemessages` (without source locations, so catalogues only change when
strings do), then msgattrib and msgfmt from GNU gettext on every catalogue.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(
        [
            *manage,
            "makemessages",
            "-l",
            "fr",
            "--no-location",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=var/*",
            "--ignore=e2e/*",
            "--ignore=bench/*",
            "-v",
            "0",
        ],
        cwd=ROOT,
        check=True,
    )
    catalogues = sorted(
        p for p in ROOT.glob("**/locale/fr/LC_MESSAGES/django.po") if ".venv" not in p.parts
    )
    problems = 0
    for po in catalogues:
        rel = po.relative_to(ROOT)
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            problems += 1
            print(f"{rel}: does not compile:\n{result.stderr}")
            continue
        if "fuzzy" in result.stderr or "untranslated" in result.stderr:
            problems += 1
            print(f"{rel}: {result.stderr.strip()}")
            for flag in ("--untranslated", "--only-fuzzy"):
                listing = subprocess.run(
                    ["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True
                ).stdout
                print("\n".join(listing.splitlines()[:60]))
    print(f"{len(catalogues)} French catalogues checked, {problems} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Links in emails sent outside a request use SITE_URL: its default must be the
address `make demo` serves, or every demo email links nowhere."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_site_url_defaults_match_the_demo_server():
    served = re.search(r"runserver (\S+)", (ROOT / "Makefile").read_text()).group(1)
    demo_url = f"http://{served}"
    settings_default = re.search(
        r'SITE_URL = env\.str\("SITE_URL", default="([^"]+)"\)',
        (ROOT / "config" / "settings.py").read_text(),
    ).group(1)
    env_example = re.search(r"^SITE_URL=(\S+)$", (ROOT / ".env.example").read_text(), re.M)
    assert settings_default == demo_url
    assert env_example.group(1) == demo_url

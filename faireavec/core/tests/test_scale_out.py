"""Stateless web processes: two gunicorn instances on PostgreSQL and Redis serve the
same person with no sticky sessions.

Each instance is a separate server (its own port, its own workers) with the
production settings (DEBUG off, compressed static files, Redis for the cache and
sessions). A person signs in on one and is still signed in on the other; a rate
limit counted on both adds up; a static file from either is the same. Runs in the
PostgreSQL pass of `make test`, with Redis on 127.0.0.1:6379.
"""
# The test starts its own servers and requests loopback addresses it built.
# ruff: noqa: S310, S603

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis
from allauth.account.models import EmailAddress
from django.db import connection

from faireavec.accounts.models import User
from faireavec.organisations.models import new_invitation_code

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = "redis://127.0.0.1:6379/13"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn on {port} stopped (exit {process.returncode})")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accessibilite/", timeout=10)
            return
        except OSError:  # not listening yet (URLError, refused, timed out)
            time.sleep(0.3)
    raise AssertionError(f"gunicorn on {port} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def redis_client():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    yield client
    client.flushdb()


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, redis_client, tmp_path_factory):
    """Two gunicorn servers on the test database, as `make serve` starts them
    (started once for the module; each test starts with an empty Redis)."""
    tmp_path = tmp_path_factory.mktemp("scale_out")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "TASKS_BACKEND": "rq",
        "DEBUG": "0",
        "SECRET_KEY": "stateless-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    ports, processes = [free_port(), free_port()], []
    log = (tmp_path / "gunicorn.log").open("w")
    try:
        for port in ports:
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "config.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        "--no-control-socket",
                        "--graceful-timeout",
                        "5",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for port, process in zip(ports, processes, strict=True):
            wait_until_serving(port, process)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


@pytest.fixture
def two_instances(servers, redis_client):
    redis_client.flushdb()
    return servers


class Browser:
    """One person's cookies, sent to whichever server the request goes to (as a
    load balancer without sticky sessions would)."""

    def __init__(self):
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.opener.addheaders = [("Accept-Language", "fr")]

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.cookies if c.name == name)

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, data: dict) -> tuple[int, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.cookie("csrftoken")})
        request = urllib.request.Request(
            url, data=body.encode(), headers={"Referer": url}, method="POST"
        )
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def test_signed_in_on_one_process_signed_in_on_the_other(two_instances, settings):
    first, second = two_instances
    # The servers use the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    claire = User.objects.create_user(
        email="claire@example.org", password="un mot de passe long 2026"
    )
    EmailAddress.objects.create(user=claire, email=claire.email, verified=True, primary=True)
    browser = Browser()
    status, _ = browser.get(f"{first}/compte/login/")
    assert status == 200
    status, page = browser.post(
        f"{first}/compte/login/",
        {"login": "claire@example.org", "password": "un mot de passe long 2026"},
    )
    assert status == 200, page[:500]
    # The next request goes to the other process: still signed in.
    status, page = browser.get(f"{second}/mon-espace/")
    assert status == 200
    assert "Mon espace" in page and "Se déconnecter" in page
    # Signing out on the second ends the session on the first too.
    browser.post(f"{second}/compte/logout/", {})
    status, page = browser.get(f"{first}/mon-espace/")
    assert status == 200  # the sign-in page, after the redirect
    assert "Se déconnecter" not in page and 'name="password"' in page


def test_a_rate_limit_counts_the_attempts_made_on_both_processes(two_instances):
    first, second = two_instances
    browser = Browser()
    statuses = []
    # 30 wrong invitation codes per 15 minutes from one address (organisations'
    # INVITATION_CODE_MISS), sent in turn to each process: the 31st is refused,
    # whichever process receives it.
    for attempt in range(31):
        server = (first, second)[attempt % 2]
        status, _ = browser.get(f"{server}/rejoindre/?code={new_invitation_code()}")
        statuses.append(status)
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_static_files_are_compressed_and_cached_for_a_year(two_instances):
    first = two_instances[0]
    status, page = Browser().get(f"{first}/accessibilite/")
    assert status == 200
    stylesheet = page.split('href="/static/css/')[1].split('"')[0]
    assert stylesheet.count(".") == 2  # faireavec.<hash>.css
    for server in two_instances:
        request = urllib.request.Request(
            f"{server}/static/css/{stylesheet}", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert "immutable" in response.headers["Cache-Control"]
            assert "max-age=315360000" in response.headers["Cache-Control"]

"""`make serve`: FaireAvec as in production, on this machine.

Starts, under one supervisor (Ctrl-C stops them all):
- gunicorn with WEB_WORKERS worker processes (default: 2 per core + 1), on
  SERVE_ADDRESS (default 127.0.0.1:8000);
- TASK_WORKERS task workers (RQ on Redis, default 1);
- the scheduler of the periodic tasks (`manage.py scheduler`).

Everything comes from environment variables, with defaults for this machine:
DATABASE_URL (PostgreSQL, database `faireavec_serve`, created when missing),
REDIS_URL (cache, sessions, rate limits and the task queue), SECRET_KEY (kept in
var/serve-secret-key when not given). Static files are collected (compressed,
content-hashed) and served by WhiteNoise. On an empty database the demo data is
built (SERVE_DEMO=0 to skip), so the demo logins work.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "manage.py")]


def production_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/faireavec_serve")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    env.setdefault("TASKS_BACKEND", "rq")
    env["DEBUG"] = "0"
    address = env.setdefault("SERVE_ADDRESS", "127.0.0.1:8000")
    env.setdefault("SITE_URL", f"http://{address}")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    # Plain HTTP on loopback: behind nginx with TLS, leave these to their defaults.
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        env.setdefault(name, "0")
    env.setdefault("SECURE_HSTS_SECONDS", "0")
    if "SECRET_KEY" not in env:
        key_file = ROOT / "var" / "serve-secret-key"
        key_file.parent.mkdir(exist_ok=True)
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        env["SECRET_KEY"] = key_file.read_text().strip()
    return env


def ensure_services(env: dict[str, str]) -> None:
    """PostgreSQL and Redis must answer; the database is created when missing."""
    import psycopg
    import redis

    try:
        redis.Redis.from_url(env["REDIS_URL"]).ping()
    except redis.RedisError as exc:
        sys.exit(f"Redis does not answer at {env['REDIS_URL']}: {exc}")
    url = urlparse(env["DATABASE_URL"])
    name = url.path.lstrip("/")
    admin_url = url._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
                print(f"Database {name} created.")
    except psycopg.Error as exc:
        sys.exit(f"PostgreSQL does not answer at {admin_url}: {exc}")


def prepare(env: dict[str, str]) -> None:
    subprocess.run([*MANAGE, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run([*MANAGE, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    if env.get("SERVE_DEMO", "1") == "1":
        empty = subprocess.run(
            [
                *MANAGE,
                "shell",
                "--no-imports",
                "-c",
                "from faireavec.organisations.models import Organisation;"
                "print(int(not Organisation.objects.exists()))",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if empty == "1":
            subprocess.run([*MANAGE, "demo"], env=env, check=True)


def commands(env: dict[str, str]) -> list[tuple[str, list[str]]]:
    cores = os.cpu_count() or 1
    web_workers = env.get("WEB_WORKERS", str(2 * cores + 1))
    started = [
        (
            "web",
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                env["SERVE_ADDRESS"],
                "--workers",
                web_workers,
                "--access-logfile",
                "-",
                # One control socket per instance: several may run on one machine.
                "--no-control-socket",
                "--forwarded-allow-ips",
                env.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            ],
        )
    ]
    for number in range(int(env.get("TASK_WORKERS", "1"))):
        if env["TASKS_BACKEND"] == "rq":
            worker = [*MANAGE, "rqworker", "default", "--job-class", "django_tasks_rq.Job"]
        else:
            worker = [*MANAGE, "db_worker", "--interval", "1"]
        started.append((f"tasks-{number + 1}", worker))
    started.append(("scheduler", [*MANAGE, "scheduler"]))
    return started


def supervise(env: dict[str, str]) -> int:
    processes = []
    for name, command in commands(env):
        processes.append((name, subprocess.Popen(command, env=env, cwd=ROOT)))
        print(f"[serve] {name}: {' '.join(command[1:4])}… (pid {processes[-1][1].pid})")
    print(f"[serve] FaireAvec on http://{env['SERVE_ADDRESS']}/ — Ctrl-C stops everything.")

    def stop(*_):
        for _, process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(process.poll() is None for _, process in processes):
            time.sleep(1)
        for name, process in processes:
            if process.poll() is not None:
                print(f"[serve] {name} stopped (exit {process.returncode}); stopping the rest.")
                break
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for _, process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


def main() -> int:
    env = production_environment()
    ensure_services(env)
    prepare(env)
    return supervise(env)


if __name__ == "__main__":
    sys.exit(main())

"""Load test: the main pages under gunicorn (2 workers) against PostgreSQL, compared with a bare Django view.

    .venv/bin/python benchmarks/load.py [--scale 1|10|100] [--users 4] [--run-time 10s] [--workers 2]

Needs the `load` extra (`pip install -e ".[load]"`, done by `make load`) and PostgreSQL. Steps:
1. creates a throw-away database next to DATABASE_URL (default postgres://postgres@127.0.0.1:5432/),
   migrates, runs setup_demo and `generate_data --scale N` (prints how long generation took);
2. collects static files into a temporary folder and starts gunicorn with DEBUG off on a free loopback port,
   with the settings of `benchmarks/settings.py` (the app's, plus the bare view `/bench/bare/`);
3. logs in as the demo project leader through the login form and keeps the session cookie;
4. runs Locust headless against each page of a programme in the middle of the set in turn, for --run-time
   each with --users concurrent users that send the next request as soon as the last one answered, then
   against `/bench/bare/` the same way;
5. prints per page: requests/s, p50 and p95 in ms, errors, and p50 as a multiple of the bare view's p50.

Always stops gunicorn and drops the database at the end, also on Ctrl-C or an error. Exits non-zero when
any request failed (any answer other than 200 counts as failed).
"""

import argparse
import http.client
import http.cookies
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SEED_SLUG = "nordre-land-digitalisering"

# (label, path); {slug} is the programme in the middle of the generated set.
# The home page lists the programmes; with only one it redirects to it, so it is measured from scale 10 on.
HOME = ("Forside (programliste)", "/")
PAGES = [
    ("Program (oversikt)", "/program/{slug}/"),
    ("Hovedaktiviteter", "/program/{slug}/aktiviteter/"),
    ("Hovedaktivitet HA05", "/program/{slug}/aktiviteter/HA05/"),
    ("Forslag, side 1", "/program/{slug}/forslag/"),
    ("Forslag, filtrert", "/program/{slug}/forslag/?status=prioritised&sort=prioritet"),
    ("Risikoregister", "/program/{slug}/risiko/"),
    ("Gevinster", "/program/{slug}/gevinster/"),
    ("Milepæler", "/program/{slug}/milepaeler/"),
    ("Budsjett", "/program/{slug}/budsjett/"),
]
BARE = ("Bar Django-visning", "/bench/bare/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, choices=[1, 10, 100], default=10, help="N× Nordre Land (default 10)")
    parser.add_argument("--users", type=int, default=4, help="concurrent Locust users per page (default 4)")
    parser.add_argument("--run-time", default="10s", help="Locust run time per page, e.g. 10s or 1m (default 10s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--seed", type=int, default=2017, help="seed of the data generator (default 2017)")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
    database = f"portefolje_load_{os.getpid()}_{secrets.token_hex(3)}"
    tmp = Path(tempfile.mkdtemp(prefix="portefolje-load-"))
    env = server_env(base_url, database, tmp)
    server = None
    # SIGTERM (e.g. a CI timeout) goes through the same clean-up as Ctrl-C.
    signal.signal(signal.SIGTERM, interrupted)
    create_database(base_url, database)
    try:
        prepare(env, args.scale, args.seed)
        port = free_port()
        server = start_gunicorn(env, port, args.workers)
        host = f"http://127.0.0.1:{port}"
        cookie = login(port)
        slug = middle_slug(args.scale)
        pages = [(label, path.format(slug=slug)) for label, path in PAGES]
        if args.scale > 1:
            pages.insert(0, HOME)
        print(f"\nProgram under last: {slug} (av {args.scale}); {args.users} brukere, {args.run_time} per side\n")
        warm_up(port, cookie, [path for _label, path in [*pages, BARE]])
        results = {}
        for label, path in [*pages, BARE]:
            results[label] = run_locust(env, host, path, cookie, args, tmp)
            print(f"  {label:<24} {results[label]['rps']:>8.1f} req/s", flush=True)
        return report(results, [label for label, _path in pages])
    except KeyboardInterrupt:
        print("\nAvbrutt.", file=sys.stderr)
        return 130
    finally:
        stop(server)
        drop_database(base_url, database)
        shutil.rmtree(tmp, ignore_errors=True)


def interrupted(*_args):
    raise KeyboardInterrupt


def server_env(base_url: str, database: str, tmp: Path) -> dict:
    """Production settings (DEBUG off), adjusted only for plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}}  # embedded cache, eager tasks
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DATABASE_URL=with_database(base_url, database),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        VAR_DIR=str(tmp),  # static files are collected here and served by WhiteNoise
        # Plain HTTP on 127.0.0.1: no redirect to HTTPS, and cookies that a client sends over HTTP.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def with_database(base_url: str, database: str) -> str:
    parts = urllib.parse.urlsplit(base_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))


def admin_connection(base_url: str):
    return psycopg.connect(with_database(base_url, "postgres"), autocommit=True)


def create_database(base_url: str, database: str) -> None:
    with admin_connection(base_url) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')


def drop_database(base_url: str, database: str) -> None:
    try:
        with admin_connection(base_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    except psycopg.Error as error:
        print(f"Kunne ikke slette databasen {database}: {error}", file=sys.stderr)


def manage(env: dict, *command: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(command)} feilet:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare(env: dict, scale: int, seed: int) -> None:
    started = time.perf_counter()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "setup_demo", "--allow-production")
    prepared = time.perf_counter()
    out = manage(env, "generate_data", "--scale", str(scale), "--seed", str(seed), "--allow-production")
    generated = time.perf_counter()
    manage(env, "collectstatic", "--noinput", "-v0")
    print(out.rstrip())
    print(f"\nmigrate + setup_demo: {prepared - started:.1f} s")
    print(f"generate_data --scale {scale}: {generated - prepared:.1f} s (PostgreSQL)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,  # Ctrl-C reaches this script, which stops the server itself
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn startet ikke (se meldingene over).")
        try:
            status, _headers, _body = get(port, "/bench/bare/")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn svarte ikke innen 30 sekunder.")


def stop(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def get(port: int, path: str, cookie: str = "", method: str = "GET", body: str | None = None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        all_headers = {"Cookie": cookie} if cookie else {}
        all_headers.update(headers or {})
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies_from(headers) -> dict[str, str]:
    jar = http.cookies.SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {key: morsel.value for key, morsel in jar.items()}


def login(port: int) -> str:
    """Log in as the demo project leader through the login form; return the Cookie header of the session."""
    status, headers, body = get(port, "/accounts/login/")
    assert status == 200, f"login page: HTTP {status}"
    cookies = cookies_from(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"username": "leder", "password": "demo", "csrfmiddlewaretoken": token})
    status, headers, _body = get(
        port,
        "/accounts/login/",
        cookie=f"csrftoken={cookies['csrftoken']}",
        method="POST",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/"},
    )
    session = cookies_from(headers).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"Innlogging som «leder» feilet (HTTP {status}).")
    return f"sessionid={session}"


def middle_slug(scale: int) -> str:
    index = scale // 2 + 1
    return SEED_SLUG if index == 1 else f"generert-{index:03d}"


def warm_up(port: int, cookie: str, paths: list[str]) -> None:
    """One request per page first: templates compile and connections open outside the measurement,
    and a page that does not answer 200 stops the run before any load is put on it."""
    for path in paths:
        for _ in range(2):
            status, _headers, _body = get(port, path, cookie)
            if status != 200:
                raise SystemExit(f"{path} svarte HTTP {status} før lasttesten; avbryter.")


def run_locust(env: dict, host: str, path: str, cookie: str, args, tmp: Path) -> dict:
    output = tmp / "locust.json"
    output.unlink(missing_ok=True)
    locust_env = dict(env, BENCH_PATHS=path, BENCH_COOKIE=cookie, BENCH_OUTPUT=str(output))
    result = subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "--host",
            host,
            "-u",
            str(args.users),
            "-r",
            str(args.users),
            "--run-time",
            args.run_time,
            "--stop-timeout",
            "5",
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env=locust_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if not output.exists():
        raise SystemExit(f"Locust ga ingen resultater for {path}:\n{result.stdout}{result.stderr}")
    data = json.loads(output.read_text(encoding="utf-8"))
    times = sorted(t for values in data["times"].values() for t in values)
    errors = [e for values in data["errors"].values() for e in values]
    return {
        "requests": len(times),
        "rps": len(times) / data["seconds"] if data["seconds"] else 0.0,
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted values (ms)."""
    if not values:
        return float("nan")
    rank = max(1, -(-len(values) * p // 100))
    return values[int(rank) - 1]


def report(results: dict, page_labels: list[str]) -> int:
    bare = results[BARE[0]]
    print()
    print(f"{'side':<24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'feil':>6} {'p50 / bar':>10}")
    for label in [*page_labels, BARE[0]]:
        r = results[label]
        ratio = r["p50"] / bare["p50"] if bare["p50"] else float("nan")
        print(f"{label:<24} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['errors']:>6} {ratio:>9.1f}×")
    failed = {label: r for label, r in results.items() if r["errors"]}
    for label, r in failed.items():
        print(f"Feil på {label}: {r['errors']} (første: {r['first_error']})", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The `upward` command: every subcommand's help, and the demo end to end.

The demo test starts the real command in a subprocess (migrations, demo data,
collectstatic, granian) on a free port, and signs in through the login form
the way a browser would.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPResponse
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest

SUBCOMMANDS = [
    "demo",
    "serve",
    "migrate",
    "worker",
    "createadmin",
    "manage",
    "framework",
    "delta",
    "packet",
    "roadmap",
    "mentor",
    "seed",
]
LOGIN_LINE = re.compile(r"Log in as (\S+@\S+) with password '([^']+)'")


def upward_command() -> list[str]:
    """The installed `upward` script beside this Python, as `uv run upward` finds it."""
    script = Path(sys.executable).with_name("upward")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "upward.cli"]


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without UPWARD_* settings (CI sets a database URL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("UPWARD_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


def get(url: str, timeout: float = 10) -> HTTPResponse:
    """GET an http:// URL of the server under test."""
    assert url.startswith("http://127.0.0.1:")
    return urllib.request.urlopen(url, timeout=timeout)  # noqa: S310


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_upward_help_lists_every_subcommand():
    result = subprocess.run(
        [*upward_command(), "--help"], capture_output=True, text=True, timeout=60, env=clean_env()
    )
    assert result.returncode == 0, result.stderr
    for name in SUBCOMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_each_subcommand_explains_itself(name, tmp_path):
    # `manage --help` is Django's own help: it loads settings (no secret needed in debug).
    env = clean_env(UPWARD_DEBUG="1", UPWARD_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [*upward_command(), name, "--help"], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    if name == "manage":
        assert "Type 'upward manage help <subcommand>'" in result.stdout
    else:
        assert result.stdout.startswith(f"usage: upward {name}")


def test_a_settings_problem_is_one_clear_line_not_a_traceback(tmp_path):
    env = clean_env(UPWARD_DEBUG="maybe", UPWARD_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [*upward_command(), "migrate"], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 2
    assert "UPWARD_DEBUG='maybe' is not a yes/no value" in result.stderr
    assert "Traceback" not in result.stderr


@dataclass
class Demo:
    url: str
    output: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        return self.output.read_text(errors="replace")


def _wait_until_up(demo: Demo, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if demo.process.poll() is not None:
            pytest.fail(f"upward demo exited with {demo.process.returncode}:\n{demo.log()}")
        try:
            with get(demo.url + "healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"upward demo did not answer within {timeout:.0f}s:\n{demo.log()}")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Iterator[Demo]:
    """`upward demo` on a free port with a fresh data folder; stopped with SIGTERM."""
    folder = tmp_path_factory.mktemp("demo")
    port = free_port()
    output = folder / "demo.log"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [*upward_command(), "demo", "--port", str(port), "--data-dir", str(folder / "data")],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=clean_env(),
            cwd=folder,
        )
    running = Demo(url=f"http://127.0.0.1:{port}/", output=output, process=process)
    try:
        _wait_until_up(running, timeout=120)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.parametrize(
    "path", ["", "accounts/login/", "api/v1/openapi.json", "healthz"], ids=str.strip
)
def test_the_demo_serves_its_pages(demo, path):
    with get(demo.url + path) as response:
        assert response.status == 200


def test_the_demo_prints_how_to_log_in(demo):
    found = LOGIN_LINE.search(demo.log())
    assert found, demo.log()
    assert "data in" in demo.log()


def _csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "the login page has no CSRF token"
    return found.group(1)


def test_the_printed_demo_login_signs_in_to_the_dashboard(demo):
    found = LOGIN_LINE.search(demo.log())
    assert found, demo.log()
    email, password = found.groups()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    login_url = demo.url + "accounts/login/"
    with browser.open(login_url, timeout=10) as response:
        token = _csrf_token(response.read().decode())
    form = urlencode({"csrfmiddlewaretoken": token, "login": email, "password": password})
    request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1 of the demo)
        login_url, data=form.encode(), headers={"Referer": login_url}, method="POST"
    )
    # The login redirects to the dashboard; urllib follows it with the session cookie.
    with browser.open(request, timeout=10) as response:
        assert response.status == 200
        assert response.url == demo.url + "dashboard/", response.url
        assert "Dashboard" in response.read().decode()


def test_the_demo_stops_cleanly_on_sigterm(demo):
    # The module's last test: it stops the server the others used.
    demo.process.send_signal(signal.SIGTERM)
    assert demo.process.wait(timeout=30) == 0, demo.log()
    assert "Granian shutdown completed" in demo.log()
    assert demo.log().count("Log in as") == 1, "a forked worker repeated buffered output"


def test_loading_the_demo_twice_changes_nothing(db):
    from upward.accounts.models import ApiToken, Invitation, Membership, Team, User
    from upward.core.models import AuditEvent
    from upward.demo import load_demo
    from upward.frameworks.models import FrameworkVersion

    models = [User, Membership, Team, Invitation, ApiToken, AuditEvent, FrameworkVersion]
    people = load_demo()
    counts = {model.__name__: model.objects.count() for model in models}
    assert load_demo() == people
    assert {model.__name__: model.objects.count() for model in models} == counts


def test_createadmin_refuses_an_address_mail_cannot_be_sent_to(db, capsys):
    from upward.accounts.models import User
    from upward.cli import main

    assert main(["createadmin", "--email", "root@b.example\nBcc: x@y.example"]) == 1
    assert "one line" in capsys.readouterr().err
    assert not User.objects.exists()

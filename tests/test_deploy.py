"""A production configuration passes Django's deployment checklist, and a
server without a secret refuses to start, saying which variable is missing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path


def upward_command() -> list[str]:
    """The installed `upward` script beside this Python, as `uv run upward` finds it."""
    script = Path(sys.executable).with_name("upward")
    return [str(script)] if script.exists() else [sys.executable, "-m", "upward.cli"]


def clean_env(**settings: str) -> dict[str, str]:
    """The caller's environment with only the given UPWARD_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("UPWARD_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env | settings


def production_env(tmp_path, **overrides: str) -> dict[str, str]:
    """What an operator sets (README, "Running in production"), on a throwaway SQLite file."""
    env = clean_env(
        UPWARD_SECRET_KEY=secrets.token_urlsafe(50),
        UPWARD_DEBUG="0",
        UPWARD_TESTING="0",
        UPWARD_SITE_URL="https://upward.example.com",
        UPWARD_HTTPS="1",
        UPWARD_ALLOWED_HOSTS="upward.example.com",
        UPWARD_DATABASE_URL=f"sqlite:///{tmp_path / 'upward.sqlite3'}",
        UPWARD_DATA_DIR=str(tmp_path),
        # Django's deploy check refuses the console backend: production must send mail.
        UPWARD_EMAIL_URL="submission://upward:secret@mail.example.com:587",
    )
    env.update(overrides)
    return env


def run_upward(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*upward_command(), *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_a_production_configuration_passes_the_deploy_check(tmp_path):
    result = run_upward(
        "manage", "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_the_deploy_check_stays_clean_behind_a_proxy(tmp_path):
    env = production_env(tmp_path, UPWARD_BEHIND_PROXY="1")
    result = run_upward("manage", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_flags_a_production_site_that_cannot_send_mail(tmp_path):
    env = production_env(tmp_path, UPWARD_EMAIL_URL="console:")
    result = run_upward("manage", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 1
    assert "mail.E001" in result.stderr


def test_without_a_secret_key_and_debug_off_the_server_will_not_start(tmp_path):
    env = production_env(tmp_path)
    del env["UPWARD_SECRET_KEY"]
    result = run_upward("serve", "--port", "0", env=env)
    assert result.returncode == 2
    assert "UPWARD_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_secret_key_management_commands_refuse_too(tmp_path):
    env = production_env(tmp_path)
    del env["UPWARD_SECRET_KEY"]
    result = run_upward("manage", "check", env=env)
    assert result.returncode != 0
    assert "UPWARD_SECRET_KEY" in result.stderr

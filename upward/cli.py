"""The `upward` command: run the demo, serve, work the task queue, administer."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from upward.accounts.models import User


def _setup(data_dir: str | None = None) -> None:
    if data_dir:
        os.environ["UPWARD_DATA_DIR"] = str(Path(data_dir).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _prepare_database(*, verbose: bool) -> None:
    """Apply migrations and create the cache table; cheap when already done."""
    _manage("migrate", "--no-input", "-v", "1" if verbose else "0")
    _manage("createcachetable")


def cmd_demo(args: argparse.Namespace) -> int:
    """Create (or reuse) a local SQLite demo in the data folder and serve it."""
    started = time.monotonic()
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret_file = data_dir / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
        secret_file.chmod(0o600)
    os.environ.setdefault("UPWARD_SECRET_KEY", secret_file.read_text().strip())
    os.environ.setdefault("UPWARD_TASKS", "immediate")
    os.environ.setdefault("UPWARD_SITE_URL", f"http://127.0.0.1:{args.port}")
    os.environ.pop("UPWARD_DATABASE_URL", None)
    _setup(str(data_dir))
    print(f"Upward demo: data in {data_dir}")
    print("  preparing the database ...", flush=True)
    _prepare_database(verbose=False)
    _manage("collectstatic", "--no-input", "-v", "0")
    from upward.demo import DEMO_PASSWORD, load_demo

    people = load_demo(progress=lambda msg: print(f"  {msg}", flush=True))
    url = f"http://127.0.0.1:{args.port}/"
    print()
    print(f"Ready in {time.monotonic() - started:.1f}s. Open {url}")
    print(f"Log in as {people[0]} with password {DEMO_PASSWORD!r}")
    if len(people) > 1:
        print(f"  (also: {', '.join(people[1:])}; same password)")
    print("Emails (sign-up confirmations, invitations) are printed below. Ctrl+C stops.")
    # Flush before the server starts its workers, or each would inherit (and repeat) the buffer.
    print(flush=True)
    return _serve(port=args.port, host="127.0.0.1", workers=args.workers)


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve with granian (production); run `upward migrate` first."""
    _setup()
    return _serve(port=args.port, host=args.host, workers=args.workers)


def cmd_migrate(args: argparse.Namespace) -> int:
    """Apply database migrations and create the cache table (safe to repeat)."""
    _setup()
    _prepare_database(verbose=True)
    return 0


def _serve(*, port: int, host: str, workers: int) -> int:
    """Run granian (WSGI) in the foreground; Ctrl+C or SIGTERM stop it cleanly."""
    from django.db import connections
    from granian.constants import Interfaces
    from granian.server import Server

    # Worker processes must not share the connections the parent opened (the
    # demo migrates and loads data first); each opens its own on first use.
    connections.close_all()
    access_log = os.environ.get("UPWARD_ACCESS_LOG", "-")
    Server(
        "upward.wsgi:application",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=4,
        websockets=False,
        log_access=bool(access_log),
        log_dictconfig=_access_log_config(access_log),
        workers_kill_timeout=10,
    ).serve()
    return 0


def _access_log_config(access_log: str) -> dict[str, object] | None:
    """Granian's logging with the access log in a file, when UPWARD_ACCESS_LOG names one."""
    if access_log in ("", "-"):
        return None
    return {
        "handlers": {
            "console": {"formatter": "generic", "class": "logging.StreamHandler"},
            "access": {
                "formatter": "access",
                "class": "logging.FileHandler",
                "filename": access_log,
            },
        },
    }


def cmd_worker(args: argparse.Namespace) -> int:
    """Run queued background tasks (database backend)."""
    _setup()
    _manage("db_worker", *(["--batch"] if args.once else []))
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    """Create a site staff account (superuser) interactively or from flags."""
    _setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from upward.accounts.services import create_personal_organization
    from upward.core.errors import Invalid
    from upward.core.validators import email_address

    try:
        email = args.email or input("Email: ").strip()
        email = email_address(email)
        password = os.environ.get("UPWARD_ADMIN_PASSWORD") or _ask_password()
    except EOFError:
        print(
            "error: no terminal to ask on; pass --email and set UPWARD_ADMIN_PASSWORD",
            file=sys.stderr,
        )
        return 2
    except Invalid as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    User = get_user_model()
    if User.objects.filter(email__iexact=email).exists():
        print(f"error: a user with email {email} already exists", file=sys.stderr)
        return 1
    try:
        validate_password(password, User(email=email))
    except ValidationError as exc:
        print(f"error: {' '.join(exc.messages)}", file=sys.stderr)
        return 1
    user = User.objects.create_superuser(email=email, password=password)
    create_personal_organization(user=user)
    _mark_email_verified(user)
    print(f"Created site admin {email}.")
    return 0


def _ask_password() -> str:
    import getpass

    while True:
        first = getpass.getpass("Password: ")
        if len(first) >= 8 and first == getpass.getpass("Password (again): "):
            return first
        print("Passwords must match and have at least 8 characters.", file=sys.stderr)


def _mark_email_verified(user: User) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def cmd_manage(args: argparse.Namespace) -> int:
    """Pass the rest of the line to Django's manage.py."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upward.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["upward manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="upward",
        description="Upward: competency-based career growth.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="set up a local demo (SQLite, demo data) and serve it",
        description=cmd_demo.__doc__,
    )
    demo.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    demo.add_argument("--data-dir", default="data", help="folder for the database (default ./data)")
    demo.add_argument("--workers", type=int, default=2, help="server processes (default 2)")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser(
        "serve", help="serve with granian (production)", description=cmd_serve.__doc__
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="server processes (default 2 x cores + 1)",
    )
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser(
        "migrate",
        help="prepare the database (migrations, cache table)",
        description=cmd_migrate.__doc__,
    )
    migrate.set_defaults(func=cmd_migrate)

    worker = sub.add_parser("worker", help="run background tasks", description=cmd_worker.__doc__)
    worker.add_argument("--once", action="store_true", help="run what is queued, then exit")
    worker.set_defaults(func=cmd_worker)

    admin = sub.add_parser(
        "createadmin", help="create a site staff account", description=cmd_createadmin.__doc__
    )
    admin.add_argument("--email", help="email address (asked when left out)")
    admin.set_defaults(func=cmd_createadmin)

    manage = sub.add_parser(
        "manage",
        help="run a Django management command",
        description=cmd_manage.__doc__,
        add_help=False,
    )
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    from upward.frameworks.cli import add_commands as add_framework_commands

    add_framework_commands(sub, lambda: _setup())
    from upward.assessments.cli import add_commands as add_delta_commands

    add_delta_commands(sub)
    from upward.evidence.cli import add_commands as add_packet_commands

    add_packet_commands(sub, lambda: _setup())
    from upward.roadmaps.cli import add_commands as add_roadmap_commands

    add_roadmap_commands(sub)
    from upward.mentorship.cli import add_commands as add_mentor_commands

    add_mentor_commands(sub)
    from upward.insights.cli import add_commands as add_seed_commands

    add_seed_commands(sub, lambda: _setup(), lambda: _prepare_database(verbose=False))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv[:1] == ["manage"]:
        # Everything after `manage` is Django's, options first included
        # (argparse would claim `upward manage --help` for itself).
        args = argparse.Namespace(func=cmd_manage, rest=argv[1:])
    else:
        args = parser.parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        return int(args.func(args))
    except ImproperlyConfigured as exc:
        # A settings problem (missing secret, bad UPWARD_* value): the message
        # names the variable, a traceback would only hide it.
        print(f"upward: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

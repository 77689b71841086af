"""Framework import and rendering at scale, and the matrix page's query count.

    uv run python bench/frameworks.py

Times reading, storing and rendering the largest real framework in ../shared
(when present) and a synthetic one of 80 competencies x 24 levels; counts the
queries of the framework matrix page for a small and the large framework (the
count must not grow with size).
"""

from __future__ import annotations

from pathlib import Path

from _setup import SHARED, best_of, counting_queries, django_on_a_fresh_database, table


def synthetic(competencies: int, levels: int) -> dict:
    return {
        "key": f"synthetic-{competencies}x{levels}",
        "name": f"Synthetic {competencies}x{levels}",
        "areas": [{"key": f"a{i}", "name": f"Area {i}"} for i in range(8)],
        "competencies": [
            {"key": f"c{i}", "name": f"Competency {i}", "area": f"a{i % 8}", "kind": "skill"}
            for i in range(competencies)
        ],
        "tracks": [
            {
                "key": "ic",
                "name": "IC",
                "levels": [
                    {"key": f"l{j}", "code": f"L{j}", "title": f"Level {j}", "rank": j}
                    for j in range(levels)
                ],
            }
        ],
        "expectations": [
            {
                "competency": f"c{i}",
                "level": f"l{j}",
                "summary": f"What competency {i} looks like at level {j}, in a sentence or two.",
                "signals": [f"signal {i}.{j}.{k}" for k in range(3)],
                "examples": [f"example {i}.{j}"],
            }
            for i in range(competencies)
            for j in range(levels)
        ],
    }


def largest_shared() -> Path | None:
    if not SHARED.is_dir():
        return None
    files = [
        p
        for p in SHARED.rglob("*")
        if p.is_file()
        and p.suffix in {".js", ".yml", ".json", ".md"}
        and "schema" not in p.name
        and p.name != "README.md"
    ]
    return max(files, key=lambda p: p.stat().st_size, default=None)


def main() -> None:
    django_on_a_fresh_database()
    import yaml
    from django.test import Client

    from upward.accounts.models import Membership, Organization, Role, User
    from upward.engine import formats
    from upward.frameworks import services
    from upward.frameworks.documents import validate_document

    org = Organization.objects.create(name="Bench Co", slug="bench")
    admin = User.objects.create_user(email="admin@bench.test", password=None)
    Membership.objects.create(organization=org, user=admin, role=Role.ADMIN)
    rows = [("input", "size", "read", "store (import)", "markdown", "html matrix")]

    inputs: list[tuple[str, bytes]] = []
    shared = largest_shared()
    if shared is not None:
        inputs.append((shared.name, shared.read_bytes()))
    big = validate_document(synthetic(80, 24))
    inputs.append(("synthetic 80x24 (yaml)", formats.write(big, "yaml")))
    versions = {}
    for name, data in inputs:
        read_ms, result = best_of(5, lambda n=name, d=data: formats.read_any(d, n))
        store_ms, version = best_of(
            1,
            lambda n=name, d=data: services.import_framework(
                files={n: d}, organization=org, by=admin
            ),
        )
        services.publish_version(version=version, by=admin)
        versions[name] = version
        md_ms, _ = best_of(5, lambda r=result: formats.write(r.framework, "markdown"))
        html_ms, _ = best_of(5, lambda r=result: formats.write(r.framework, "html"))
        rows.append(
            (
                name,
                f"{len(data) / 1024:.0f} KiB",
                f"{read_ms:.0f} ms",
                f"{store_ms:.0f} ms",
                f"{md_ms:.0f} ms",
                f"{html_ms:.0f} ms",
            )
        )
    print(table(rows))

    small = services.create_version(
        document=validate_document(yaml.safe_load(synthetic_small())), organization=org, by=admin
    )
    services.publish_version(version=small, by=admin)
    client = Client()
    client.force_login(admin)
    print()
    page_rows = [("framework", "competencies x levels", "matrix page queries", "time")]
    for label, version, size in (
        ("small", small, "3x3"),
        ("synthetic", versions[inputs[-1][0]], "80x24"),
    ):
        url = f"/frameworks/{version.framework_id}/"
        client.get(url)  # warm the parsed-document cache like a running server
        with counting_queries() as n:
            response = client.get(url)
        ms, _ = best_of(3, lambda u=url: client.get(u))
        page_rows.append((label, size, f"{n[0]} (HTTP {response.status_code})", f"{ms:.0f} ms"))
    print(table(page_rows))


def synthetic_small() -> str:
    import yaml

    return yaml.safe_dump(synthetic(3, 3))


if __name__ == "__main__":
    main()

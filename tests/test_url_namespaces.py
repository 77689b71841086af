"""Each app's pages live in a URL namespace named after the app ("frameworks:framework_list")."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse


def _app_resolvers() -> list[URLResolver]:
    return [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver)
        and getattr(entry.urlconf_module, "__name__", "").startswith("upward.")
    ]


def test_every_app_mounts_its_pages_under_its_own_namespace():
    resolvers = _app_resolvers()
    assert len(resolvers) >= 3
    for resolver in resolvers:
        module = resolver.urlconf_module.__name__
        app = module.split(".")[1]
        # An app's second routes module (urls_calendar) adds its suffix: roadmaps_calendar.
        expected = app + module.rsplit(".", 1)[1].removeprefix("urls")
        assert resolver.namespace == expected, f"{module} needs app_name {expected!r}"


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("accounts:org_list", [], "/orgs/"),
        ("accounts:org_detail", ["acme"], "/orgs/acme/"),
        ("assessments:my_delta", [], "/growth/"),
        ("assessments:placement_delta", [7], "/growth/placement/7/"),
        ("frameworks:framework_list", [], "/frameworks/"),
        ("frameworks:framework_version", [3, 2], "/frameworks/3/v/2/"),
        ("home", [], "/"),
        ("dashboard", [], "/dashboard/"),
    ],
)
def test_names_are_namespaced_and_paths_are_unchanged(name, args, path):
    assert reverse(name, args=args) == path


@pytest.mark.parametrize("name", ["org_list", "my_delta", "framework_list"])
def test_an_app_page_is_not_reachable_by_its_bare_name(name):
    with pytest.raises(NoReverseMatch):
        reverse(name)

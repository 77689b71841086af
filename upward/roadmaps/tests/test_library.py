"""The built-in template library: every file valid, every objective specific on its own,
the coverage the issue asks for, and a loader that names the file and field at fault."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from upward.core.errors import Invalid
from upward.roadmaps.library import (
    LIBRARY_DIR,
    LibraryError,
    builtin_frameworks,
    check_title,
    library_files,
    load_library,
    read_file,
    read_library,
    stored_key,
    validate_objectives,
)
from upward.roadmaps.models import RoadmapTemplate, TemplateStatus

FRAMEWORKS = builtin_frameworks()
FILES = library_files()
SOFTWARE = "software-engineering"
IC_TRANSITIONS = [(f"ic{n}", f"ic{n + 1}") for n in range(2, 8)]  # ic2 -> ic3 ... ic7 -> ic8
EM_TRANSITIONS = [("em1", "em2"), ("em2", "em3")]


def name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.fixture(scope="module")
def library():
    return [read_file(path, FRAMEWORKS) for path in FILES]


@pytest.mark.parametrize("path", FILES, ids=name)
def test_every_built_in_file_loads(path):
    content = read_file(path, FRAMEWORKS)
    assert content.templates


@pytest.mark.parametrize("path", FILES, ids=name)
def test_every_objective_of_every_built_in_template_is_specific_on_its_own(path):
    content = read_file(path, FRAMEWORKS)
    failures = []
    for template in content.templates:
        for i, objective in enumerate(template.objectives):
            check = check_title(objective.title, competency=content.competency)
            if not check.specific:
                failures.append(f"{template.key} objectives[{i}] missing {check.missing}")
    assert not failures, failures


@pytest.mark.parametrize("path", FILES, ids=name)
def test_every_milestone_falls_inside_its_objective_and_template(path):
    for template in read_file(path, FRAMEWORKS).templates:
        for objective in template.objectives:
            assert objective.timebox_weeks <= template.duration_weeks, template.key
            weeks = [m.week for m in objective.milestones]
            assert weeks == sorted(weeks), template.key
            assert weeks[-1] <= objective.timebox_weeks, template.key


def test_the_whole_library_reads_with_keys_unique_across_frameworks():
    files = read_library()
    keys = [stored_key(f.framework, t.key) for f in files for t in f.templates]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("competency", [c.key for c in FRAMEWORKS[SOFTWARE].competencies], ids=str)
def test_every_software_engineering_competency_has_every_transition_from_ic2_and_em1(
    library, competency
):
    have = {
        (t.from_step, t.to_step)
        for f in library
        if f.framework == SOFTWARE and f.competency == competency
        for t in f.templates
    }
    missing = [pair for pair in IC_TRANSITIONS + EM_TRANSITIONS if pair not in have]
    assert not missing, f"{competency}: no template for {missing}"


@pytest.mark.parametrize("framework", sorted(set(FRAMEWORKS) - {SOFTWARE}))
def test_every_other_built_in_framework_has_at_least_one_transition(library, framework):
    assert any(f.framework == framework and f.templates for f in library), framework


def test_every_template_moves_one_step_up_a_track_of_its_framework(library):
    for f in library:
        doc = FRAMEWORKS[f.framework]
        for t in f.templates:
            steps = [s.key for s in doc.steps(f.competency, t.track)]
            assert steps.index(t.to_step) > steps.index(t.from_step), t.key


# --- The loader ----------------------------------------------------------------------------------


def copy_of(path: Path, into: Path, **changes) -> Path:
    """A library folder in `into` holding one file, its first template changed."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["templates"] = data["templates"][:1]
    data["templates"][0].update(changes)
    target = into / path.parent.name / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(data), encoding="utf-8")
    return target


def a_software_file() -> Path:
    return next(p for p in FILES if p.parent.name == SOFTWARE)


def test_loading_publishes_new_templates_and_writes_again_only_what_changed(db, tmp_path):
    path = copy_of(a_software_file(), tmp_path)
    assert load_library(directory=tmp_path) == 1
    template = RoadmapTemplate.objects.get()
    assert (template.status, template.organization, template.author_name) == (
        TemplateStatus.PUBLISHED,
        None,
        "Upward library",
    )
    assert load_library(directory=tmp_path) == 0
    copy_of(a_software_file(), tmp_path, title="A new name for the plan")
    assert load_library(directory=tmp_path) == 1
    template.refresh_from_db()
    assert template.title == "A new name for the plan"
    path.unlink()
    assert load_library(directory=tmp_path) == 0
    template.refresh_from_db()
    assert template.status == TemplateStatus.ARCHIVED


def test_the_real_library_loads_into_the_database(db):
    total = sum(len(f.templates) for f in read_library())
    assert load_library() == total
    assert RoadmapTemplate.objects.filter(status=TemplateStatus.PUBLISHED).count() == total


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"to_step": "ic99"}, "templates[0].to_step"),
        ({"from_step": "em1", "track": "ic"}, "templates[0].from_step"),
        ({"track": "sales"}, "templates[0].track"),
        ({"duration_weeks": 2}, "templates[0].duration_weeks"),
        ({"evidence": ["only one"]}, "templates[0].evidence"),
        ({"objectives": []}, "templates[0].objectives"),
        ({"surprise": 1}, "templates[0].surprise"),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_field(db, tmp_path, changes, where):
    path = copy_of(a_software_file(), tmp_path, **changes)
    with pytest.raises(LibraryError) as error:
        load_library(directory=tmp_path)
    assert f"{SOFTWARE}/{path.name}" in str(error.value)
    assert where in str(error.value)
    assert not RoadmapTemplate.objects.exists()


def test_a_file_must_sit_under_its_framework_and_competency(tmp_path):
    path = copy_of(a_software_file(), tmp_path)
    moved = path.with_name("not-this-one.yaml")
    path.rename(moved)
    with pytest.raises(LibraryError, match="competency"):
        read_library(tmp_path)


def test_a_file_that_is_not_yaml_is_named(tmp_path):
    broken = tmp_path / SOFTWARE / "delivery.yaml"
    broken.parent.mkdir()
    broken.write_text("framework: [unclosed", encoding="utf-8")
    with pytest.raises(LibraryError, match=f"{SOFTWARE}/delivery.yaml: not valid YAML"):
        read_library(tmp_path)


def test_template_objectives_name_the_bad_field():
    good = {"title": "Ship it with the team in six weeks", "timebox_weeks": 6}
    with pytest.raises(Invalid) as error:
        validate_objectives([good, {**good, "timebox_weeks": 0}])
    assert error.value.field == "objectives[1].timebox_weeks"
    with pytest.raises(Invalid) as error:
        validate_objectives([{**good, "milestones": [{"title": "Late", "week": 9}]}])
    assert error.value.field == "objectives[0].milestones"
    with pytest.raises(Invalid) as error:
        validate_objectives([])
    assert error.value.field == "objectives"


def test_the_library_folder_is_where_the_loader_looks():
    assert LIBRARY_DIR.is_dir()
    assert all(p.is_relative_to(LIBRARY_DIR) for p in FILES)


def test_the_command_loads_the_library_and_reports_a_bad_file(db, tmp_path):
    out = StringIO()
    call_command("load_roadmap_library", stdout=out)
    assert "in the library" in out.getvalue()
    copy_of(a_software_file(), tmp_path, to_step="ic99")
    with pytest.raises(CommandError, match="to_step"):
        call_command("load_roadmap_library", directory=str(tmp_path), stdout=StringIO())

"""Importing uploaded framework files: a draft with warnings, or nothing at all."""

from __future__ import annotations

import pytest

from upward.core.errors import Invalid
from upward.engine.formats import write
from upward.frameworks import services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import Framework, FrameworkVersion, VersionStatus
from upward.frameworks.tests.factories import small_document


def yaml_bytes(**changes) -> bytes:
    return write(validate_document(small_document(**changes)), "yaml")


def test_an_upward_yaml_file_imports_as_a_draft(acme, ada):
    version = services.import_framework(
        files={"ladder.yaml": yaml_bytes()}, organization=acme, by=ada
    )
    assert version.status == VersionStatus.DRAFT
    assert version.source_name == "ladder.yaml"
    assert version.source_format
    assert version.document == validate_document(small_document()).to_dict()


def test_a_csv_export_imports_back_to_the_same_document(acme, ada):
    csv = write(validate_document(small_document()), "csv")
    version = services.import_framework(files={"ladder.csv": csv}, organization=acme, by=ada)
    assert version.content_hash == validate_document(small_document()).content_hash()


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("empty.yaml", b"   \n", "empty"),
        ("junk.bin", bytes(range(256)) * 4, "binary data"),
        ("zip.yaml", b"PK\x03\x04rest-of-zip", "ZIP"),
        ("cut.yaml", yaml_bytes()[:200], "cut.yaml"),
    ],
)
def test_bad_files_are_refused_with_located_errors_and_nothing_is_written(
    acme, ada, name, data, fragment
):
    with pytest.raises(Invalid) as raised:
        services.import_framework(files={name: data}, organization=acme, by=ada)
    assert raised.value.issues, "every error comes with its place"
    assert fragment.lower() in (raised.value.message + str(raised.value.issues)).lower()
    assert not Framework.objects.exists()
    assert not FrameworkVersion.objects.exists()


def test_an_unknown_reference_names_its_line(acme, ada):
    text = yaml_bytes().decode().replace("area: craft", "area: craftsmanship")
    with pytest.raises(Invalid) as raised:
        services.import_framework(files={"f.yaml": text.encode()}, organization=acme, by=ada)
    [issue] = raised.value.issues
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "craftsmanship" in t)
    assert issue["path"].startswith(f"f.yaml:{line} ")
    assert "craftsmanship" in issue["message"]


def test_an_oversized_upload_is_refused(acme, ada):
    huge = b"key: x\n" + b"#" * (51 * 1024 * 1024)
    with pytest.raises(Invalid, match="larger than"):
        services.import_framework(files={"big.yaml": huge}, organization=acme, by=ada)
    assert not FrameworkVersion.objects.exists()

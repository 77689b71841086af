"""Profile photos: only real JPEG, PNG and WebP pictures of at most 5 MB and 25 megapixels
are kept, re-drawn as a 256 x 256 WebP without metadata; people in the person's
organizations see it, nobody else does; a refused file changes nothing."""

from __future__ import annotations

import json
import random
import struct
import zlib
from io import BytesIO
from typing import cast

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from upward.accounts import access, photos, services
from upward.accounts.models import Membership, ProfilePhoto, User
from upward.core.errors import Invalid
from upward.core.models import AuditEvent
from upward.core.uploads import UploadTooLarge
from upward.testing import client_for, page

PROFILE = "/settings/profile/"
UPLOAD = "/settings/profile/photo/"
REMOVE = "/settings/profile/photo/remove/"
API = "/api/v1/me/profile/photo"


def picture(fmt: str = "PNG", size: tuple[int, int] = (640, 480), **save: object) -> bytes:
    """A picture: left half red, right half blue, so the crop can be checked."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    out = BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int, height: int) -> bytes:
    """A valid PNG header claiming `width` x `height` grey pixels, with a few KB of data.

    Decoded, it would take width * height bytes; the rows are never all written here.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\0" * (width + 1) * 64, 9)  # the first 64 rows, all black
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def jpeg_with_gps() -> bytes:
    """A JPEG carrying EXIF: a camera, a date and a place, turned by Orientation 6."""
    exif = Image.Exif()
    exif[0x010F] = "Phone Maker"  # Make
    exif[0x0132] = "2026:11:30 08:15:00"  # DateTime
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS latitude
    return picture("JPEG", exif=exif.tobytes())


def _reddish(image: Image.Image, xy: tuple[int, int]) -> bool:
    red, _green, blue = cast(tuple[int, int, int], image.convert("RGB").getpixel(xy))
    return red > blue


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- what is kept ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_a_picture_is_kept_as_a_256_pixel_square_webp(fmt):
    kept = photos.square_photo(picture(fmt, size=(900, 300)))
    with Image.open(BytesIO(kept)) as image:
        assert (image.format, image.size) == ("WEBP", (256, 256))
        # The centre square of a wide picture: red on the left, blue on the right.
        assert _reddish(image, (10, 128))
        assert not _reddish(image, (245, 128))


def test_metadata_is_dropped_and_the_picture_turned_upright():
    original = jpeg_with_gps()
    with Image.open(BytesIO(original)) as image:
        assert image.getexif()[0x010F] == "Phone Maker"
    kept = photos.square_photo(original)
    with Image.open(BytesIO(kept)) as image:
        # Orientation 6 turns the picture a quarter clockwise: its red left half is on top.
        assert _reddish(image, (128, 10))
        assert not _reddish(image, (128, 245))
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert "xmp" not in image.info
        assert "icc_profile" not in image.info
    assert b"Phone Maker" not in kept
    assert b"2026:11:30" not in kept


def test_transparency_survives_in_the_kept_photo():
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    out = BytesIO()
    image.save(out, format="PNG")
    with Image.open(BytesIO(photos.square_photo(out.getvalue()))) as kept:
        assert kept.mode == "RGBA"
        assert kept.getpixel((128, 128))[3] == 0  # type: ignore[index]


# --- what is refused ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Dear all, minutes of the meeting...\n" * 10, "photo: not an image"),
        (b"", "photo: the file is empty"),
        (picture("GIF"), "photo: not an image"),
        (picture("BMP"), "photo: not an image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "photo: not an image"),
        (picture("PNG")[:200], "photo: the picture is damaged"),
        (picture("JPEG")[:300], "photo: the picture is damaged"),
        (png_bomb(6_000, 6_000), "photo: more than 25 megapixels"),
        (png_bomb(100_000, 100_000), "photo: more than 25 megapixels"),
        (b"\0" * (photos.MAX_PHOTO_BYTES + 1), "photo: larger than 5 MB"),
    ],
    ids=["text", "empty", "gif", "bmp", "svg", "cut-png", "cut-jpeg", "bomb", "huge-bomb", "big"],
)
def test_a_file_that_is_not_a_usable_picture_is_refused_by_name(data, message):
    with pytest.raises(Invalid, match=message) as refused:
        photos.square_photo(data)
    assert refused.value.field == "photo"


# Pillow warns about the EXIF blocks the flips damage; the picture is still judged.
@pytest.mark.filterwarnings("ignore:.*:UserWarning:PIL")
def test_damaged_pictures_are_refused_by_name_and_never_crash():
    rng = random.Random(20261202)
    originals = [picture("PNG", size=(64, 48)), picture("WEBP", size=(64, 48)), jpeg_with_gps()]
    refusals: list[Invalid] = []
    kept: list[bytes] = []
    for _ in range(300):
        data = bytearray(rng.choice(originals))
        for _flip in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            kept.append(photos.square_photo(bytes(data)))
        except Invalid as refused:  # anything else fails the test
            refusals.append(refused)
    assert refusals  # both paths were taken
    assert kept
    assert {(r.field, r.message[:7]) for r in refusals} == {("photo", "photo: ")}
    assert {image[:4] for image in kept} == {b"RIFF"}


def test_a_bomb_is_refused_from_its_header_without_decoding_it(monkeypatch):
    def no_decoding(*_args, **_kwargs):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr(Image.Image, "convert", no_decoding)
    with pytest.raises(Invalid, match="more than 25 megapixels"):
        photos.square_photo(png_bomb(6_000, 6_000))


def test_the_upload_handler_refuses_a_declared_length_before_reading_anything():
    handler = photos.PhotoUploadHandler()
    too_long = photos.MAX_PHOTO_BYTES + 512 * 1024
    with pytest.raises(UploadTooLarge, match="photo: larger than 5 MB"):
        handler.handle_raw_input(None, {}, too_long, "boundary")


def test_the_upload_handler_counts_the_bytes_as_they_stream():
    handler = photos.PhotoUploadHandler()
    handler.handle_raw_input(None, {}, 1000, "boundary")  # a length that lies
    chunk = b"x" * (1024 * 1024)
    for start in range(5):
        assert handler.receive_data_chunk(chunk, start * len(chunk)) == chunk
    with pytest.raises(UploadTooLarge, match="photo: larger than 5 MB"):
        handler.receive_data_chunk(b"x", 5 * len(chunk))


# --- the profile page --------------------------------------------------------------


def test_uploading_a_photo_shows_it_instead_of_the_initials(as_alice, alice):
    response = as_alice.post(UPLOAD, {"photo": upload("me.jpg", jpeg_with_gps(), "image/jpeg")})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert len(alice.photo_version) == 16
    profile = page(as_alice, PROFILE)
    assert f'src="/people/{alice.pk}/photo/?v={alice.photo_version}"' in profile.html
    assert f">{alice.initials}</text>" not in profile.html
    assert "Replace photo" in profile.words
    assert "Photo saved." in profile.words
    event = AuditEvent.objects.get(code="account.profile.updated")
    assert event.data == {"fields": ["photo"]}


def test_replacing_a_photo_changes_its_version_and_keeps_one_row(as_alice, alice):
    as_alice.post(UPLOAD, {"photo": upload("a.png", picture("PNG"))})
    alice.refresh_from_db()
    first = alice.photo_version
    as_alice.post(UPLOAD, {"photo": upload("b.png", picture("PNG", size=(200, 600)))})
    alice.refresh_from_db()
    assert alice.photo_version not in ("", first)
    assert ProfilePhoto.objects.filter(user=alice).count() == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.png", b"just some text, renamed\n" * 20, "photo: not an image"),
        ("bomb.png", png_bomb(6_000, 6_000), "photo: more than 25 megapixels"),
        ("cut.png", picture("PNG")[:200], "photo: the picture is damaged"),
    ],
)
def test_a_bad_file_is_refused_under_the_photo_field_and_the_old_photo_stays(
    as_alice, alice, name, data, message
):
    as_alice.post(UPLOAD, {"photo": upload("a.png", picture("PNG"))})
    alice.refresh_from_db()
    before = (alice.photo_version, bytes(ProfilePhoto.objects.get(user=alice).image))
    events = AuditEvent.objects.count()

    response = as_alice.post(UPLOAD, {"photo": upload(name, data)})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_photo_error"' in html
    assert message in html
    alice.refresh_from_db()
    assert (alice.photo_version, bytes(ProfilePhoto.objects.get(user=alice).image)) == before
    assert AuditEvent.objects.count() == events


def test_an_oversized_upload_is_refused_on_the_page_and_nothing_is_kept(as_alice, alice):
    big = picture("PNG") + b"\0" * photos.MAX_PHOTO_BYTES  # trailing bytes past the limit
    response = as_alice.post(UPLOAD, {"photo": upload("big.png", big)})
    assert response.status_code == 413
    html = response.content.decode()
    assert 'id="id_photo_error"' in html
    assert "photo: larger than 5 MB" in html
    alice.refresh_from_db()
    assert alice.photo_version == ""
    assert not ProfilePhoto.objects.exists()


def test_the_upload_still_needs_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(UPLOAD, {"photo": upload("a.png", picture("PNG"))})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.photo_version == ""


def test_removing_the_photo_brings_the_initials_back(as_alice, alice):
    as_alice.post(UPLOAD, {"photo": upload("a.png", picture("PNG"))})
    alice.refresh_from_db()
    url = f"/people/{alice.pk}/photo/"
    assert as_alice.get(url).status_code == 200

    assert as_alice.post(REMOVE).status_code == 302
    alice.refresh_from_db()
    assert alice.photo_version == ""
    assert not ProfilePhoto.objects.exists()
    assert f">{alice.initials}</text>" in page(as_alice, PROFILE).html
    assert as_alice.get(url).status_code == 404
    assert AuditEvent.objects.filter(code="account.profile.updated").count() == 2


def test_removing_when_there_is_no_photo_changes_and_records_nothing(as_alice, alice):
    assert as_alice.post(REMOVE).status_code == 302
    assert not AuditEvent.objects.filter(code="account.profile.updated").exists()


def test_getting_the_action_urls_leads_back_to_the_profile(as_alice):
    assert as_alice.get(UPLOAD)["Location"] == PROFILE
    assert as_alice.get(REMOVE)["Location"] == PROFILE


# --- who sees it -------------------------------------------------------------------


@pytest.fixture
def alice_photo(alice) -> User:
    return services.set_photo(user=alice, data=picture("PNG"))


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("alice", 200), ("bob", 200), ("maya", 200), ("eve", 404), (None, 404)],
)
def test_the_photo_is_for_the_person_and_their_organizations_only(
    request, alice_photo, maya, eve, viewer, status
):
    client = client_for(request.getfixturevalue(viewer)) if viewer else Client()
    response = client.get(f"/people/{alice_photo.pk}/photo/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/webp"
        assert response.content[:4] == b"RIFF"


def test_someone_who_left_the_organization_no_longer_sees_the_photo(alice_photo, maya, acme):
    as_maya = client_for(maya)
    url = f"/people/{alice_photo.pk}/photo/"
    assert as_maya.get(url).status_code == 200
    Membership.objects.filter(organization=acme, user=maya).delete()
    assert as_maya.get(url).status_code == 404


def test_a_person_without_a_photo_and_a_missing_person_both_answer_404(as_bob, bob, alice):
    assert as_bob.get(f"/people/{alice.pk}/photo/").status_code == 404
    assert as_bob.get("/people/999999/photo/").status_code == 404


def test_the_photo_is_cached_by_version_and_answers_304_to_its_etag(
    as_bob, alice_photo, django_assert_num_queries
):
    url = f"/people/{alice_photo.pk}/photo/"
    versioned = as_bob.get(f"{url}?v={alice_photo.photo_version}")
    assert versioned["ETag"] == f'"{alice_photo.photo_version}"'
    assert versioned["Cache-Control"] == "private, max-age=31536000, immutable"
    assert as_bob.get(url)["Cache-Control"] == "private, no-cache"
    # 1 the session, 2 its user, 3 the owner and whether they share an organization
    with django_assert_num_queries(3):
        again = as_bob.get(url, headers={"If-None-Match": versioned["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    # ... and 4 the photo's bytes, when the browser doesn't have them yet.
    with django_assert_num_queries(4):
        assert as_bob.get(url).status_code == 200
    head = as_bob.head(url)
    assert (head.status_code, head["ETag"], head.content) == (200, versioned["ETag"], b"")


def test_team_and_member_lists_show_the_photo(as_bob, alice_photo, acme, platform):
    img = f'src="/people/{alice_photo.pk}/photo/?v={alice_photo.photo_version}"'
    assert img in page(as_bob, f"/orgs/{acme.slug}/").html
    assert img in page(as_bob, f"/orgs/{acme.slug}/teams/{platform.pk}/").html


def test_a_signed_link_opens_the_photo_until_it_changes(alice_photo, bob):
    token = access.photo_link(alice_photo)
    link = f"/people/photo/{token}/"
    assert Client().get(link).status_code == 200
    # Another person's id under Alice's signature, and a signature changed by one letter.
    payload, rest = token.split(":", 1)
    other = signing.b64_encode(json.dumps([bob.pk, alice_photo.photo_version]).encode()).decode()
    assert Client().get(f"/people/photo/{other}:{rest}/").status_code == 404
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert Client().get(f"/people/photo/{flipped}/").status_code == 404
    assert payload != other
    services.set_photo(user=alice_photo, data=picture("PNG", size=(64, 64)))
    assert Client().get(link).status_code == 404
    assert Client().get("/people/photo/not-a-token/").status_code == 404


# --- API ---------------------------------------------------------------------------


def test_the_api_uploads_shows_and_removes_the_photo(as_alice, alice):
    response = as_alice.post(API, {"photo": upload("me.webp", picture("WEBP"), "image/webp")})
    assert response.status_code == 200, response.content
    alice.refresh_from_db()
    url = f"/people/{alice.pk}/photo/?v={alice.photo_version}"
    assert response.json()["photo_url"] == url
    assert as_alice.get("/api/v1/me/profile").json()["photo_url"] == url
    assert as_alice.get(url).status_code == 200

    assert as_alice.delete(API).status_code == 204
    assert as_alice.get("/api/v1/me/profile").json()["photo_url"] is None


def test_the_api_names_a_bad_file_and_keeps_nothing(as_alice, alice):
    response = as_alice.post(API, {"photo": upload("notes.png", b"plain text\n" * 50)})
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert body["message"].startswith("photo: not an image")
    assert body["fields"] == [{"path": "body.photo", "message": body["message"]}]
    alice.refresh_from_db()
    assert alice.photo_version == ""


def test_the_api_refuses_an_oversized_upload_with_413(as_alice, alice):
    big = picture("PNG") + b"\0" * photos.MAX_PHOTO_BYTES
    response = as_alice.post(API, {"photo": upload("big.png", big)})
    assert response.status_code == 413
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("too_large", photos.TOO_LARGE)
    assert not ProfilePhoto.objects.exists()


def test_a_read_only_token_cannot_change_the_photo(alice):
    _token, raw = services.create_api_token(user=alice, name="ro", scope="read", days=7)
    auth = {"Authorization": f"Bearer {raw}"}
    client = Client()
    response = client.post(API, {"photo": upload("a.png", picture("PNG"))}, headers=auth)
    assert response.status_code == 403
    assert client.delete(API, headers=auth).status_code == 403
    alice.refresh_from_db()
    assert alice.photo_version == ""
    assert json.loads(response.content)["error"]["code"] == "forbidden"


def test_the_demo_gives_its_mentor_a_generated_photo_and_leaves_the_others_initials(db):
    from upward.accounts import demo

    company = demo.load()
    assert company is not None
    maya, alice = company.people["maya"], company.people["alice"]
    assert maya.photo_version != ""
    assert alice.photo_version == ""
    with Image.open(BytesIO(bytes(ProfilePhoto.objects.get(user=maya).image))) as image:
        assert (image.format, image.size) == ("WEBP", (256, 256))

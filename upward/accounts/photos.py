"""Profile photos: what an upload may be, and the small square image Upward keeps of it.

An upload is read only as far as it is safe to: its size is checked before its
bytes are read (the upload handler below) and after; its header is read before
any pixels are, so a small file claiming a huge picture (a decompression bomb)
is refused unopened; only JPEG, PNG and WebP decoders are ever tried. What is
kept is re-drawn from the pixels alone, a 256 x 256 WebP, so nothing of the
original file (EXIF with places and dates, comments, colour profiles, trailing
data) survives. Each refusal raises `Invalid` on the field "photo".
"""

from __future__ import annotations

import hashlib
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

from upward.core.errors import Invalid
from upward.core.uploads import LimitedUploadHandler
from upward.engine.limits import MB, size_text

FIELD = "photo"
MAX_PHOTO_BYTES = 5 * MB
# 25 megapixels: a 6000 x 4000 camera picture fits; decoding it takes about 100 MB at most.
MAX_PHOTO_PIXELS = 25_000_000
PHOTO_SIZE = 256  # pixels, each side of the square that is kept
FORMATS = ("JPEG", "PNG", "WEBP")
CONTENT_TYPE = "image/webp"

TOO_LARGE = f"photo: larger than {size_text(MAX_PHOTO_BYTES)}; choose a smaller picture."
NOT_AN_IMAGE = "photo: not an image; choose a JPEG, PNG or WebP picture."
TOO_MANY_PIXELS = (
    f"photo: more than {MAX_PHOTO_PIXELS // 1_000_000} megapixels; choose a smaller picture."
)
DAMAGED = "photo: the picture is damaged or cut short; choose another file."
EMPTY = "photo: the file is empty; choose a JPEG, PNG or WebP picture."


def photo_version(image: bytes) -> str:
    """A short fingerprint of the kept image: it changes whenever the photo does."""
    return hashlib.sha256(image).hexdigest()[:16]


def square_photo(data: bytes) -> bytes:
    """The picture in `data` as a 256 x 256 WebP, cropped to its centre, without metadata."""
    if not data:
        raise Invalid(EMPTY, field=FIELD)
    if len(data) > MAX_PHOTO_BYTES:
        raise Invalid(TOO_LARGE, field=FIELD)
    _check_header(data)
    try:
        with Image.open(BytesIO(data), formats=FORMATS) as image:
            if image.format == "JPEG":
                # Decode at a fraction of the size when the camera's picture is big.
                image.draft("RGB", (PHOTO_SIZE * 2, PHOTO_SIZE * 2))
            square = _square(ImageOps.exif_transpose(image))
    except (OSError, SyntaxError, ValueError) as broken:
        raise Invalid(DAMAGED, field=FIELD) from broken
    out = BytesIO()
    square.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()


def _check_header(data: bytes) -> None:
    """Refuse what is not a JPEG, PNG or WebP, or claims too many pixels, before decoding."""
    try:
        with Image.open(BytesIO(data), formats=FORMATS) as probe:
            width, height = probe.size
            if width * height > MAX_PHOTO_PIXELS:
                raise Invalid(TOO_MANY_PIXELS, field=FIELD)
            probe.verify()
    except Image.DecompressionBombError as bomb:
        raise Invalid(TOO_MANY_PIXELS, field=FIELD) from bomb
    except UnidentifiedImageError as unknown:
        raise Invalid(NOT_AN_IMAGE, field=FIELD) from unknown
    except (OSError, SyntaxError, ValueError) as broken:
        raise Invalid(DAMAGED, field=FIELD) from broken


def _square(image: Image.Image) -> Image.Image:
    """The centre square, scaled to PHOTO_SIZE, in RGB (RGBA when it has transparency)."""
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    pixels = image.convert(mode)
    return ImageOps.fit(pixels, (PHOTO_SIZE, PHOTO_SIZE), Image.Resampling.LANCZOS)


class PhotoUploadHandler(LimitedUploadHandler):
    """Refuses a photo upload past MAX_PHOTO_BYTES: by its declared length before reading
    any of it, and by the bytes that arrive for the rest. Passes every chunk on unchanged."""

    limit = MAX_PHOTO_BYTES

    def too_large(self) -> str:
        return TOO_LARGE

"""Photos sent with a contribution: checked, shrunk and stripped of metadata.

A phone photo carries EXIF data, often with the GPS position where it was
taken: for an anonymous complaint that is the person's home. The photo is
decoded and re-encoded as a plain JPEG, so nothing but the pixels is kept.
"""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000  # a 40-megapixel photo; more is a trap, not a photo
MAX_STORED_SIDE = 1600
ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "MPO"}


def photo_sanitise(uploaded) -> ContentFile:
    """Return the photo as a new JPEG without metadata, or raise ValidationError
    with a message the person can act on."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is too large: 5 MB at most."), code="size")
    try:
        uploaded.seek(0)
        data = uploaded.read(MAX_PHOTO_BYTES + 1)
    except OSError as exc:
        raise ValidationError(_("The photo could not be read."), code="invalid") from exc
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(_("The photo is too large: 5 MB at most."), code="size")
    not_an_image = ValidationError(
        _("This file is not a photo. Choose a JPEG or PNG picture."), code="invalid"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise not_an_image
                width, height = probe.size
                if width * height > MAX_PHOTO_PIXELS:
                    raise ValidationError(
                        _("The photo has too many pixels. Send a smaller one."), code="pixels"
                    )
                probe.verify()
            # verify() leaves the image unusable: open it again to decode the pixels.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                if image.mode not in ("RGB", "L"):
                    background = Image.new("RGB", image.size, "white")
                    rgba = image.convert("RGBA")
                    background.paste(rgba, mask=rgba.getchannel("A"))
                    image = background
                image.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE))
                out = io.BytesIO()
                # No exif=, no icc_profile=: the new file carries pixels only.
                image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise not_an_image from None
    except (OSError, SyntaxError, ValueError, TypeError, EOFError):
        raise not_an_image from None
    return ContentFile(out.getvalue(), name="photo.jpg")

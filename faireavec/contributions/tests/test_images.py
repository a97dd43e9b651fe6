import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from faireavec.contributions.images import MAX_PHOTO_BYTES, photo_sanitise
from faireavec.contributions.tests.factories import gps_exif, image_bytes, make_contribution


def _upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_gps_and_camera_metadata_are_removed():
    """A phone photo's GPS position and camera model do not survive."""
    original = image_bytes(exif=gps_exif())
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)  # the test photo really has a GPS position
    cleaned = photo_sanitise(_upload(original))
    with Image.open(io.BytesIO(cleaned.read())) as after:
        exif = after.getexif()
        assert not exif.get_ifd(0x8825)
        assert 0x0110 not in exif
        assert "exif" not in after.info
        assert after.format == "JPEG"


def test_png_with_transparency_becomes_a_jpeg():
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, format="PNG")
    cleaned = photo_sanitise(_upload(out.getvalue(), "x.png"))
    with Image.open(io.BytesIO(cleaned.read())) as after:
        assert after.format == "JPEG" and after.mode == "RGB"


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError) as exc:
        photo_sanitise(_upload(b"%PDF-1.4 not a photo", "x.jpg"))
    assert "photo" in exc.value.messages[0]


def test_a_truncated_image_is_refused():
    with pytest.raises(ValidationError):
        photo_sanitise(_upload(image_bytes()[:200]))


def test_a_too_large_file_is_refused():
    with pytest.raises(ValidationError) as exc:
        photo_sanitise(_upload(b"\xff\xd8" + b"0" * MAX_PHOTO_BYTES))
    assert "5" in exc.value.messages[0]


def test_too_many_pixels_is_refused():
    """A small file that decodes to a huge picture (a decompression bomb) is refused."""
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")
    assert len(out.getvalue()) < MAX_PHOTO_BYTES
    with pytest.raises(ValidationError):
        photo_sanitise(_upload(out.getvalue(), "x.png"))


def test_big_photos_are_shrunk():
    cleaned = photo_sanitise(_upload(image_bytes(size=(3000, 2000))))
    with Image.open(io.BytesIO(cleaned.read())) as after:
        assert max(after.size) == 1600


@pytest.mark.django_db
def test_stored_photo_has_no_gps(org):
    """What lands in storage is the cleaned file, under a random name."""
    photo = photo_sanitise(_upload(image_bytes(exif=gps_exif()), "maison-de-mme-x.jpg"))
    c = make_contribution(org, photo=photo)
    assert "maison" not in c.photo.name
    with c.photo.open("rb") as f, Image.open(f) as stored:
        assert not stored.getexif().get_ifd(0x8825)

import io

import factory
from PIL import Image

from faireavec.contributions.models import Comment, Contribution, Kind
from faireavec.contributions.services import contribution_create
from faireavec.organisations.tests.factories import OrganisationFactory


class ContributionFactory(factory.django.DjangoModelFactory):
    """A plain idea; use `make_contribution` for one built by the service (deadlines, history)."""

    class Meta:
        model = Contribution

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Kind.IDEA
    title = factory.Sequence(lambda n: f"Idée {n}")
    body = "Des bancs dans le jardin."


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    contribution = factory.SubFactory(ContributionFactory, is_public=True)
    author = factory.SubFactory("faireavec.accounts.tests.factories.UserFactory")
    body = "Bonne idée."


def make_contribution(organisation, *, kind: str = Kind.IDEA, **kwargs) -> Contribution:
    kwargs.setdefault("title", "Plus de bancs")
    kwargs.setdefault("body", "Les personnes âgées n'ont pas où s'asseoir.")
    return contribution_create(organisation=organisation, kind=kind, **kwargs)


def image_bytes(fmt: str = "JPEG", size=(64, 48), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif is not None:
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def gps_exif() -> Image.Exif:
    """EXIF with a GPS position (Lille) and a camera model, as a phone writes it."""
    exif = Image.Exif()
    exif[0x0110] = "PhoneModel X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (50.0, 37.0, 48.0)
    gps[3] = "E"
    gps[4] = (3.0, 3.0, 36.0)
    return exif

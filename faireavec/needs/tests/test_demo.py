import pytest

from faireavec.contributions.models import Contribution
from faireavec.needs import demo
from faireavec.needs.models import (
    DiagnosisSection,
    ExistingOffer,
    Need,
    NeedContribution,
    NeedSupport,
    TerritorialDiagnosis,
)
from faireavec.needs.tests.factories import ContributionFactory
from faireavec.organisations.demo import build_organisation

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Need,
            ExistingOffer,
            NeedSupport,
            NeedContribution,
            TerritorialDiagnosis,
            DiagnosisSection,
        )
    }


def test_the_full_demo_fills_the_register_and_the_diagnosis_once():
    """A dozen needs with offers, supports and links to the contributions that
    reveal them, a filled diagnosis; running it again changes nothing."""
    ctx = build_organisation(small=False)
    ContributionFactory(organisation=ctx.organisation, title="Un atelier de réparation de vélos")
    ContributionFactory(organisation=ctx.organisation, title="Rampe d'accès absente")
    demo.populate(ctx)
    counts = _counts()
    assert counts["Need"] == 12
    assert counts["ExistingOffer"] >= 12
    assert counts["NeedSupport"] >= 12
    assert counts["TerritorialDiagnosis"] == 1
    assert counts["DiagnosisSection"] == 9
    assert not DiagnosisSection.objects.filter(text="").exists()
    bikes = Need.objects.get(title="Réparer plutôt que jeter")
    assert bikes.contributions.filter(title__contains="vélos").exists()
    assert all(c.organisation == ctx.organisation for c in Contribution.objects.filter(needs=bikes))
    demo.populate(ctx)
    assert _counts() == counts


def test_the_small_demo_has_an_object_behind_every_url():
    ctx = build_organisation(small=True)
    ContributionFactory(organisation=ctx.organisation)
    demo.populate(ctx)
    assert 0 < Need.objects.count() <= 3
    assert ExistingOffer.objects.exists()
    assert DiagnosisSection.objects.exists()
    assert NeedContribution.objects.exists()
    first = Need.objects.order_by("pk").first()
    assert first.is_public

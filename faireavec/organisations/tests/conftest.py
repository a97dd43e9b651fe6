import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _french():
    """Tests run in French, the platform's language, whatever an earlier test activated."""
    with translation.override("fr"):
        yield

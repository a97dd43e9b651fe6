"""Migrations follow the layers of `.importlinter`: an app's migrations depend
on its own app, lower apps and Django's, never on an app above it — except
through a swappable setting, as Django's own apps point at the user
(`AUTH_USER_MODEL`): core is the ground floor and reaches the organisation
through `FAIREAVEC_ORGANISATION_MODEL`."""

import configparser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db.migrations.loader import MigrationLoader

ROOT = Path(settings.BASE_DIR)


def _layers() -> dict[str, int]:
    """Each FaireAvec app's layer: 0 for core, higher for the apps above it."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    lines = [line.strip() for line in config["importlinter:contract:layers"]["layers"].split("\n")]
    rank = {}
    for level, line in enumerate(reversed([line for line in lines if line])):
        for module in line.split(":"):
            rank[module.strip().rsplit(".", 1)[-1]] = level
    return rank


LAYERS = _layers()


def _upward(app_label: str, other: str) -> bool:
    return other in LAYERS and LAYERS[other] > LAYERS[app_label]


@pytest.fixture(scope="module")
def loader():
    return MigrationLoader(None, ignore_no_migrations=True)


def test_the_layers_are_read():
    assert LAYERS["core"] == 0
    assert LAYERS["core"] < LAYERS["accounts"] < LAYERS["organisations"] < LAYERS["needs"]


@pytest.mark.parametrize("app_label", sorted(LAYERS))
def test_no_migration_depends_on_an_app_above_its_own(loader, app_label):
    wrong = []
    for (label, name), migration in loader.disk_migrations.items():
        if label != app_label:
            continue
        for dependency in migration.dependencies:
            swappable = getattr(dependency, "setting", None) is not None
            if _upward(app_label, dependency[0]) and not swappable:
                wrong.append(f"{label}.{name} -> {dependency[0]}.{dependency[1]}")
    assert not wrong, "Depend through a swappable setting, or move the model up: " + str(wrong)


def test_core_migrations_name_the_organisation_only_through_its_setting():
    for path in sorted((ROOT / "faireavec" / "core" / "migrations").glob("0*.py")):
        text = path.read_text()
        assert "'organisations." not in text and '"organisations.' not in text, path.name


def test_core_models_point_up_only_through_a_setting():
    for model in apps.get_app_config("core").get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if not field.concrete or related is None:
                continue
            if _upward("core", related._meta.app_label):
                assert field.swappable_setting, f"{model.__name__}.{field.name}"

import pytest

from marketplace import create_app
from marketplace.config import ConfigError, ProductionConfig, config_class, contrast_with_white


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"MARKETPLACE_ENV": "production", "SECRET_KEY": None,
                    "DATABASE_URL": "postgresql+psycopg://x@localhost/x"})


def test_production_refuses_a_short_secret_key():
    config = {"COUNCIL_COLOUR": "#0b5c4b", "SECRET_KEY": "short",
              "DATABASE_URL": "postgresql+psycopg://x@localhost/x"}
    with pytest.raises(ConfigError, match="at least 32"):
        ProductionConfig.validate(config)


def test_production_needs_a_database_url():
    config = {"COUNCIL_COLOUR": "#0b5c4b", "SECRET_KEY": "x" * 40, "DATABASE_URL": ""}
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        ProductionConfig.validate(config)


def test_production_starts_with_its_secrets_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    app = create_app({"MARKETPLACE_ENV": "production", "SECRET_KEY": "k" * 64,
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAIL_BACKEND"] == "smtp"


def test_development_defaults_to_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    app = create_app({"MARKETPLACE_ENV": "development", "DATABASE_URL": ""})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'marketplace.sqlite'}"
    assert app.config["SEARCH_INDEX_DIR"] == str(tmp_path / "search-index")


def test_an_unknown_environment_name_is_refused():
    with pytest.raises(ConfigError, match="MARKETPLACE_ENV"):
        config_class("staging-ish")


@pytest.mark.parametrize("colour", ["#ffdd00", "#aaaaaa", "blue", "#12345"])
def test_a_brand_colour_that_fails_contrast_or_format_is_refused(colour):
    config = {"COUNCIL_COLOUR": colour}
    with pytest.raises(ConfigError, match="COUNCIL_COLOUR"):
        ProductionConfig.__mro__[1].validate(config)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#0b5c4b") > 4.5

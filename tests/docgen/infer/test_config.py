"""Settings: [tool.wsdoc] / wsdoc.toml discovery, validation, profile defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import WsdocError
from docgen.infer.config import Config, config_keys, from_mapping, load_config


def test_defaults_follow_the_web_services_profile() -> None:
    config = Config()
    assert config.profile.name == "webservices"
    assert config.operation_field == "operationName"
    assert config.notifications == "/api/v2/notifications"
    assert config.profile.url_limit == 2000
    generic = Config(profile_name="generic")
    assert generic.operation_field == "" and generic.notifications == ""
    assert Config(discriminator="").operation_field == ""


def test_every_documented_key_is_accepted() -> None:
    config = from_mapping({
        "profile": "generic", "title": "T", "base_url": "http://h", "templates": ["/a/{b}"],
        "literals": ["active"], "param_threshold": 3, "discriminator": "action",
        "notifications_path": "/events", "enum_min_samples": 2, "enum_max_distinct": 4,
        "max_depth": 10, "max_examples": 1, "redact": ["x-secret"], "event_window": 2,
    }, "test")
    assert config.templates == ("/a/{b}",) and config.literals == ("active",)
    assert config.operation_field == "action" and config.notifications == "/events"
    assert len(config_keys()) == 14 and config.event_window == 2.0


@pytest.mark.parametrize("table, message", [
    ({"tempaltes": []}, "unknown key 'tempaltes'"),
    ({"param_threshold": "3"}, "param_threshold must be a int"),
    ({"param_threshold": True}, "param_threshold must be a int"),
    ({"literals": [1]}, "literals must be a list of strings"),
    ({"profile": "soap"}, "unknown profile 'soap'"),
    ({"templates": ["api/v2"]}, "must start with '/'"),
    ({"templates": ["/a/{b}/c/{b}"]}, "repeats a parameter name"),
    ({"templates": ["/a/{b"]}, "bad segment"),
    ({"max_depth": 1000}, "max_depth must be between 1 and 100"),
    ({"enum_min_samples": 0}, "enum_min_samples must be between"),
])
def test_bad_settings_are_one_line_errors(table: dict[str, object], message: str) -> None:
    with pytest.raises(WsdocError, match=message):
        from_mapping(table, "wsdoc.toml")


def test_pyproject_table_is_found_upwards(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.wsdoc]\nliterals = ["active"]\nparam_threshold = 4\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    config = load_config(start=nested)
    assert config.literals == ("active",) and config.param_threshold == 4
    assert config.source.endswith("pyproject.toml")


def test_wsdoc_toml_wins_and_explicit_paths(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.wsdoc]\nparam_threshold = 4\n")
    (tmp_path / "wsdoc.toml").write_text('templates = ["/api/v2/me/calls/{callId}"]\n')
    assert load_config(start=tmp_path).templates == ("/api/v2/me/calls/{callId}",)
    assert load_config(tmp_path / "pyproject.toml").param_threshold == 4
    (tmp_path / "plain.toml").write_text("[project]\nname='x'\n")
    with pytest.raises(WsdocError, match="unknown key 'project'"):
        load_config(tmp_path / "plain.toml")


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(WsdocError, match="no such config file"):
        load_config(tmp_path / "nope.toml")
    (tmp_path / "bad.toml").write_text("this is = = not toml")
    with pytest.raises(WsdocError, match="not valid TOML"):
        load_config(tmp_path / "bad.toml")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(start=tmp_path).templates == ()

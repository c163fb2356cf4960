"""User settings for inference: `[tool.wsdoc]` in pyproject.toml, or a wsdoc.toml file.

Every key is optional; defaults follow the chosen profile. Settings apply at read time,
so changing them re-templates captures that were recorded before the change.

    [tool.wsdoc]
    profile = "webservices"          # or "generic"
    title = "Genesys Web Services"
    base_url = "http://gws.example:8090"
    templates = ["/api/v2/me/calls/{callId}"]   # pinned templates (also pin longer paths)
    literals = ["active"]            # segments that never become parameters
    param_threshold = 10             # distinct non-id values after one prefix => parameter
    discriminator = "operationName"  # body field naming the operation; "" for none
    notifications_path = "/api/v2/notifications"
    event_window = 5.0               # seconds after an operation its notifications may arrive
    enum_min_samples = 5             # enums only with at least this many samples ...
    enum_max_distinct = 8            # ... and at most this many distinct values
    max_depth = 32                   # deeper JSON nesting is summarised, not inferred
    max_examples = 3                 # example values kept per field
    redact = []                      # extra redaction rules for `wsdoc import`
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.errors import WsdocError
from docgen.infer.profile import PROFILES, Profile

CONFIG_FILE = "wsdoc.toml"
PYPROJECT = "pyproject.toml"
MAX_DEPTH_LIMIT = 100  # inference recurses per nesting level; stay far below Python's limit
MAX_EVENT_WINDOW_S = 3600.0  # an hour: anything longer would attribute unrelated notifications
MAX_COUNT_SETTING = 1000  # thresholds and counts are kept in bounded sets of this size
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Config:
    """Inference settings (immutable, hashable)."""

    profile_name: str = "webservices"
    title: str = ""
    base_url: str = ""
    templates: tuple[str, ...] = ()
    literals: tuple[str, ...] = ()
    param_threshold: int = 10
    discriminator: str | None = None  # None: the profile's
    notifications_path: str | None = None  # None: the profile's
    event_window: float = 5.0  # seconds after an operation that notifications count as its events
    enum_min_samples: int = 5
    enum_max_distinct: int = 8
    max_depth: int = 32
    max_examples: int = 3
    redact: tuple[str, ...] = ()
    source: str = ""  # where the settings came from ("" = defaults)

    @property
    def profile(self) -> Profile:
        return PROFILES[self.profile_name]

    @property
    def operation_field(self) -> str:
        """The discriminator in force ("" = operations are not split)."""
        if self.discriminator is None:
            return self.profile.discriminator
        return self.discriminator

    @property
    def notifications(self) -> str:
        if self.notifications_path is None:
            return self.profile.notifications_path
        return self.notifications_path


# TOML key -> (Config field, accepted python type)
_KEYS: dict[str, tuple[str, type]] = {
    "profile": ("profile_name", str),
    "title": ("title", str),
    "base_url": ("base_url", str),
    "templates": ("templates", list),
    "literals": ("literals", list),
    "param_threshold": ("param_threshold", int),
    "discriminator": ("discriminator", str),
    "notifications_path": ("notifications_path", str),
    "event_window": ("event_window", float),
    "enum_min_samples": ("enum_min_samples", int),
    "enum_max_distinct": ("enum_max_distinct", int),
    "max_depth": ("max_depth", int),
    "max_examples": ("max_examples", int),
    "redact": ("redact", list),
}


def from_mapping(data: dict[str, Any], source: str = "") -> Config:
    """Validate a `[tool.wsdoc]`-style table into a Config (WsdocError on bad input)."""
    values: dict[str, Any] = {"source": source}
    for key, raw in data.items():
        value: Any = raw
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise WsdocError(f"{source or 'config'}: unknown key {key!r} (known: {known})")
        name, kind = _KEYS[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # TOML `event_window = 5` means 5.0
        if not isinstance(value, kind) or isinstance(value, bool):
            raise WsdocError(f"{source or 'config'}: {key} must be a {kind.__name__}")
        if isinstance(value, list):
            if not all(isinstance(item, str) for item in value):
                raise WsdocError(f"{source or 'config'}: {key} must be a list of strings")
            value = tuple(value)
        values[name] = value
    config = Config(**values)
    _check(config)
    return config


def _check(config: Config) -> None:
    where = config.source or "config"
    if config.profile_name not in PROFILES:
        raise WsdocError(f"{where}: unknown profile {config.profile_name!r} "
                         f"(known: {', '.join(sorted(PROFILES))})")
    for template in config.templates:
        check_template(template, where)
    for name in ("param_threshold", "enum_min_samples", "enum_max_distinct", "max_examples"):
        if not 1 <= getattr(config, name) <= MAX_COUNT_SETTING:
            raise WsdocError(f"{where}: {name} must be between 1 and {MAX_COUNT_SETTING}")
    if not 1 <= config.max_depth <= MAX_DEPTH_LIMIT:
        raise WsdocError(f"{where}: max_depth must be between 1 and {MAX_DEPTH_LIMIT}")
    if not 0 < config.event_window <= MAX_EVENT_WINDOW_S:
        raise WsdocError(f"{where}: event_window must be above 0 and at most "
                         f"{MAX_EVENT_WINDOW_S:g} seconds")


def check_template(template: str, where: str = "config") -> None:
    """A pinned template must be an absolute path whose params are `{name}` and unique."""
    if not template.startswith("/"):
        raise WsdocError(f"{where}: template {template!r} must start with '/'")
    names: list[str] = []
    for segment in template.split("/")[1:]:
        if "{" in segment or "}" in segment:
            match = _PARAM.fullmatch(segment)
            if match is None:
                raise WsdocError(f"{where}: template {template!r}: bad segment {segment!r}")
            names.append(match.group(1))
    if len(names) != len(set(names)):
        raise WsdocError(f"{where}: template {template!r} repeats a parameter name")


def load_config(path: str | Path | None = None, start: str | Path | None = None) -> Config:
    """Settings from an explicit file, else the nearest wsdoc.toml / pyproject.toml upwards."""
    if path is not None:
        return _read(Path(path))
    directory = Path(start or Path.cwd()).resolve()
    for candidate in (directory, *directory.parents):
        if (candidate / CONFIG_FILE).is_file():
            return _read(candidate / CONFIG_FILE)
        if (candidate / PYPROJECT).is_file():
            return _read(candidate / PYPROJECT)
    return Config()


def _read(path: Path) -> Config:
    import tomllib  # here, not at start-up: most runs read no config file

    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise WsdocError(f"{path}: no such config file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise WsdocError(f"{path}: not valid TOML: {exc}") from exc
    table = document.get("tool", {}).get("wsdoc")
    if table is None:
        if path.name == PYPROJECT:
            return Config(source=f"{path} (no [tool.wsdoc])")
        table = document
    if not isinstance(table, dict):
        raise WsdocError(f"{path}: [tool.wsdoc] must be a table")
    return from_mapping(table, source=str(path))


def config_keys() -> list[str]:
    """The TOML keys users may set (docs and error messages)."""
    return sorted(_KEYS)


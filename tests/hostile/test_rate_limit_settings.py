"""The API's rate limits come from the config (``web.api_rate_per_key`` …), are validated there,
and an app built without explicit limits enforces the configured ones (issue 15 item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from config.loader import BUNDLED_CONFIG, ConfigError, load_settings
from shenava.api import create_app
from shenava.api.auth import ApiKeyRing
from shenava.api.limits import RequestLimits
from tests.api.conftest import KEYS, headers


def _config(tmp_path: Path, **web: object) -> Path:
    config = yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))
    config["web"] = {**(config.get("web") or {}), **web}
    path = tmp_path / "shenava.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_the_documented_defaults_are_the_limits_of_an_unconfigured_app() -> None:
    assert RequestLimits.from_settings(load_settings(BUNDLED_CONFIG)) == RequestLimits()
    assert RequestLimits.from_settings(None) == RequestLimits()


@pytest.mark.parametrize(
    ("key", "value"), [("api_rate_per_key", 0), ("api_burst_per_ip", 0), ("api_rate_per_ip", "fast")]
)
def test_a_bad_rate_is_refused_naming_the_key(tmp_path: Path, key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"web.{key}"):
        load_settings(_config(tmp_path, **{key: value}))


def test_the_configured_burst_is_enforced(tmp_path: Path, engine: Engine) -> None:
    settings = load_settings(_config(tmp_path, api_rate_per_key=0.01, api_burst_per_key=2))
    ring = ApiKeyRing.parse(f"ana:analyst:{KEYS['analyst']}")
    with TestClient(create_app(settings, engine, ring)) as client:
        codes = [client.get("/api/v1/listeners", headers=headers("analyst")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]

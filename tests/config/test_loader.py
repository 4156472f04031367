"""config.loader: the shipped file validates; every kind of bad file gets a clear message."""

from __future__ import annotations

import copy
import difflib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from config.loader import BUNDLED_CONFIG, ConfigError, dotted, load_settings
from config.reference import EXAMPLES, SHIPPED, render_settings, shipped_yaml
from config.settings import Settings
from domain.secrets import MissingSecretError, redact, require_secret, secret

REPO = Path(__file__).resolve().parents[2]
MINIMAL = "brands:\n  - name: sabzino\n    aliases_fa: [سبزینو]\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shenava.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as excinfo:
        load_settings(path)
    message = str(excinfo.value)
    assert str(path) in message, "every message names the file"
    return message


def test_shipped_config_validates_and_has_the_sample_brands() -> None:
    settings = load_settings(REPO / "config" / "shenava.yaml")
    assert [b.name for b in settings.brands] == ["sabzino", "nobank", "tazeh"]
    assert [b.competitor for b in settings.brands] == [False, False, True]
    assert "سبزینو" in settings.brands[0].aliases_fa and "sabzino_support" in settings.brands[0].handles
    assert settings.timezone == "Asia/Tehran"
    assert settings.storage.url.startswith("sqlite:///")


def _key_outline(yaml_text: str) -> list[str]:
    """Every key line, commented out or not, as indentation + key (values and prose dropped)."""
    keys = []
    for line in yaml_text.splitlines():
        match = re.match(r"^(\s*)(?:# )?(\s*)(?:- )?([A-Za-z_][A-Za-z0-9_]*):( |$)", line)
        if match:
            keys.append(f"{match[1]}{match[2]}{match[3]}")
    return keys


def test_shipped_config_documents_every_current_setting() -> None:
    # Fails when a setting was added, renamed or removed without regenerating the file; wording
    # changes of descriptions do not matter here.
    shipped, current = _key_outline(BUNDLED_CONFIG.read_text(encoding="utf-8")), _key_outline(shipped_yaml())
    assert shipped == current, (
        "config/shenava.yaml is out of date: run `.venv/bin/python -m config.reference --write`\n"
        + "\n".join(difflib.unified_diff(shipped, current, "shipped", "current", lineterm="", n=1))
    )


def test_commented_examples_in_the_shipped_config_are_valid() -> None:
    data: dict[str, Any] = copy.deepcopy(SHIPPED)
    for path, examples in EXAMPLES.items():
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = list(node.get(leaf, [])) + copy.deepcopy(examples)
    settings = Settings.model_validate(data)
    assert {c.name for c in settings.notifications.channels} >= {"support-telegram", "crm-webhook"}


def test_rendered_yaml_round_trips_any_settings(tmp_path: Path) -> None:
    settings = load_settings(_write(tmp_path, MINIMAL + "timezone: Europe/Berlin\n"))
    again = load_settings(_write(tmp_path, render_settings(settings)))
    assert again == settings


def test_minimal_config_gets_defaults(tmp_path: Path) -> None:
    settings = load_settings(_write(tmp_path, MINIMAL))
    assert settings.timezone == "Asia/Tehran"
    assert settings.storage.url == "sqlite:///var/shenava.db"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            MINIMAL + "storag:\n  url: sqlite:///x.db\n",
            [":4: storag: unknown key", "allowed keys here:", "storage"],
        ),
        (
            MINIMAL + "    alias_fa: [x]\n",
            [":4: brands[0].alias_fa: unknown key", "aliases_fa"],
        ),
        (
            "brands:\n  - name: a\n  - name: b\n    aliases_fa: نوبانک\n",
            [":4: brands[1].aliases_fa:", "valid list", "'نوبانک'"],
        ),
        ("brands: []\n", [":1: brands:", "at least 1 item"]),
        ("timezone: Asia/Tehran\n", ["brands: required key is missing"]),
        (MINIMAL + "timezone: Asia/Tehrn\n", [":4: timezone: unknown time zone 'Asia/Tehrn'", "IANA"]),
        (MINIMAL + "storage:\n  url: mysql://u@h/db\n", [":5: storage.url:", "unsupported database 'mysql'"]),
        (MINIMAL + "storage:\n  url: not a url\n", ["storage.url: not a database URL", "sqlite:///"]),
        (
            MINIMAL + "storage:\n  url: 'postgresql+psycopg://u@h'\n",
            ["storage.url:", "needs a database name"],
        ),
        ("brands:\n  - name: a\n  - name: A\n", ["brand names must be unique; repeated: A, a"]),
        (
            "brands:\n  - name: a\n    competitors: [b, a]\n  - name: c\n",
            ["brand 'a' lists competitors that are not other configured brands: b, a"],
        ),
        ("brands:\n  - name: '  '\n", ["brands[0].name:", "non-blank name"]),
        (MINIMAL + "sources:\n  replay:\n    speed: fast\n", [":6: sources.replay.speed:", "valid number"]),
        (
            MINIMAL
            + "notifications:\n  channels:\n    - type: telegram\n      name: tg\n      chat_idd: 1\n",
            ["notifications.channels[0].chat_idd: unknown key", "chat_id", "bot_token_env"],
        ),
        (
            MINIMAL + "notifications:\n  channels:\n    - type: pigeon\n      name: p\n",
            ["notifications.channels[0]:", "pigeon"],
        ),
    ],
)
def test_invalid_settings_name_line_key_and_problem(tmp_path: Path, text: str, expected: list[str]) -> None:
    message = _error(tmp_path, text)
    for fragment in expected:
        assert fragment in message


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    message = _error(tmp_path, MINIMAL + "timezone: Mars/Olympus\nstorag: {}\n")
    assert "timezone" in message and "storag" in message
    assert message.startswith("invalid configuration")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("brands:\n  - name: a\n    aliases_fa: [x\n", ["YAML syntax error", ":4:"]),
        ("brands:\n\t- name: a\n", ["YAML syntax error", ":2:"]),
        (
            "brands:\n  - name: a\nbrands:\n  - name: b\n",
            [":3:", "YAML error: key 'brands' repeats the one on line 1"],
        ),
        ("", ["the file is empty", "brands"]),
        ("# only a comment\n", ["the file is empty"]),
        ("- brands\n", [":1: the top level must be a mapping", "not a list"]),
        ("just a string\n", ["the top level must be a mapping", "not a str"]),
        ("brands: !!python/object/apply:os.system ['echo hi']\n", [":1:", "YAML error", "python/object"]),
    ],
)
def test_unreadable_yaml_names_the_line(tmp_path: Path, text: str, expected: list[str]) -> None:
    message = _error(tmp_path, text)
    for fragment in expected:
        assert fragment in message


def test_missing_directory_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="is a directory"):
        load_settings(tmp_path)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"brands:\n  - name: \xff\xfe\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(binary)


def test_secret_values_are_never_echoed(tmp_path: Path) -> None:
    text = (
        MINIMAL + "notifications:\n  channels:\n    - type: telegram\n      name: tg\n      chat_id: '1'\n"
        "      bot_token_env: 12345\n      bot_token: 'AAAA-very-secret'\n"
    )
    message = _error(tmp_path, text)
    assert "bot_token: unknown key" in message
    assert "AAAA-very-secret" not in message and "12345" not in message


def test_a_password_in_the_storage_url_is_refused(tmp_path: Path) -> None:
    message = _error(tmp_path, MINIMAL + "storage:\n  url: postgresql://shenava:hunter2@db/shenava\n")
    assert ":5: storage.url: holds a password" in message and "SHENAVA_DATABASE_URL" in message
    assert "hunter2" not in message


def test_environment_picks_the_file_and_the_database_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, MINIMAL)
    monkeypatch.setenv("SHENAVA_CONFIG", str(path))
    monkeypatch.setenv("SHENAVA_DATABASE_URL", "postgresql+psycopg://shenava:pw@db/shenava")
    settings = load_settings()
    assert [b.name for b in settings.brands] == ["sabzino"]
    assert settings.storage.url == "postgresql+psycopg://shenava:pw@db/shenava"

    monkeypatch.setenv("SHENAVA_DATABASE_URL", "oracle://x@y/z")
    with pytest.raises(ConfigError, match=r"\$SHENAVA_DATABASE_URL: unsupported database 'oracle'"):
        load_settings()


def test_default_path_is_the_working_directory_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SHENAVA_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config").mkdir()
    _write(tmp_path / "config", "brands:\n  - name: only-here\n")
    assert [b.name for b in load_settings().brands] == ["only-here"]
    (tmp_path / "config" / "shenava.yaml").unlink()
    assert [b.name for b in load_settings().brands] == ["sabzino", "nobank", "tazeh"]  # the bundled file


def test_secrets_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHENAVA_TEST_TOKEN", " s3cret \n")
    monkeypatch.setenv("SHENAVA_TEST_BLANK", "  ")
    monkeypatch.delenv("SHENAVA_TEST_UNSET", raising=False)
    assert secret("SHENAVA_TEST_TOKEN") == "s3cret"
    assert secret("SHENAVA_TEST_BLANK") is None and secret("SHENAVA_TEST_UNSET") is None
    with pytest.raises(MissingSecretError, match="SHENAVA_TEST_UNSET is not set; the X listener needs it"):
        require_secret("SHENAVA_TEST_UNSET", "the X listener")
    assert redact("s3cret") == "<secret, 6 chars>" and "s3cret" not in redact("s3cret")


def test_dotted_paths() -> None:
    assert dotted(("brands", 1, "aliases_fa")) == "brands[1].aliases_fa"
    assert dotted(()) == "(top level)"


def test_yaml_with_secret_like_values_in_the_shipped_file_is_absent() -> None:
    # The shipped file names environment variables only; no key holds a token or password value.
    data = yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                lowered = str(key).lower()
                if any(word in lowered for word in ("token", "password", "secret")):
                    assert lowered.endswith("_env"), f"{path}.{key} must name an environment variable"
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{path}[{index}]")

    walk(data, "")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "notifications:\n  routes:\n    - channels: [console]\n      brands: [sabzino, digikala]\n",
            ":7: notifications.routes[0].brands[1]: unknown brand 'digikala' (configured: sabzino)",
        ),
        ("digest:\n  brands: [nobank]\n", ":5: digest.brands[0]: unknown brand 'nobank'"),
        ("digest:\n  channel: mail\n", ":5: digest.channel: no notification channel is named 'mail'"),
    ],
)
def test_names_used_across_sections_must_exist(tmp_path: Path, extra: str, expected: str) -> None:
    assert expected in _error(tmp_path, MINIMAL + extra)

"""Issue 15, failure 7: every command answers with one line and a non-zero code, never a traceback.

Each case runs the real ``shenava`` process (``python -m shenava.cli``) the way a person would.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.hostile.tmpfs import remount, tmpfs

ROOT = Path(__file__).resolve().parents[2]


def shenava(*args: str, config: Path, cwd: Path, url: str | None = None, timeout: float = 240):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHENAVA_")}
    env.update(SHENAVA_CONFIG=str(config), PYTHONPATH=str(ROOT), SHENAVA_LANG="en")
    if url:
        env["SHENAVA_DATABASE_URL"] = url
    return subprocess.run(
        [sys.executable, "-m", "shenava.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write_config(tmp_path: Path, *, language: str = "en", **replay: object) -> Path:
    base = yaml.safe_load((ROOT / "config" / "shenava.yaml").read_text(encoding="utf-8"))
    base["storage"] = {"url": f"sqlite:///{tmp_path / 'shenava.db'}"}
    base["web"] = {**(base.get("web") or {}), "language": language}
    if replay:
        base["sources"] = {"replay": replay}
    path = tmp_path / "shenava.yaml"
    path.write_text(yaml.safe_dump(base, allow_unicode=True), encoding="utf-8")
    return path


def assert_message(result, code: int | None = None, says: str = "") -> None:  # type: ignore[no-untyped-def]
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "[SQL:" not in output, output[-2000:]
    assert result.returncode != 0, output[-2000:]
    if code is not None:
        assert result.returncode == code, output[-2000:]
    assert says.lower() in output.lower(), output[-2000:]


#: (case, arguments, exit code, what the message says)
EARLY_CASES = [
    ("run --speed 0", ["run", "--speed", "0", "--until-idle"], 2, "--speed"),
    ("run --speed -1", ["run", "--speed", "-1", "--until-idle"], 2, "--speed"),
    ("search --until 9999-12-31", ["search", "--until", "9999-12-31"], 2, "9999-12-31"),
    ("search --since 0001-01-01", ["search", "--since", "0001-01-01", "--until", "9999-12-31"], 2, ""),
    ("search --min-followers 1e30", ["search", "--min-followers", "1e30"], 2, "--min-followers"),
    ("search --min-followers 10^30", ["search", "--min-followers", str(10**30)], None, ""),
    ("search --offset 1e20", ["search", "--offset", "1e20"], 2, "--offset"),
    ("search --offset 10^20", ["search", "--offset", str(10**20)], None, ""),
    ("search --out /proc/x.csv", ["search", "--format", "csv", "--out", "/proc/x.csv"], 1, "/proc/x.csv"),
    ("digest --out /proc/x.html", ["digest", "--out", "/proc/x.html"], 1, "/proc/x.html"),
]


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("cli")
    config = write_config(tmp)
    assert shenava("init", config=config, cwd=tmp).returncode == 0
    return tmp


@pytest.mark.parametrize(
    ("args", "code", "says"), [c[1:] for c in EARLY_CASES], ids=[c[0] for c in EARLY_CASES]
)
def test_bad_arguments_are_a_message(initialised: Path, args: list[str], code: int | None, says: str) -> None:
    assert_message(shenava(*args, config=initialised / "shenava.yaml", cwd=initialised), code, says)


def test_a_taken_web_port_is_one_message_naming_it(initialised: Path) -> None:
    """`make run` on a machine where 8080 is taken: one line, not uvicorn's English log and exit 3."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = shenava("serve", "--port", str(port), config=initialised / "shenava.yaml", cwd=initialised)
    assert_message(result, 1, f"port 127.0.0.1:{port} is taken by another program")
    assert "uvicorn" not in result.stdout + result.stderr


@pytest.mark.parametrize("speed", [0, -5, ".inf", ".nan"])
def test_a_replay_speed_that_cannot_run_is_a_configuration_error(tmp_path: Path, speed: object) -> None:
    config = write_config(tmp_path, enabled=True, speed=speed)
    if isinstance(speed, str):  # YAML's own spelling of infinity and NaN
        config.write_text(config.read_text(encoding="utf-8").replace(f"'{speed}'", speed), encoding="utf-8")
    assert_message(shenava("run", "--until-idle", config=config, cwd=tmp_path), 2, "sources.replay.speed")


@pytest.mark.parametrize(
    ("url", "says"),
    [("sqlite:////proc/shenava/x.db", "/proc/shenava"), ("sqlite:////sys/shenava.db", "database")],
    ids=["missing folder under /proc", "read-only /sys"],
)
@pytest.mark.parametrize("command", [["init"], ["status"], ["deadletter", "list"]])
def test_a_database_in_a_read_only_place_is_a_message(
    tmp_path: Path, url: str, says: str, command: list[str]
) -> None:
    config = write_config(tmp_path)
    assert_message(shenava(*command, config=config, cwd=tmp_path, url=url), None, says)


def test_a_read_only_database_file_is_a_message(tmp_path: Path, initialised: Path) -> None:
    lines = tmp_path / "in.jsonl"
    lines.write_text(
        json.dumps({"text": "سلام", "created_at": "2026-10-03T18:20:00+03:30"}) + "\n", encoding="utf-8"
    )
    with tmpfs(tmp_path / "ro", "20m") as mount:
        (mount / "shenava.db").write_bytes((initialised / "shenava.db").read_bytes())
        remount(mount, "ro")
        url = f"sqlite:///{mount / 'shenava.db'}"
        result = shenava("import", str(lines), config=initialised / "shenava.yaml", cwd=tmp_path, url=url)
        assert_message(result, 1, "cannot be written")


def test_a_full_disk_is_one_message(tmp_path: Path) -> None:
    lines = tmp_path / "many.jsonl"
    with lines.open("w", encoding="utf-8") as fh:
        for i in range(3000):
            text = "سفارشم از سبزینو نرسید واقعا افتضاحه " * 20 + str(i)
            fh.write(
                json.dumps({"text": text, "created_at": "2026-10-03T18:20:00+03:30"}, ensure_ascii=False)
                + "\n"
            )
    config = write_config(tmp_path)
    with tmpfs(tmp_path / "small", "1200k") as mount:
        url = f"sqlite:///{mount / 'shenava.db'}"
        assert shenava("init", config=config, cwd=tmp_path, url=url).returncode == 0
        result = shenava("import", str(lines), config=config, cwd=tmp_path, url=url)
        assert_message(result, 1, "disk is full")
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr  # one line, not one per batch


def test_messages_follow_the_language_setting(tmp_path: Path) -> None:
    config = write_config(tmp_path, language="fa")
    env_free = shenava("search", "--format", "csv", "--out", "/proc/x.csv", config=config, cwd=tmp_path)
    # SHENAVA_LANG=en is set by the helper, but the loaded settings (fa) decide once read
    assert "ممکن نیست" in env_free.stderr, env_free.stderr


def test_score_writes_strict_json_and_skips_the_5000_digit_integer(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"text": "عالیه"}\n'
        + '{"text": "x", "n": '
        + "9" * 5000
        + "}\n"
        + '{"text": "y", "n": NaN}\n'
        + '{"text": "'
        + "[" * 10
        + '", "deep": '
        + "[" * 50_000
        + "]" * 50_000
        + "}\n"
        + '{"text": "بد بود"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    config = write_config(tmp_path)
    result = shenava(
        "score", "--input", str(source), "--output", str(out), "--skip-bad", config=config, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "skipped 3" in result.stderr
    rows = [
        json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in score output"))
        for line in out.open()
    ]
    assert [r["text"] for r in rows] == ["عالیه", "بد بود"]

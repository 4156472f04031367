"""A metrics port another program holds is one line naming the port, not an unexpected error.

Real ``shenava beat`` and ``shenava worker`` processes against real RabbitMQ and PostgreSQL; the
port is held by a plain listening socket, as another service on the host would hold it.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.timeout(300)]


@pytest.mark.parametrize(("command", "offset"), [(["beat", "--max-seconds", "30"], 0), (["worker"], 1)])
def test_a_taken_metrics_port_is_named_in_one_line(make_cluster, command: list[str], offset: int) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = int(holder.getsockname()[1])
        cluster = make_cluster(lines=10, metrics_port=taken - offset)
        result = subprocess.run(
            [sys.executable, "-m", "shenava.cli", *command],
            cwd=cluster.dir,
            env=cluster.env(),
            capture_output=True,
            text=True,
            timeout=240,
        )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert "Traceback" not in output, output[-2000:]
    # Persian, the configuration's language (web.language)
    assert f"درگاه 127.0.0.1:{taken} را برنامهٔ دیگری گرفته است" in output, output[-2000:]

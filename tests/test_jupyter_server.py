"""lib._jupyter_server: kernel websockets with Nagle's algorithm off, enabled in the course's venv."""

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from lib import _jupyter_server

BIN = Path(sys.executable).parent


class Handler:
    def __init__(self, log):
        self.log = log

    def set_nodelay(self, value):
        self.log.append(("set_nodelay", value))


class Connection:
    """Stands in for jupyter_server's kernel websocket connection class."""

    def __init__(self, log):
        self.log, self.websocket_handler = log, Handler(log)

    def connect(self):
        self.log.append(("connect",))
        return "connected"


def test_the_connection_sets_nodelay_before_it_connects():
    log = []
    connection = _jupyter_server.nodelay_connection(Connection)(log)
    assert isinstance(connection, Connection)
    assert connection.connect() == "connected" and log == [("set_nodelay", True), ("connect",)]


def test_the_extension_keeps_the_configured_class_as_the_base():
    app = SimpleNamespace(web_app=SimpleNamespace(settings={"kernel_websocket_connection_class": Connection}))
    _jupyter_server._load_jupyter_server_extension(app)
    made = app.web_app.settings["kernel_websocket_connection_class"]
    assert made is not Connection and issubclass(made, Connection)
    assert _jupyter_server._jupyter_server_extension_points() == [{"module": "lib._jupyter_server"}]


def test_the_venvs_jupyter_server_loads_the_extension():
    """`make` enabled it (etc/jupyter/jupyter_server_config.d/ of the venv) and it validates."""
    out = subprocess.run([BIN / "jupyter", "server", "extension", "list"], capture_output=True, text=True,
                         check=True)
    text = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", out.stdout + out.stderr).split())  # no colours, one space
    assert "lib._jupyter_server enabled" in text and "lib._jupyter_server OK" in text, text

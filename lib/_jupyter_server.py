"""A Jupyter server extension: kernel messages reach the browser without waiting 40 ms for an ACK.

jupyter_server writes each kernel message to the browser's websocket with Nagle's algorithm on
(tornado's default). A message longer than one TCP segment (an interactive figure's image drawn by
the kernel, ~20 KB) then holds its last segment back until the browser acknowledges the previous
ones, and the browser delays that acknowledgement (40 ms on Linux): every such message arrives about
40 ms late, which is most of the time a move off a player's grid waits for its image. This extension
turns Nagle's algorithm off (TCP_NODELAY) on each kernel websocket, as tornado's `set_nodelay`
documents for latency-sensitive handlers; small messages are sent as they are written.

`make` and Binder (binder/postBuild) enable it for the environment's Jupyter server: they copy
`_jupyter_server.json`, next to this module, into its etc/jupyter/jupyter_server_config.d/. It keeps
whatever connection class the server is configured with and only sets the flag when a websocket
opens; on a jupyter_server without connection classes (< 2.4) it does nothing.
"""

__all__ = ["nodelay_connection"]


def nodelay_connection(base):
    """A subclass of the kernel websocket connection class `base` whose `connect` first sets
    TCP_NODELAY on its websocket (tornado's `WebSocketHandler.set_nodelay(True)`)."""

    class NoDelayConnection(base):
        def connect(self):
            self.websocket_handler.set_nodelay(True)
            return super().connect()

    return NoDelayConnection


def _jupyter_server_extension_points():
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp):
    """Make the server's kernel websockets use `nodelay_connection` of its configured class."""
    settings = serverapp.web_app.settings
    base = settings.get("kernel_websocket_connection_class")
    if base is None:
        serverapp.log.info("lib._jupyter_server: this jupyter_server has no kernel websocket connection class")
        return
    settings["kernel_websocket_connection_class"] = nodelay_connection(base)

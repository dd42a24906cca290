"""Lighthouse on every chapter page, served gzip-compressed from loopback as a static host would.

`measure()` installs Lighthouse from benchmarks/package-lock.json (npm ci, once), starts a
loopback HTTP server over _build/html that gzips text files, runs Lighthouse's mobile preset
(simulated slow 4G and a 4x slower CPU) in Debian's Chromium for each page, and stops the server.
It returns, per page, the four category scores (0-100), the first-load transfer in bytes (what the
browser downloaded until the page was loaded: lazily loaded figures and player frames not shown
yet are not part of it) and the paint timings.
"""

import functools
import gzip
import http.server
import json
import os
import subprocess
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
COMPRESSED = (".html", ".js", ".css", ".svg", ".json", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, gzip-compressing text ones when the client accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file() or path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def log_message(self, *args):
        pass


class _Body:
    """The file-like object send_head returns, over bytes already in memory."""

    def __init__(self, data):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def install():
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)


def audit(url):
    """Lighthouse's mobile report of one URL, reduced to scores, transfer and timings."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance,accessibility,best-practices,seo",
                        f"--chrome-flags={CHROME_FLAGS}"],
                       check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        result = json.loads(report.read_text())
    audits = result["audits"]
    return {
        "scores": {name: round(100 * c["score"]) for name, c in result["categories"].items()},
        "transfer_bytes": audits["total-byte-weight"]["numericValue"],
        "fcp_s": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
    }


def measure(site, pages):
    """{page: audit} for each page (a path under `site` without .html)."""
    install()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        return {page: audit(f"http://127.0.0.1:{port}/{page}.html") for page in pages}
    finally:
        server.shutdown()
        server.server_close()

"""Images load when a reader gets to them, not all with the page.

- A player (lib/widgets) carries every frame as a `data:` URI, so its page downloaded all of
  them (hundreds of kB) before showing anything. After the build, each embedded image is written
  once to `_images/embedded/<sha256>.png` and the page refers to that file instead: a page loads
  the frame each player shows, and the browser fetches another frame when a control asks for it.
- Every `<img>` gets `loading="lazy"`: figures further down the page load as the reader scrolls.
"""

import base64
import hashlib
import re
from pathlib import Path

DATA_URI = re.compile(r"data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=]+)")
IMG_TAG = re.compile(r"<img (?![^>]*\bloading=)")


def move_embedded_images(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    folder = outdir / "_images" / "embedded"
    folder.mkdir(parents=True, exist_ok=True)
    for page in outdir.rglob("*.html"):
        prefix = "../" * (len(page.relative_to(outdir).parts) - 1)

        def to_file(match):
            data = base64.b64decode(match[2])
            name = f"{hashlib.sha256(data).hexdigest()}.{match[1]}"
            (folder / name).write_bytes(data)
            return f"{prefix}_images/embedded/{name}"

        text = page.read_text(encoding="utf-8")
        text = IMG_TAG.sub('<img loading="lazy" ', DATA_URI.sub(to_file, text))
        page.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("build-finished", move_embedded_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

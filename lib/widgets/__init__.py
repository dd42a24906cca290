"""Interactive figures that respond in a live kernel and on the static site alike.

    interactive_figure(draw, title, depth=Slider(1, 10, 1), name=Dropdown(["relu", "tanh"]))

`draw(fig, **values)` draws into an empty matplotlib Figure. The returned `InteractiveFigure`
displays as one output carrying three representations:

- `application/vnd.jupyter.widget-view+json`: the live widget (anywidget; Jupyter, Binder, Colab): the
  player's controls over every value a control takes, the frames of the grid sent once as binary
  buffers and shown without asking the kernel, and an image the kernel draws for a value off the grid
  (and, after a slider's move, for its next value off the grid that way, kept for the next move);
  every move tells the kernel the current values (`InteractiveFigure.values`);
- `text/html`: a self-contained player of frames precomputed over a grid of the control values,
  with plain HTML controls (the static site: no kernel, no network).

Both run one front end, `player.js` beside this file (inlined in the site's player as a module
script; anywidget imports it in a kernel), styled by `player.css` (the site links it once per page,
_ext/offline_site.py; anywidget loads it with the view).
- `text/plain`: a one-line description, stable from run to run (what nbval compares, with the
  frames' base64 sanitized away).

No `Output` widget and no `clear_output` are used, so strict nbval sees exactly one output. The
figure is shown with display(), also as a cell's last expression (Colab's widget manager renders
only displayed outputs).

A control that matters only for some values of another control says so with `when`:

    interactive_figure(draw, title, name=Dropdown(["relu", "elu"]),
                       alpha=Slider(0, 1, 0.1, when={"name": ["elu"]}))

Elsewhere the control is disabled (greyed) in the live widget and in the player, `draw` gets the
control's initial value, and the player embeds no frames for its other values.
"""

import base64
import contextlib
import gc
import html
import io
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

import anywidget
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from lib._parallel import forked_map

MAX_SLIDER_FRAMES = 21  # values a slider offers in the static player
MAX_SLIDER_VALUES = 10_000  # values a live slider may take (more is not a slider a hand can move)
MAX_PLAYER_FRAMES = 256  # combinations of values one player may embed (each a PNG in the page)
FRONT_END = Path(__file__).parent / "player.js"  # the player and the live view, one ES module
STYLES = Path(__file__).parent / "player.css"


class Control:
    """What every control of an interactive figure provides; the figure and its player ask nothing else.

    values(): every value the live widget can take;  grid(): the values the static player offers
    (a subset of values());  labels(): how each grid value is shown;  initial(): the starting value;
    html_input(index, start, labels, label, disabled): the player's HTML input for control number
    `index` over values shown as `labels` (the grid's on the site, every value's in a kernel), whose
    `value` (or `checked`) is the number of a value;  when: None (always enabled) or {other control's
    name: the values that enable this one}.
    """

    when = None

    def enabled(self, values):
        """Whether this control does anything for these values {name: value} of all the controls: every
        condition of `when` holds (the named control's value is one of the listed ones)."""
        return self.when is None or all(values[name] in allowed for name, allowed in self.when.items())

    def values(self):
        return self.grid()

    def initial(self):
        return self.grid()[0] if self.value is None else self.value

    def label_of(self, value):
        """How one value is shown: its grid label, or the value itself off the grid."""
        grid = self.grid()
        return self.labels()[grid.index(value)] if value in grid else f"{value}"


@dataclass(frozen=True)
class Slider(Control):
    """A numeric slider over min, min + step, ..., max; the static player keeps <= 21 of its values."""

    min: float
    max: float
    step: float
    value: float = None
    label: str = None
    when: dict = None

    def __post_init__(self):
        if not (self.step > 0 and self.max > self.min):
            raise ValueError(f"Slider needs max > min and step > 0, got {self.min}, {self.max}, {self.step}")
        steps = (self.max - self.min) / self.step
        if abs(steps - round(steps)) > 1e-9 * steps:
            raise ValueError(f"Slider's range {self.min}..{self.max} must be a whole number of steps of {self.step}")
        if round(steps) + 1 > MAX_SLIDER_VALUES:
            raise ValueError(f"Slider has {round(steps) + 1} values; at most {MAX_SLIDER_VALUES:,} fit a slider")
        if self.value is not None and not self.min <= self.value <= self.max:
            raise ValueError(f"Slider value {self.value} is outside [{self.min}, {self.max}]")

    @property
    def is_int(self):
        return all(float(v).is_integer() for v in (self.min, self.max, self.step))

    def values(self):
        """Every value the live slider can take: min, min + step, ..., max."""
        count = int(round((self.max - self.min) / self.step)) + 1
        return [int(v) if self.is_int else round(float(v), 10) for v in self.min + np.arange(count) * self.step]

    def grid(self):
        """The values the static player offers: every step, thinned evenly to at most 21. The ends are
        always kept, and so is the initial value (it replaces the nearest value between the ends)."""
        values = self.values()
        idx = np.unique(np.round(np.linspace(0, len(values) - 1, min(len(values), MAX_SLIDER_FRAMES))).astype(int))
        grid = [values[i] for i in idx]
        start = min(values, key=lambda v: abs(v - self.initial()))
        if start not in grid:  # only when thinned, so grid has values between its ends
            inner = range(1, len(grid) - 1)
            grid[min(inner, key=lambda i: abs(grid[i] - start))] = start
        return grid

    def initial(self):
        return self.min if self.value is None else self.value

    def labels(self):
        return [f"{v:g}" for v in self.grid()]

    def label_of(self, value):
        return f"{value:g}"

    def html_input(self, index, start, labels, label, disabled=False):
        text = html.escape(labels[start])
        return (f'<span class="nnc-slider"><label{_GREYED[disabled]}>{label} <input type="range" '
                f'data-control="{index}" min="0" max="{len(labels) - 1}" step="1" value="{start}" '
                f'aria-valuetext="{text}"{_DISABLED[disabled]}></label>'
                f'<output data-for="{index}"{_GREYED[disabled]}>{text}</output></span>')


@dataclass(frozen=True)
class Dropdown(Control):
    """A choice among `options` (strings, or (label, value) pairs)."""

    options: list
    value: object = None
    label: str = None
    when: dict = None

    def __post_init__(self):
        if len(self.options) == 0:
            raise ValueError("Dropdown needs at least one option")

    def _pairs(self):
        return [o if isinstance(o, tuple) else (str(o), o) for o in self.options]

    def grid(self):
        return [value for _, value in self._pairs()]

    def labels(self):
        return [label for label, _ in self._pairs()]

    def html_input(self, index, start, labels, label, disabled=False):
        options = "".join(f'<option value="{i}"{" selected" if i == start else ""}>{html.escape(text)}</option>'
                          for i, text in enumerate(labels))
        return (f'<label{_GREYED[disabled]}>{label} <select data-control="{index}"{_DISABLED[disabled]}>{options}'
                '</select></label>')


@dataclass(frozen=True)
class Toggle(Control):
    """An on/off checkbox."""

    value: bool = False
    label: str = None
    when: dict = None

    def grid(self):
        return [False, True]

    def labels(self):
        return ["off", "on"]

    def html_input(self, index, start, labels, label, disabled=False):
        checked = " checked" if start else ""
        return (f'<label{_GREYED[disabled]}><input type="checkbox" data-control="{index}"{checked}'
                f'{_DISABLED[disabled]}> {label}</label>')


# How a player's control shows that it does nothing (its `when` does not hold): disabled, with its
# label and value greyed.
_DISABLED = {False: "", True: " disabled"}
_GREYED = {False: "", True: ' style="opacity:.5"'}


class LiveFigure(anywidget.AnyWidget):
    """The live view of an InteractiveFigure (player.js's `render`). html: the controls and the image;
    data: player.js's data (JSON); frames: the grid's PNGs; at: the numbers of the current values, set
    by the view; image, alt, image_at: the kernel's drawing for values off the grid (`drawn` counts them)."""

    _esm = FRONT_END.read_text()
    _css = STYLES.read_text()
    html = traitlets.Unicode().tag(sync=True)
    data = traitlets.Unicode().tag(sync=True)
    frames = traitlets.List(traitlets.Bytes()).tag(sync=True)
    at = traitlets.List(traitlets.Int()).tag(sync=True, echo_update=False)  # no echo: one message a move
    image = traitlets.Bytes().tag(sync=True)
    alt = traitlets.Unicode().tag(sync=True)
    image_at = traitlets.List(traitlets.Int()).tag(sync=True)
    drawn = traitlets.Int(0).tag(sync=True)


def _empty(fig):
    """Leave fig (a Figure or SubFigure) as a new one, as `fig.clear()` does but sooner (clear() first
    clears each axes, rebuilding its ticks, only to drop it: a sixth of a redraw), and with the
    layout a new figure gets (a drawing laid out by hand, `style.hand_layout`, leaves no trace)."""
    for sub in fig.subfigs:
        _empty(sub)
    for ax in tuple(fig.axes):
        fig.delaxes(ax)
    fig.clear()
    if fig is fig.figure:
        fig.set_layout_engine(None)  # from rcParams, as at construction


@contextlib.contextmanager
def _collecting_only_new_objects():
    """Inside, a garbage collection looks only at the objects made inside (`gc.freeze` sets the others
    aside, `gc.unfreeze` returns them): a full collection of a kernel's heap takes 60-80 ms, and
    matplotlib's allocations start one every few drawings (in the middle of one a reader waits for,
    or of a player's frames). Does nothing when objects are frozen already (someone else's freeze is
    left alone)."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass
class InteractiveFigure:
    """A figure redrawn from `draw(fig, **values)` as controls change; see the module docstring."""

    draw: object
    title: str
    controls: dict
    figsize: tuple = (5.0, 3.2)  # lib.figures.style.WIDTH wide at most: readable on a phone
    dpi: int = 100
    _widget: object = field(default=None, init=False, repr=False)
    _static_html: str = field(default=None, init=False, repr=False)
    _grid_frames: tuple = field(default=None, init=False, repr=False)

    def __post_init__(self):
        self._figure = Figure(figsize=self.figsize, dpi=self.dpi)
        FigureCanvasAgg(self._figure)
        self._images = {}  # PNG of every combination of values drawn so far, player frames included
        # the current values: the initial ones, then each move of the live widget's controls
        self.values = {name: c.initial() for name, c in self.controls.items()}

    def render(self, **values):
        """Draw the figure for these control values; returns the RGBA pixels (H, W, 4) uint8."""
        with _collecting_only_new_objects():
            _empty(self._figure)
            self.draw(self._figure, **values)
            self._figure.canvas.draw()
        return np.asarray(self._figure.canvas.buffer_rgba())

    def png(self, palette=False, **values):
        """The figure for these values as PNG bytes; palette=True quantizes to 8 bits (smaller, for frames,
        made once), else the fastest compression (the same pixels: a drawing a reader is waiting for)."""
        image = Image.fromarray(self.render(**values)).convert("RGB")
        if palette:
            image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", **({"optimize": True} if palette else {"compress_level": 1}))
        self._images[self._key(values)] = buffer.getvalue()
        return buffer.getvalue()

    def _key(self, values):
        return tuple(values[name] for name in self.controls)

    def effective(self, values):
        """The values `draw` gets: each disabled control's (see `Control.when`) replaced by its initial one."""
        return {n: v if self.controls[n].enabled(values) else self.controls[n].initial() for n, v in values.items()}

    def image(self, **values):
        """The PNG for these values: drawn before (e.g. as a player frame) or drawn now."""
        values = self.effective(values)
        cached = self._images.get(self._key(values))
        return cached if cached is not None else self.png(**values)

    def describe(self, values):
        """Alt text: the title and every enabled control's value."""
        parts = [f"{c.label or n} = {c.label_of(values[n])}" for n, c in self.controls.items() if c.enabled(values)]
        return f"{self.title} ({', '.join(parts)})"

    # --- the player's data: the same for the live widget and the static site -----------------------
    def _frames(self):
        """(frames, frame_of, alts) over every combination of grid values (made once): the distinct
        palette PNGs, and for combination i (row-major, first control slowest) its frame's number and
        alt text. A combination with a disabled control off its initial value is not drawn: it shows
        the frame drawn with that control at its initial value (what `draw` gets for it anyway)."""
        if self._grid_frames is None:
            names = list(self.controls)
            combinations = [dict(zip(names, combo)) for combo in
                            itertools.product(*(self.controls[n].grid() for n in names))]
            drawn = [values for values in combinations if self.effective(values) == values]
            if len(drawn) > MAX_PLAYER_FRAMES:
                raise ValueError(f"the player would embed {len(drawn)} frames; at most {MAX_PLAYER_FRAMES} "
                                 "keep a page light: use fewer control values")
            frames, frame_at = {}, {}  # identical images (a control that is ignored) kept once
            # the first frame drawn here: this process (which draws the values off the grid) and the
            # workers forked from it then start with matplotlib's text caches filled
            pngs = [self.png(palette=True, **drawn[0])]
            pngs += forked_map(lambda values: self.png(palette=True, **values), [(v,) for v in drawn[1:]])
            for values, png in zip(drawn, pngs):
                self._images[self._key(values)] = png  # drawn here or in a worker: kept here
                frame_at[self._key(values)] = frames.setdefault(png, len(frames))
            frame_of = [frame_at[self._key(self.effective(values))] for values in combinations]
            self._grid_frames = (list(frames), frame_of, [self.describe(values) for values in combinations])
        return self._grid_frames

    def _player(self, live):
        """(controls HTML, data for player.js) with inputs over the grid (site) or every value (live)."""
        names = list(self.controls)
        grids = [self.controls[n].grid() for n in names]
        options = [self.controls[n].values() if live else g for n, g in zip(names, grids)]
        _, frame_of, alts = self._frames()
        data = {"sizes": [len(g) for g in grids],
                "labels": [[self.controls[n].label_of(v) for v in o] for n, o in zip(names, options)],
                "initial": [g.index(self.controls[n].initial()) for n, g in zip(names, grids)],
                "frame_of": frame_of, "alts": alts}
        if live:
            data["grid_at"] = [[{v: i for i, v in enumerate(g)}.get(v, -1) for v in o] for g, o in zip(grids, options)]
        if any(self.controls[n].when is not None for n in names):
            # when[c]: null, or [[index of another control, [numbers of its values that enable c]], ...]
            data["when"] = [None if self.controls[n].when is None else
                            [[names.index(other), [i for i, v in enumerate(options[names.index(other)]) if v in allowed]]
                             for other, allowed in self.controls[n].when.items()] for n in names]
        initial = {n: c.initial() for n, c in self.controls.items()}
        controls_html = "".join(
            self.controls[n].html_input(c, o.index(initial[n]), labels, html.escape(self.controls[n].label or n),
                                        disabled=not self.controls[n].enabled(initial))
            for c, (n, o, labels) in enumerate(zip(names, options, data["labels"])))
        return f'<div class="nnc-controls">{controls_html}</div>', data

    # --- live kernel -------------------------------------------------------------------------
    def widget(self):
        """The live widget (made once): the player's controls and frames, and the kernel drawing the
        values off the grid; each move of a control sets `values`."""
        if self._widget is None:
            controls_html, data = self._player(live=True)
            width = round(self.figsize[0] * self.dpi)  # natural size, never upscaled
            self._widget = LiveFigure(
                html=f'{controls_html}<img width="{width}" alt="{html.escape(self.describe(self.values))}">',
                data=json.dumps(data, separators=(",", ":")), frames=self._frames()[0],
                at=[self.controls[n].values().index(v) for n, v in self.values.items()])
            self._widget.observe(self._moved, names="at")
        return self._widget

    def _moved(self, change):
        """The view moved a control: record the values; draw them if the player has no frame for them,
        then draw ahead (`_draw_ahead`)."""
        self.values = self._values_at(change["new"])
        if self._off_grid(self.values):
            with self._widget.hold_sync():
                self._widget.image = self.image(**self.values)
                self._widget.alt = self.describe(self.values)
                self._widget.image_at = list(change["new"])
                self._widget.drawn += 1
        self._draw_ahead(change["old"], change["new"])

    def _values_at(self, at):
        """{name: value} for the values' numbers `at` (one per control, into its `values()`)."""
        return {n: self.controls[n].values()[i] for n, i in zip(self.controls, at)}

    def _off_grid(self, values):
        """Whether the player has no frame for these values (the kernel draws them)."""
        return any(v not in self.controls[n].grid() for n, v in self.effective(values).items())

    def _draw_ahead(self, old, new, reach=2):
        """After one slider moved one way (the values' numbers `old` to `new`), draw the first value
        off the grid among its next `reach` values that way, unless drawn already, while the reader
        looks: stepping on, the reader finds it drawn (the round trip only, ~30 ms instead of a
        drawing's 50-100 ms). Nothing is sent; the image waits in the figure's images."""
        moved = [c for c, (a, b) in enumerate(zip(old, new)) if a != b]
        if len(moved) != 1 or not isinstance(list(self.controls.values())[moved[0]], Slider):
            return
        c = moved[0]
        step, count = (1 if new[c] > old[c] else -1), len(list(self.controls.values())[c].values())
        for k in range(1, reach + 1):
            at = list(new)
            at[c] += k * step
            if not 0 <= at[c] < count:
                return
            values = self._values_at(at)
            if self._off_grid(values):
                self.image(**values)
                return

    # --- static site -------------------------------------------------------------------------
    def static_html(self):
        """A self-contained HTML player over the grid of control values (made once)."""
        if self._static_html is None:
            frames, frame_of, alts = self._frames()
            controls_html, data = self._player(live=False)
            data["frames"] = ["data:image/png;base64," + base64.b64encode(f).decode() for f in frames]
            index = int(np.ravel_multi_index(data["initial"], data["sizes"]))
            payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
            self._static_html = (
                f'<div class="nnc-player" role="group" aria-label="{html.escape(self.title)}">{controls_html}'
                f'<img src="{data["frames"][frame_of[index]]}" alt="{html.escape(alts[index])}">'
                f'<script type="application/json">{payload}</script>'
                f'<script type="module">{FRONT_END.read_text()}</script></div>')
        return self._static_html

    def description(self):
        """One stable line: what the figure shows and which controls it has."""
        kinds = ", ".join(f"{c.label or n} ({type(c).__name__.lower()})" for n, c in self.controls.items())
        return f"Interactive figure: {self.title}. Controls: {kinds}."

    def _ipython_display_(self):
        """Show the figure through display(), even as a cell's last expression: Colab's widget
        manager renders only displayed outputs (display_data), not a cell's result."""
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)

    def _repr_mimebundle_(self, include=None, exclude=None):
        view = {"version_major": 2, "version_minor": 0, "model_id": self.widget().model_id}
        return {
            "text/plain": self.description(),
            "text/html": self.static_html(),
            "application/vnd.jupyter.widget-view+json": view,
        }


def interactive_figure(draw, title, figsize=(5.0, 3.2), **controls):
    """Make an interactive figure: `draw(fig, **values)` redrawn for each control's value.

    controls: name=Slider(...) | Dropdown(...) | Toggle(...); the names are draw's keyword arguments.
    A control's `when={"other": [values]}` enables it only while control `other` has one of those
    values (see the module docstring); `other` must be a control without a `when` of its own.
    """
    if not controls:
        raise ValueError("interactive_figure needs at least one control")
    for name, control in controls.items():
        if not isinstance(control, Control):
            raise TypeError(f"control {name!r} must be a Control (Slider, Dropdown, Toggle), "
                            f"got {type(control).__name__}")
    for name in controls:
        _check_when(name, controls)
    return InteractiveFigure(draw, title, controls, figsize)


def _check_when(name, controls):
    """TypeError or ValueError unless controls[name].when is None or {another control's name: a
    non-empty list of values it takes}, naming only controls that are always enabled."""
    when = controls[name].when
    if when is not None and not (isinstance(when, dict) and all(isinstance(k, str) for k in when)):
        raise TypeError(f"control {name!r}: when must be a dict {{control name: [values]}}, got {when!r}")
    for other, allowed in (when or {}).items():
        if not isinstance(allowed, (list, tuple, set, frozenset)):
            raise TypeError(f"control {name!r}: when[{other!r}] must be a list of values, got {allowed!r}")
        if not allowed:
            raise ValueError(f"control {name!r}: when[{other!r}] is empty, so it would never be enabled")
        if other not in controls or other == name:
            raise ValueError(f"control {name!r}: when names {other!r}, which is not another control "
                             f"({', '.join(repr(n) for n in controls if n != name)})")
        if controls[other].when is not None:
            raise ValueError(f"control {name!r}: when names {other!r}, which has a `when` of its own; "
                             "only a control that is always enabled can enable another")
        unknown = [v for v in allowed if v not in controls[other].values()]
        if unknown:
            raise ValueError(f"control {name!r}: when lists {unknown!r}, which {other!r} never takes")

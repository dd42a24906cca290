// The front end of an interactive figure (lib/widgets): one module for both places it is shown.
//
// - On the static site each player inlines this file as a module script (Chromium refuses
//   module scripts loaded from file://, not inline ones): its last lines start every player on the
//   page that has not started yet, from the JSON data beside the player's controls.
// - In a kernel (JupyterLab, Notebook 7, Colab, VS Code) anywidget imports it and calls `render`:
//   the same controls and the same `attach`, with the frames sent as binary buffers. A move to a
//   value with a frame shows it at once (every frame is loaded and decoded ahead) and then tells
//   the kernel the current values; a move off the frames' grid tells it at once and waits for the
//   image the kernel draws.
//
// The player's data (JSON): for each control c, labels[c][v] is how value number v (the input's
// value, or 0/1 for a checkbox) is shown; sizes[c] is the number of grid values; grid_at[c][v] is
// value v's grid index or -1 (absent: every value is a grid value); initial[c] is the grid index of
// the initial value; frame_of[i] and alts[i] are the frame and alt text of grid combination i
// (row-major, first control slowest); when[c] (optional) is null or [[other control, [its values
// that enable c]], ...].

function position(input) {
  return input.type === "checkbox" ? (input.checked ? 1 : 0) : parseInt(input.value, 10);
}

// Load and decode images ahead: an <img> given a URL that this document has loaded before shows it
// at once (the HTML standard's "list of available images"), with no fetch and no decoding between
// a move and its frame. The returned images keep them available while the player lives.
export function preload(urls) {
  return urls.map((url) => {
    const image = new Image();
    image.src = url;
    image.decode().catch(() => {});
    return image;
  });
}

// Call `f` once the next frame is on screen (a task after the animation frame that paints it).
function afterPaint(f) {
  requestAnimationFrame(() => setTimeout(f, 0));
}

// Make the player in `root` follow its controls. `tell(at)`, if given, is given the values' numbers
// after a move: at once when the player has no frame for them (the kernel draws it), else after the
// frame is on screen (only the latest values, so that telling costs the move nothing). Returns
// {at} (the current values' numbers, read at any time).
export function attach(root, data, frames, tell) {
  const img = root.querySelector("img");
  const inputs = Array.from(root.querySelectorAll("[data-control]"));
  const outputs = inputs.map((_, c) => root.querySelector(`output[data-for='${c}']`));
  const greyed = inputs.map((input, c) => [input.closest("label"), outputs[c]].filter((e) => e));
  const state = { at: inputs.map(position) };
  let told = state.at.join();
  let telling = false;

  function sendLatest() {
    telling = false;
    if (state.at.join() !== told) {
      told = state.at.join();
      tell(state.at);
    }
  }

  function update(moved) {
    const at = inputs.map(position);
    if (moved && at.every((v, c) => v === state.at[c])) { return; }  // "change" after "input": done
    state.at = at;
    let index = 0;
    let onGrid = true;
    inputs.forEach((input, c) => {
      const on = !data.when || (data.when[c] || []).every((w) => w[1].indexOf(at[w[0]]) >= 0);
      if (input.disabled === on) {
        input.disabled = !on;
        greyed[c].forEach((e) => { e.style.opacity = on ? "" : ".5"; });
      }
      const label = data.labels[c][at[c]];
      if (outputs[c]) { outputs[c].textContent = label; }
      if (input.type === "range") { input.setAttribute("aria-valuetext", label); }
      // a disabled control does nothing: its frames are those of its initial value
      let g = data.grid_at ? data.grid_at[c][at[c]] : at[c];
      if (!on) { g = data.initial[c]; }
      if (g < 0) { onGrid = false; }
      index = index * data.sizes[c] + g;
    });
    if (onGrid) {
      img.src = frames[data.frame_of[index]];
      img.alt = data.alts[index];
      root.removeAttribute("data-waiting");
    } else {
      root.setAttribute("data-waiting", "");  // until the kernel's image arrives
    }
    if (moved && tell) {
      if (!onGrid) { sendLatest(); }
      else if (!telling) { telling = true; afterPaint(sendLatest); }
    }
  }

  inputs.forEach((input) => {
    input.addEventListener("input", () => update(true));
    input.addEventListener("change", () => update(true));
  });
  update(false);
  return state;
}

// anywidget's entry point: the live widget's view.
function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "nnc-player";
  root.setAttribute("role", "group");
  root.innerHTML = model.get("html");
  // the controls' own keys (arrows move a slider or a menu) must not also move JupyterLab's cell focus
  root.addEventListener("keydown", (event) => event.stopPropagation());
  el.appendChild(root);
  const data = JSON.parse(model.get("data"));
  const frames = model.get("frames").map((b) => URL.createObjectURL(new Blob([b], { type: "image/png" })));
  const loaded = preload(frames);
  const img = root.querySelector("img");
  const player = attach(root, data, frames, (at) => {
    model.set("at", at);
    model.save_changes();
  });
  let drawn = null;  // the kernel's image shown last: [its URL, the image that keeps it decoded]
  const current = (at) => at.length === player.at.length && at.every((v, c) => v === player.at[c]);
  function showDrawn() {
    const at = model.get("image_at");
    const alt = model.get("alt");
    if (!current(at)) { return; }  // a later move
    const url = URL.createObjectURL(new Blob([model.get("image")], { type: "image/png" }));
    const [image] = preload([url]);
    image.decode().catch(() => {}).then(() => {  // decoded before it is shown: the swap is one frame
      if (!current(at)) { URL.revokeObjectURL(url); return; }
      img.src = url;
      img.alt = alt;
      root.removeAttribute("data-waiting");
      if (drawn) { URL.revokeObjectURL(drawn[0]); }
      drawn = [url, image];
    });
  }
  model.on("change:drawn", showDrawn);
  return () => {
    model.off("change:drawn", showDrawn);
    loaded.length = 0;
    frames.concat(drawn ? [drawn[0]] : []).forEach((u) => URL.revokeObjectURL(u));
  };
}

export default { render };

// The static site: start every player on the page (each player's copy of this module starts the
// ones not started yet).
document.querySelectorAll(".nnc-player:not([data-ready])").forEach((root) => {
  const script = root.querySelector("script[type='application/json']");
  if (!script) { return; }
  root.setAttribute("data-ready", "");
  const data = JSON.parse(script.textContent);
  attach(root, data, data.frames, null);
  // decode the frames once a reader comes to the player (not on every page load)
  const ahead = () => {
    ["pointerenter", "focusin", "touchstart"].forEach((e) => root.removeEventListener(e, ahead));
    root.nncFrames = preload(data.frames);  // kept while the player lives
  };
  ["pointerenter", "focusin", "touchstart"].forEach((e) => root.addEventListener(e, ahead, { passive: true }));
});

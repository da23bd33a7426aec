// kstack web: moving through the run: step forward and back, jump to the next or previous event
// of a kind, the scrubber, and the keys for all of them. With a machine beside, both move
// together (the scrubber maps a position of the run to the same fraction of the other's run).
"use strict";

const KEYS = { s: "syscall", k: "stack", w: "switch", i: "irq" };
/** More keys of the page (the drawing's: drawing.js), by the key pressed. */
const KEY_ACTIONS = {};
/** Keys a focused drawing keeps for scrolling itself. */
const SCROLL_KEYS = new Set(["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown", "Home", "End", " "]);

function otherStep(st, stOther, step) {
  const span = Math.max(1, st.frontier - st.floor);
  const f = (step - st.floor) / span;
  return Math.round(stOther.floor + f * (stOther.frontier - stOther.floor));
}

function setUpTime(view, act) {
  $("forward").addEventListener("click", () => act((s) => api.step(s, "forward")));
  $("back").addEventListener("click", () => act((s) => api.step(s, "back")));
  document.querySelectorAll(".jumps button").forEach((b) => {
    b.addEventListener("click", () => act((s) => api.jump(s, b.dataset.kind, b.dataset.dir)));
  });
  let pending = null;
  const scrub = () => {
    const step = Number($("scrubber").value);
    $("scrub-label").textContent = "step " + step;
    clearTimeout(pending);
    pending = setTimeout(() => act((s, side) => api.seek(s, side === 0 ? step
      : otherStep(view.states[0], view.states[side], step))), 30);
  };
  $("scrubber").addEventListener("input", scrub);
  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA" || ev.ctrlKey || ev.metaKey || ev.altKey) {
      if (ev.key === "Escape") t.blur();
      return;
    }
    if (t.classList && t.classList.contains("picture") && SCROLL_KEYS.has(ev.key)) return;
    const key = ev.key.toLowerCase();
    if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
      act((s) => api.step(s, ev.key === "ArrowRight" ? "forward" : "back"));
    } else if (KEYS[key]) {
      act((s) => api.jump(s, KEYS[key], ev.shiftKey ? "back" : "forward"));
    } else if (ev.key === "/") {
      $("command").focus();
    } else if (key === "g") {
      $("scrubber").focus();
    } else if (key === "l") {
      navigator.clipboard?.writeText($("link").href).catch(() => {});
      say("link: " + $("link").href);
    } else if (KEY_ACTIONS[ev.key] || KEY_ACTIONS[key]) {
      (KEY_ACTIONS[ev.key] || KEY_ACTIONS[key])();
    } else {
      return;
    }
    ev.preventDefault();
  });
}

function showTime(view) {
  const st = view.states[0];
  const bar = $("scrubber");
  bar.min = st.floor;
  bar.max = st.frontier;
  if (document.activeElement !== bar) bar.value = st.step;
  $("scrub-label").textContent = "step " + st.step + " of " + st.frontier;
  $("step").textContent = view.states.map((s) => "step " + s.step).join(" | ");
}

// kstack web: what the drawing shows and how. The selection is the selected CPU's current task
// (the default: the task the commands act on), a picked pid, or every stack; a picked pid with no
// task at the step shown draws the current task instead and the note says so (the server decides,
// GET /api/drawing), and the pick comes back when the task does. The zoom and the scroll to the
// stack pointer are zoom.js's; a tour stop's region is outlined here. Plain JavaScript.
"use strict";

/** The selection as the API names it: a pid, "current" or "all". */
function selection(view) {
  return view.pid || "current";
}

/** Puts a drawing answer into pic: sized to the zoom, changes and the tour's region marked. */
function showDrawing(view, pic, d, st) {
  const top = pic.scrollTop;
  const left = pic.scrollLeft;
  pic.innerHTML = d.svg;
  markDrawing(pic, st);
  applyZoom(pic, view.zoom, false);
  pic.scrollTop = top;
  pic.scrollLeft = left;
  let target = null;
  const look = view.look ? pic.querySelector("#" + CSS.escape(view.look)) : null;
  if (look) {
    look.classList.add("tour-look");
    if (view.lookPending) target = look;
  }
  const drawn = d.pid === null ? "all" : String(d.pid);
  const moved = pic.dataset.step !== String(st.step) || pic.dataset.drawn !== drawn;
  pic.dataset.step = String(st.step);
  pic.dataset.drawn = drawn;
  if (target) {
    bringIntoSight(pic, target);
  } else if (moved) {
    bringIntoSight(pic, stackPointerMark(pic, st));
  }
}

/** The line over the drawing: what each drawing shows, or why it shows something else. */
function renderNote(view) {
  const notes = view.drawn.map((d, side) => {
    if (!d) return "";
    const tag = view.drawn.length > 1 ? view.labels[side] + ": " : "";
    return tag + (d.note || "drawing " + d.what);
  });
  const box = $("drawing-note");
  box.textContent = notes.filter((n) => n).join(" | ");
  box.classList.toggle("fallback", view.drawn.some((d) => d && d.note));
  $("show-current").setAttribute("aria-pressed", String(!view.pid));
  $("show-all").setAttribute("aria-pressed", String(view.pid === "all"));
  $("zoom-label").textContent = view.zoom === "fit" ? "fit width" : view.zoom + "%";
}

/**
 * The drawing's controls and keys: current task (C), all stacks (A toggles), a pid (P focuses the
 * field), fit width (F), zoom out (-), 1:1 (0), zoom in (+ or =), focus the drawing to scroll it with
 * the arrow keys (D). redraw draws both sides again;
 * rezoom resizes them in place.
 */
function setUpDrawing(view, redraw, rezoom) {
  const select = (pid) => {
    if (pid !== "all") view.lastPick = pid;
    view.pid = pid;
    $("pid").value = pid;
    redraw();
  };
  const zoom = (z) => {
    view.zoom = z;
    rezoom();
  };
  $("show-current").addEventListener("click", () => select(""));
  $("show-all").addEventListener("click", () => select("all"));
  $("pid").addEventListener("change", () => {
    const v = $("pid").value.trim();
    if (v === "" || v === "all" || /^\d{1,9}$/.test(v)) select(v);
    else say("pid: a number, all, or empty for the current task (not '" + v + "')");
  });
  $("zoom-fit").addEventListener("click", () => zoom("fit"));
  $("zoom-reset").addEventListener("click", () => zoom(100));
  $("zoom-in").addEventListener("click", () => zoom(stepZoom($("picture"), view.zoom, 1)));
  $("zoom-out").addEventListener("click", () => zoom(stepZoom($("picture"), view.zoom, -1)));
  window.addEventListener("resize", () => {
    if (view.zoom === "fit") rezoom();
  });
  Object.assign(KEY_ACTIONS, {
    a: () => select(view.pid === "all" ? (view.lastPick || "") : "all"),
    c: () => select(""),
    p: () => $("pid").focus(),
    d: () => $("picture").focus(),
    f: () => zoom("fit"),
    "0": () => zoom(100),
    "+": () => $("zoom-in").click(),
    "=": () => $("zoom-in").click(),
    "-": () => $("zoom-out").click(),
  });
}

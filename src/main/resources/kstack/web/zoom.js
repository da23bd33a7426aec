// kstack web: the drawing's scale and scroll. Zoom is "fit" (the drawing as wide as its pane) or a
// percentage of the SVG's own size (100: 1:1, one word 12 pixels high); the same zoom for both
// drawings of a side-by-side view, kept in the view's link. After a step, a drawing whose selected
// CPU's stack pointer mark is out of sight scrolls to it; a tour stop scrolls to the region it
// points at instead. Plain JavaScript, no library.
"use strict";

const ZOOMS = [10, 15, 25, 33, 50, 67, 80, 100, 125, 150, 200, 300];

/** The zoom a hash value names: "fit", or a percentage within the steps' range (else 100). */
function parseZoom(text) {
  if (text === "fit") return "fit";
  const n = Number(text);
  return Number.isFinite(n) && n >= ZOOMS[0] && n <= ZOOMS[ZOOMS.length - 1] ? n : 100;
}

/** The SVG's own width and height (its viewBox), read once from the attributes the server wrote. */
function svgSize(svg) {
  const vb = (svg.getAttribute("viewBox") || "").split(/\s+/).map(Number);
  return vb.length === 4 ? [vb[2], vb[3]] : [Number(svg.getAttribute("width")), Number(svg.getAttribute("height"))];
}

/** The percentage a drawing is shown at under zoom (fit: its pane's width over its own). */
function percentOf(pic, zoom) {
  const svg = pic.querySelector("svg");
  if (!svg || zoom !== "fit") return zoom === "fit" ? 100 : zoom;
  return Math.max(1, (pic.clientWidth / svgSize(svg)[0]) * 100);
}

/**
 * Sizes the drawing in pic to the zoom; keepCentre: the point at the pane's centre stays there (a
 * zoom), else the scroll offsets are the caller's (a new drawing at the same zoom).
 */
function applyZoom(pic, zoom, keepCentre) {
  const svg = pic.querySelector("svg");
  if (!svg) return;
  const [w, h] = svgSize(svg);
  const before = keepCentre ? svg.getBoundingClientRect() : null;
  const cx = before && before.width ? (pic.scrollLeft + pic.clientWidth / 2) / before.width : 0;
  const cy = before && before.height ? (pic.scrollTop + pic.clientHeight / 2) / before.height : 0;
  const z = percentOf(pic, zoom) / 100;
  svg.style.width = (w * z) + "px";
  svg.style.height = (h * z) + "px";
  svg.dataset.zoom = String(Math.round(z * 100));
  if (before && before.width) {
    pic.scrollLeft = cx * w * z - pic.clientWidth / 2;
    pic.scrollTop = cy * h * z - pic.clientHeight / 2;
  }
}

/** The next zoom step in or out from what the drawing shows now. */
function stepZoom(pic, zoom, dir) {
  const now = percentOf(pic, zoom);
  if (dir > 0) return ZOOMS.find((z) => z > now + 0.5) || ZOOMS[ZOOMS.length - 1];
  return ZOOMS.slice().reverse().find((z) => z < now - 0.5) || ZOOMS[0];
}

/** Whether el lies wholly inside pic's visible part. */
function inSight(pic, el) {
  const r = el.getBoundingClientRect();
  const c = pic.getBoundingClientRect();
  return r.top >= c.top && r.bottom <= c.bottom && r.left >= c.left && r.right <= c.right;
}

/** Scrolls pic so that el is in sight (a third from the left, half-way down) when it is not. */
function bringIntoSight(pic, el) {
  if (!el || inSight(pic, el)) return;
  const r = el.getBoundingClientRect();
  const c = pic.getBoundingClientRect();
  pic.scrollTop += r.top - c.top - (c.height - Math.min(r.height, c.height)) / 2;
  pic.scrollLeft += r.left - c.left - c.width / 3;
}

/**
 * The selected CPU's stack pointer in a drawing: its mark on the stack it points into, else the
 * arrow from the CPU's box; null when neither is drawn.
 */
function stackPointerMark(pic, st) {
  const c = st.cpus.find((x) => x.cpu === st.selected_cpu) || st.cpus[0];
  if (!c || !c.sp) return null;
  return pic.querySelector('.mark-sp[data-address="' + c.sp + '"]')
    || pic.querySelector("#" + CSS.escape("arrow-cpu" + c.cpu + "-" + c.sp_name));
}

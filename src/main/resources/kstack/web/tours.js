// kstack web, the guided tours (GET /api/tours, GET /api/tour): in <section id="tour">, a tour
// picker, the stop's text, the commands the stop ran in its own session with their output, and
// the stacks drawn with the region the stop points at outlined. Prev/next move between stops
// (the server replays the stops before one on a fresh machine). Plain JavaScript, no library.
// The tour's session is announced as a "kstack:session" event, so the rest of the page can follow it.
"use strict";

(() => {
  const box = document.getElementById("tour");
  if (!box) return;
  const state = { name: null, stop: 1, stops: 0, lang: (navigator.language || "").startsWith("zh") ? "zh" : "en" };
  const el = (tag, attrs, text) => {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const style = el("style", {}, ".tour-look > rect { stroke: #e65c00; stroke-width: 4px; }"
    + " #tour-picture { max-height: 60vh; overflow: auto; } #tour-output { max-height: 20em; overflow: auto; }");
  document.head.appendChild(style);

  const pick = el("select", { id: "tour-pick", "aria-label": "tour" });
  const lang = el("select", { id: "tour-lang", "aria-label": "language" });
  [["en", "English"], ["zh", "中文"]].forEach(([v, t]) => {
    const o = el("option", { value: v }, t);
    if (v === state.lang) o.selected = true;
    lang.appendChild(o);
  });
  const prev = el("button", { id: "tour-prev", type: "button" }, "◀ prev");
  const next = el("button", { id: "tour-next", type: "button" }, "next ▶");
  const where = el("span", { id: "tour-where" });
  const title = el("h2", { id: "tour-title" });
  const text = el("p", { id: "tour-text", "aria-live": "polite" });
  const look = el("p", { id: "tour-look" });
  const output = el("pre", { id: "tour-output" });
  const picture = el("div", { id: "tour-picture", "aria-label": "the stacks at this stop" });
  const bar = el("div", { class: "tour-bar" });
  [pick, lang, prev, where, next].forEach((e) => bar.appendChild(e));
  [bar, title, text, look, output, picture].forEach((e) => box.appendChild(e));

  async function get(path) {
    const r = await fetch(path);
    const type = r.headers.get("Content-Type") || "";
    const data = type.startsWith("application/json") ? await r.json() : await r.text();
    if (!r.ok) throw new Error(data.error || ("HTTP " + r.status));
    return data;
  }

  async function list() {
    const d = await get("/api/tours?lang=" + state.lang);
    const keep = pick.value;
    pick.replaceChildren(el("option", { value: "" }, state.lang === "zh" ? "选择导览…" : "choose a tour…"));
    d.tours.forEach((t) => pick.appendChild(el("option", { value: t.name }, t.title + " [" + t.profiles.join(", ") + "]")));
    pick.value = keep;
  }

  async function go(stop) {
    if (!state.name) return;
    box.dataset.busy = "true";
    try {
      const q = "/api/tour?name=" + encodeURIComponent(state.name) + "&stop=" + stop + "&lang=" + state.lang;
      const d = await get(q);
      state.stop = d.stop;
      state.stops = d.stops;
      title.textContent = d.title;
      where.textContent = d.stop + " / " + d.stops + " · " + d.profile;
      text.textContent = d.text;
      look.textContent = "→ " + d.look.label + " (" + d.look.low + (d.look.low === d.look.high ? "" : ".." + d.look.high) + ", " + d.look.stack + ")";
      output.replaceChildren();
      d.ran.forEach((r) => {
        output.appendChild(el("div", { class: "tour-command" }, "(kstack) " + r.command));
        r.lines.forEach((l) => output.appendChild(el("div", {}, l)));
      });
      const svgPath = "/api/svg?session=" + encodeURIComponent(d.session) + (d.pid > 0 ? "&pid=" + d.pid : "");
      picture.innerHTML = await get(svgPath);
      const target = picture.querySelector("#" + CSS.escape(d.look.id));
      if (target) {
        target.classList.add("tour-look");
        target.scrollIntoView({ block: "center" });
      }
      box.dataset.look = d.look.id;
      box.dataset.stop = String(d.stop);
      document.dispatchEvent(new CustomEvent("kstack:session", { detail: { session: d.session, profile: d.profile } }));
    } catch (e) {
      text.textContent = e.message;
      text.className = "error";
    } finally {
      prev.disabled = state.stop <= 1;
      next.disabled = state.stop >= state.stops;
      delete box.dataset.busy;
    }
  }

  pick.addEventListener("change", () => { state.name = pick.value || null; text.className = ""; go(1); });
  lang.addEventListener("change", async () => { state.lang = lang.value; await list(); go(state.stop); });
  prev.addEventListener("click", () => go(state.stop - 1));
  next.addEventListener("click", () => go(state.stop + 1));
  prev.disabled = next.disabled = true;
  list().then(() => { box.dataset.ready = "true"; }).catch((e) => { text.textContent = e.message; });
})();

// kstack web, the guided tours (GET /api/tours, GET /api/tour): in <section id="tour">, a tour
// picker, the stop's text, and the commands the stop ran in its own session with their output.
// Prev/next move between stops (the server replays the stops before one on a fresh machine). Each
// stop's session is announced as a "kstack:session" event, which the page's view (app.js) follows:
// the main drawing shows the stop's machine and task with its region outlined; the event's
// detail.drawn is the promise of that drawing. Choosing no tour ends it ("kstack:tour-end"). A
// link with tour=, stop= and lang= in its hash opens that stop. Plain JavaScript, no library.
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
  const style = el("style", {}, "#tour-output { max-height: 20em; overflow: auto; }");
  document.head.appendChild(style);
  const linked = new URLSearchParams(location.hash.slice(1));
  if (linked.get("lang") === "zh" || linked.get("lang") === "en") state.lang = linked.get("lang");

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
  const bar = el("div", { class: "tour-bar" });
  [pick, lang, prev, where, next].forEach((e) => bar.appendChild(e));
  [bar, title, text, look, output].forEach((e) => box.appendChild(e));

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
      const detail = { session: d.session, profile: d.profile, pid: d.pid, look: d.look.id,
        tour: state.name, stop: d.stop, lang: state.lang };
      document.dispatchEvent(new CustomEvent("kstack:session", { detail }));
      await detail.drawn;
      box.dataset.look = d.look.id;
      box.dataset.stop = String(d.stop);
    } catch (e) {
      text.textContent = e.message;
      text.className = "error";
    } finally {
      prev.disabled = state.stop <= 1;
      next.disabled = state.stop >= state.stops;
      delete box.dataset.busy;
    }
  }

  pick.addEventListener("change", () => {
    state.name = pick.value || null;
    text.className = "";
    if (state.name) {
      go(1);
    } else {
      [title, text, look, output].forEach((e) => e.replaceChildren());
      delete box.dataset.stop;
      prev.disabled = next.disabled = true;
      document.dispatchEvent(new CustomEvent("kstack:tour-end"));
    }
  });
  lang.addEventListener("change", async () => { state.lang = lang.value; await list(); go(state.stop); });
  prev.addEventListener("click", () => go(state.stop - 1));
  next.addEventListener("click", () => go(state.stop + 1));
  prev.disabled = next.disabled = true;
  list().then(() => {
    box.dataset.ready = "true";
    const name = linked.get("tour");
    if (name && [...pick.options].some((o) => o.value === name)) {
      pick.value = state.name = name;
      go(Number(linked.get("stop")) || 1);
    } else if (name) {
      text.textContent = "no tour named '" + name + "'";
      document.dispatchEvent(new CustomEvent("kstack:tour-end"));
    }
  }).catch((e) => { text.textContent = e.message; });
})();

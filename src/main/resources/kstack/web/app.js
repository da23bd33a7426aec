// kstack web: the view (profile, the machine beside it, scenario, step, selection, zoom; or a
// tour and its stop) kept in the URL's hash, one session per machine per tab, updates pushed by
// the server (an event stream per session), and a console that runs the command language. A tour
// (tours.js) drives this same view: its stop's machine, task and region. Plain JavaScript.
"use strict";

const view = { a: "", b: "", scenario: "", pid: "", zoom: 100, step: null, tour: null, look: null,
  lookPending: false, sessions: [], states: [], drawn: [], labels: [], streams: [], seq: [0, 0],
  profiles: [] };

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  view.a = h.get("a") || "";
  view.b = h.get("b") || "";
  view.scenario = h.get("scenario") || "";
  view.pid = h.get("pid") || "";
  view.zoom = parseZoom(h.get("zoom") || "100");
  view.step = h.has("step") ? Number(h.get("step")) : null;
  view.stepB = h.has("stepb") ? Number(h.get("stepb")) : null;
  view.tour = h.get("tour") ? { name: h.get("tour"), stop: Number(h.get("stop")) || 1,
    lang: h.get("lang") || "" } : null;
}

function writeHash() {
  const st = view.states[0];
  const sb = view.sessions.length > 1 ? view.states[1] : null;
  const where = view.tour ? { tour: view.tour.name, stop: view.tour.stop, lang: view.tour.lang }
    : { a: view.a, b: view.b, scenario: view.scenario };
  const hash = q(Object.assign(where, { step: st ? st.step : "", stepb: sb ? sb.step : "",
    pid: view.pid, zoom: view.zoom === 100 ? "" : view.zoom }));
  $("link").href = location.origin + location.pathname + "#" + hash;
  history.replaceState(null, "", "#" + hash);
}

function print(text, cls) {
  const line = document.createElement("div");
  line.textContent = text;
  if (cls) line.className = cls;
  $("output").appendChild(line);
  $("output").scrollTop = $("output").scrollHeight;
}

async function refresh(side) {
  const s = view.sessions[side];
  const n = ++view.seq[side];
  const [st, d] = await Promise.all([api.state(s), api.drawing(s, selection(view))]);
  if (n !== view.seq[side] || s !== view.sessions[side]) return; // a newer refresh is on its way
  view.states[side] = st;
  view.drawn[side] = d;
  showDrawing(view, $(side === 0 ? "picture" : "picture-b"), d, st);
  renderNote(view);
  showTime(view);
  if (side === 0) {
    renderEvents(st, (step) => act((ss, sd) => api.seek(ss, sd === 0 ? step : otherStep(view.states[0], view.states[sd], step))));
    renderCpus(st);
    renderTasks(st);
  }
  renderWhere(view.states, view.labels);
  writeHash();
  if (view.sessions.length > 1 && view.states.length > 1) {
    renderCompare(await api.compare(view.sessions[0], view.sessions[1], selection(view)));
  }
  document.body.dataset.step = view.states.map((x) => x.step).join(",");
}

/** Draws every side again (another selection). */
function redrawAll() {
  view.sessions.forEach((s, side) => refresh(side).catch((e) => say(e.message)));
}

/** Resizes the drawings in place (another zoom), and keeps it in the link. */
function rezoomAll() {
  ["picture", "picture-b"].forEach((id) => applyZoom($(id), view.zoom, true));
  renderNote(view);
  writeHash();
}

/** Runs fn(session, side) on every machine; the pushed events redraw (directly when none comes). */
async function act(fn) {
  try {
    say("");
    await Promise.all(view.sessions.map((s, side) => fn(s, side)));
  } catch (e) {
    if (e.status === 404 && /^no session/.test(e.message)) return reopen();
    say(e.message);
  }
  view.sessions.forEach((s, side) => {
    if (!view.streams[side] || view.streams[side].readyState !== EventSource.OPEN) {
      refresh(side).catch((e) => say(e.message));
    }
  });
}

/** A session the server released (idle too long) is made again at the step it showed. */
async function reopen() {
  view.step = view.states[0] ? view.states[0].step : null;
  view.stepB = view.states[1] ? view.states[1].step : null;
  view.tour = null;
  try {
    await openView();
    say("the server had released this tab's machine (idle); a fresh one is at the same step");
  } catch (e) {
    say(e.message);
  }
}

function listen(side) {
  if (view.streams[side]) view.streams[side].close();
  const es = api.stream(view.sessions[side]);
  es.addEventListener("state", () => refresh(side).catch((e) => say(e.message)));
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) say("the server's event stream closed: reload the page");
  };
  view.streams[side] = es;
}

/** Closes the streams and forgets the sessions shown (released on the server when release). */
function leaveSessions(release) {
  for (const es of view.streams) if (es) es.close();
  if (release) view.sessions.forEach((s) => api.release(s));
  view.sessions = [];
  view.states = [];
  view.drawn = [];
  view.streams = [];
  view.labels = [];
}

async function openView() {
  leaveSessions(true);
  view.look = null;
  const wanted = [view.a, view.b].filter((p, i) => i === 0 || p);
  for (const p of wanted) {
    const s = await api.session(p, view.scenario);
    view.sessions.push(s.session);
    view.labels.push(s.profile);
    if (!view.a) view.a = s.arch + ":" + s.kernel;
    view.profiles = s.profiles;
  }
  $("profile").textContent = view.labels.join(" | ");
  $("picture-b").hidden = view.sessions.length < 2;
  $("diff-pane").hidden = view.sessions.length < 2;
  $("beside").disabled = false;
  fillBeside();
  const targets = [view.step, view.stepB];
  view.step = view.stepB = null;
  for (let side = 0; side < view.sessions.length; side++) {
    if (targets[side] !== null) await api.seek(view.sessions[side], targets[side]);
  }
  for (let side = 0; side < view.sessions.length; side++) {
    await refresh(side);
    listen(side);
  }
  document.body.dataset.ready = "true";
}

/**
 * A tour's stop (tours.js): its machine becomes this view's one session, drawn for the stop's
 * task with the stop's region outlined and scrolled to; the session of the stop before is
 * released. A step in a link opened on a tour is sought once on its stop's machine.
 */
async function followTour(d) {
  leaveSessions(true);
  view.tour = { name: d.tour, stop: d.stop, lang: d.lang };
  view.sessions = [d.session];
  view.labels = [d.profile];
  view.pid = d.pid > 0 ? String(d.pid) : "";
  view.look = d.look;
  view.lookPending = true;
  $("pid").value = view.pid;
  $("profile").textContent = d.profile + " · tour";
  $("picture-b").hidden = true;
  $("diff-pane").hidden = true;
  $("beside").value = "";
  $("beside").disabled = true;
  if (view.step !== null) {
    await api.seek(d.session, view.step);
    view.step = null;
  }
  await refresh(0);
  listen(0);
  document.body.dataset.ready = "true";
}

document.addEventListener("kstack:session", (ev) => {
  ev.detail.drawn = followTour(ev.detail).catch((e) => say(e.message));
});
document.addEventListener("kstack:tour-end", () => {
  view.tour = null;
  view.b = "";
  openView().catch((e) => say(e.message));
});

function fillBeside() {
  const sel = $("beside");
  if (sel.options.length > 1) return;
  view.profiles.forEach((p) => {
    const o = document.createElement("option");
    o.value = p;
    o.textContent = p.replace(":", " ");
    sel.append(o);
  });
  sel.value = view.b;
}

$("command-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const c = $("command").value;
  $("command").value = "";
  if (!c.trim()) return;
  print("(kstack) " + c);
  await act(async (s, side) => {
    const r = await api.run(s, c);
    const tag = view.sessions.length > 1 ? view.labels[side] + ": " : "";
    if (r.ok) r.lines.forEach((l) => print(tag + l));
    else print(tag + r.error, "error");
  });
});
$("beside").addEventListener("change", async () => {
  view.b = $("beside").value;
  try {
    await openView();
  } catch (e) {
    say(e.message);
  }
});
// a closed tab's machines are released at once rather than when idle
window.addEventListener("pagehide", () => view.sessions.forEach((s) => api.beacon(s)));
window.addEventListener("pageshow", (ev) => {
  if (ev.persisted) reopen();
});
setUpTime(view, act);
setUpDrawing(view, redrawAll, rezoomAll);

(async () => {
  readHash();
  $("pid").value = view.pid;
  if (view.tour) return; // tours.js opens the tour's stop, and this view follows it
  try {
    await openView();
  } catch (e) {
    print(e.message, "error");
  }
})();

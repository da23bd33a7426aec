// kstack web: the view (profile, the machine beside it, scenario, step, pid) kept in the URL's
// hash, one session per machine per tab, updates pushed by the server (an event stream per
// session), and a console that runs the command language. Plain JavaScript, no library.
"use strict";

const view = { a: "", b: "", scenario: "", pid: "", step: null, sessions: [], states: [],
  labels: [], streams: [], seq: [0, 0], profiles: [] };

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  view.a = h.get("a") || "";
  view.b = h.get("b") || "";
  view.scenario = h.get("scenario") || "";
  view.pid = h.get("pid") || "";
  view.step = h.has("step") ? Number(h.get("step")) : null;
  view.stepB = h.has("stepb") ? Number(h.get("stepb")) : null;
}

function writeHash() {
  const st = view.states[0];
  const sb = view.sessions.length > 1 ? view.states[1] : null;
  const hash = q({ a: view.a, b: view.b, scenario: view.scenario, step: st ? st.step : "",
    stepb: sb ? sb.step : "", pid: view.pid });
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
  const [st, svg] = await Promise.all([api.state(s), api.svg(s, view.pid)]);
  if (n !== view.seq[side]) return; // a newer refresh is on its way
  view.states[side] = st;
  const pic = $(side === 0 ? "picture" : "picture-b");
  pic.innerHTML = svg;
  markDrawing(pic, st);
  showTime(view);
  if (side === 0) {
    renderEvents(st, (step) => act((ss, sd) => api.seek(ss, sd === 0 ? step : otherStep(view.states[0], view.states[sd], step))));
    renderCpus(st);
    renderTasks(st);
  }
  renderWhere(view.states, view.labels);
  writeHash();
  if (view.sessions.length > 1 && view.states.length > 1) {
    renderCompare(await api.compare(view.sessions[0], view.sessions[1], view.pid));
  }
  document.body.dataset.step = view.states.map((x) => x.step).join(",");
}

/** Runs fn(session, side) on every machine; the pushed events redraw (directly when none comes). */
async function act(fn) {
  try {
    say("");
    await Promise.all(view.sessions.map((s, side) => fn(s, side)));
  } catch (e) {
    say(e.message);
  }
  view.sessions.forEach((s, side) => {
    if (!view.streams[side] || view.streams[side].readyState !== EventSource.OPEN) {
      refresh(side).catch((e) => say(e.message));
    }
  });
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

async function openView() {
  for (const es of view.streams) if (es) es.close();
  view.sessions = [];
  view.states = [];
  view.streams = [];
  view.labels = [];
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
}

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
$("pid").value = "";
$("pid").addEventListener("change", () => {
  view.pid = $("pid").value.trim();
  view.sessions.forEach((s, side) => refresh(side).catch((e) => say(e.message)));
});
$("beside").addEventListener("change", async () => {
  view.b = $("beside").value;
  try {
    await openView();
  } catch (e) {
    say(e.message);
  }
});
setUpTime(view, act);

(async () => {
  readHash();
  $("pid").value = view.pid;
  try {
    await openView();
    document.body.dataset.ready = "true";
  } catch (e) {
    print(e.message, "error");
  }
})();

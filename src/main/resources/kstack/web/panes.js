// kstack web: the panes drawn from one state (GET /api/state): the step each CPU executes next,
// the events, each CPU's registers and per-CPU variables, the tasks; what the last change altered
// is marked (class "changed") here and in the drawing.
"use strict";

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function renderWhere(states, labels) {
  const box = $("where");
  box.replaceChildren();
  states.forEach((st, side) => {
    if (!st) return;
    st.cpus.forEach((c) => {
      const n = c.next;
      const line = el("div");
      line.id = "where-" + side + "-cpu" + c.cpu;
      line.append(el("b", (states.length > 1 ? labels[side] + " " : "") + "cpu" + c.cpu + " "),
        el("span", n.symbol + " (" + n.pc + ")", "symbol"), document.createTextNode(": "),
        el("span", n.text || "", "text"));
      if (n.file) line.append(el("div", "  models " + n.function + " in " + n.file, "file"));
      box.append(line);
    });
  });
}

function renderEvents(st, onPick) {
  const list = $("events");
  list.replaceChildren();
  let now = null;
  st.events.forEach((e) => {
    const li = el("li", null, e.ahead ? "ahead" : "");
    li.value = e.step;
    li.dataset.kind = e.kind;
    const b = el("button", "step " + e.step, "event-step");
    b.title = "go to step " + e.step;
    b.addEventListener("click", () => onPick(e.step));
    li.append(b, document.createTextNode(" [" + e.kind + "] " + e.text));
    if (!e.ahead) now = li;
    list.append(li);
  });
  if (now) {
    now.classList.add("now");
    list.scrollTop = now.offsetTop - list.offsetTop - 60;
  }
}

function table(rows, changed) {
  const t = el("table");
  rows.forEach(([k, v, id]) => {
    const tr = el("tr");
    if (changed.has(id)) tr.className = "changed";
    tr.append(el("th", k), el("td", v));
    t.append(tr);
  });
  return t;
}

function renderCpus(st) {
  const box = $("cpus");
  box.replaceChildren();
  const regs = new Set(st.changed.registers);
  const pcpu = new Set(st.changed.per_cpu);
  st.cpus.forEach((c) => {
    const d = el("div");
    d.id = "cpu" + c.cpu;
    d.append(el("h4", "cpu" + c.cpu + (c.current_pid !== undefined ? ", current pid " + c.current_pid : "")));
    const r = table(Object.entries(c.registers).map(([k, v]) => [k, v, c.cpu + ":" + k]), regs);
    r.className = "registers";
    const p = table(Object.entries(c.per_cpu).map(([k, v]) => [k, v.value + " @" + v.address,
      c.cpu + ":" + k]), pcpu);
    p.className = "per-cpu";
    d.append(r, el("h5", "per-CPU variables"), p);
    box.append(d);
  });
}

function renderTasks(st) {
  const box = $("tasks");
  box.replaceChildren();
  const rows = st.tasks || [];
  if (!rows.length) return;
  const t = el("table");
  const keys = Object.keys(rows[0]);
  const head = el("tr");
  keys.forEach((k) => head.append(el("th", k)));
  t.append(head);
  rows.forEach((r) => {
    const tr = el("tr");
    keys.forEach((k) => tr.append(el("td", typeof r[k] === "object" ? JSON.stringify(r[k]) : String(r[k]))));
    t.append(tr);
  });
  box.append(t);
}

/** Marks in a drawing the stack words the last change wrote. */
function markDrawing(container, st) {
  st.changed.words.forEach((a) => {
    container.querySelectorAll('.field[data-address="' + a + '"]').forEach((f) => f.classList.add("changed"));
  });
}

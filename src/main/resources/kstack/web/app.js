// kstack web: one session per tab (kept in sessionStorage), the stacks drawn by the server as SVG,
// a console that runs the command language, and step forward/back. Plain JavaScript, no library.
"use strict";

const $ = (id) => document.getElementById(id);
let session = sessionStorage.getItem("kstack-session");

async function call(method, path, body) {
  const r = await fetch(path, { method, body });
  const type = r.headers.get("Content-Type") || "";
  const data = type.startsWith("application/json") ? await r.json() : await r.text();
  if (!r.ok) {
    throw new Error(data.error || ("HTTP " + r.status));
  }
  return data;
}

function print(text, cls) {
  const line = document.createElement("div");
  line.textContent = text;
  if (cls) line.className = cls;
  $("output").appendChild(line);
  $("output").scrollTop = $("output").scrollHeight;
}

async function newSession() {
  const s = await call("POST", "/api/session");
  session = s.session;
  sessionStorage.setItem("kstack-session", session);
  $("profile").textContent = s.profile;
}

async function draw() {
  const pid = $("pid").value.trim();
  const q = "/api/svg?session=" + encodeURIComponent(session) + (pid ? "&pid=" + encodeURIComponent(pid) : "");
  try {
    $("picture").innerHTML = await call("GET", q);
  } catch (e) {
    print(e.message, "error");
  }
}

async function run(command) {
  print("(kstack) " + command);
  try {
    const r = await call("POST", "/api/run?session=" + encodeURIComponent(session), command);
    if (r.ok) {
      r.lines.forEach((l) => print(l));
    } else {
      print(r.error, "error");
    }
    $("step").textContent = "step " + r.step;
  } catch (e) {
    if (e.message.startsWith("no session")) {
      await newSession();
    }
    print(e.message, "error");
  }
  await draw();
}

$("command-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const c = $("command").value;
  $("command").value = "";
  if (c.trim()) run(c);
});
$("forward").addEventListener("click", () => run("stepi"));
$("back").addEventListener("click", () => run("reverse-stepi"));
$("redraw").addEventListener("click", draw);
$("pid").addEventListener("keydown", (ev) => { if (ev.key === "Enter") draw(); });

(async () => {
  try {
    if (!session) {
      await newSession();
    } else {
      const probe = await fetch("/api/svg?session=" + encodeURIComponent(session));
      if (!probe.ok) await newSession();
    }
    await draw();
    document.body.dataset.ready = "true";
  } catch (e) {
    print(e.message, "error");
  }
})();

// kstack web: the calls to the server's API, and the page's one message line.
"use strict";

const $ = (id) => document.getElementById(id);

async function call(method, path, body) {
  const r = await fetch(path, { method, body });
  const type = r.headers.get("Content-Type") || "";
  const data = type.startsWith("application/json") ? await r.json() : await r.text();
  if (!r.ok) {
    const e = new Error(data.error || ("HTTP " + r.status));
    e.status = r.status;
    throw e;
  }
  return data;
}

function q(params) {
  return Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v)).join("&");
}

const api = {
  session: (profile, scenario) => {
    const [arch, kernel] = profile ? profile.split(":") : [];
    return call("POST", "/api/session?" + q({ arch, kernel, scenario }));
  },
  run: (s, command) => call("POST", "/api/run?" + q({ session: s }), command),
  step: (s, dir) => call("POST", "/api/step?" + q({ session: s, dir })),
  seek: (s, step) => call("POST", "/api/seek?" + q({ session: s, step })),
  jump: (s, kind, dir) => call("POST", "/api/jump?" + q({ session: s, kind, dir })),
  state: (s) => call("GET", "/api/state?" + q({ session: s })),
  drawing: (s, pid) => call("GET", "/api/drawing?" + q({ session: s, pid })),
  release: (s) => call("POST", "/api/release?" + q({ session: s })).catch(() => {}),
  beacon: (s) => navigator.sendBeacon("/api/release?" + q({ session: s })),
  compare: (a, b, pid) => call("GET", "/api/compare?" + q({ a, b, pid })),
  stream: (s) => new EventSource("/api/stream?" + q({ session: s })),
};

function say(text) {
  $("message").textContent = text || "";
}

// kstack web: the side-by-side view's differences, listed with the cited feature behind each and
// marked on both drawings (class "differs", the reason as the block's tooltip).
"use strict";

function renderCompare(c) {
  const box = $("diff");
  box.replaceChildren();
  const marked = el("ul");
  marked.id = "diff-marks";
  ["a", "b"].forEach((side) => {
    const pic = $(side === "a" ? "picture" : "picture-b");
    c.marks[side].forEach((m) => {
      const g = pic.querySelector("#" + CSS.escape(m.id));
      if (g) {
        g.classList.add("differs");
        const t = document.createElementNS("http://www.w3.org/2000/svg", "title");
        t.textContent = m.because;
        g.prepend(t);
      }
      if (m.kind !== "unused" && m.kind !== "frame") {
        const li = el("li", c[side] + ": " + m.kind + " (" + m.label + ")");
        li.dataset.side = side;
        li.dataset.kind = m.kind;
        li.append(el("div", m.because, "because"));
        marked.append(li);
      }
    });
  });
  box.append(el("h4", c.a + " vs " + c.b + ": the drawings' differing regions"), marked);
  const items = el("ul");
  items.id = "diff-items";
  c.items.forEach((i) => {
    const li = el("li", "[" + i.section + "] " + i.what + ": " + i.a + " | " + i.b);
    li.append(el("div", i.because, "because"));
    items.append(li);
  });
  box.append(el("h4", "what differs (kstack diff)"), items);
}

// Read by measure.py: what the care-mode tests measure on a page (see its docstring).
([minText, minTarget, minLine]) => {
  const out = [];
  const shown = (e) => {
    const r = e.getBoundingClientRect();
    const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none" && s.opacity !== "0";
  };
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") +
    " «" + (e.innerText || e.value || "").trim().slice(0, 20) + "»";
  for (const e of document.body.querySelectorAll("*")) {
    if (!shown(e)) continue;
    const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(e);
    const size = parseFloat(s.fontSize);
    if (size < minText - 0.01) out.push({kind: "text", what: name(e), value: size});
    const line = s.lineHeight === "normal" ? 1.2 * size : parseFloat(s.lineHeight);
    if (line / size < minLine - 0.001) out.push({kind: "line-height", what: name(e), value: +(line / size).toFixed(2)});
  }
  const targets = [];
  for (const e of document.querySelectorAll("a[href], button, select, textarea, input:not([type=hidden])")) {
    if (e.matches("input[type=radio], input[type=checkbox]")) {
      const label = e.id && document.querySelector(`label[for="${e.id}"]`);
      targets.push(label || e);
      continue;
    }
    if (e.matches("a") && e.parentElement && e.parentElement.matches("p, li, dd, td")) {
      const text = e.parentElement.innerText.trim();
      if (text.length > e.innerText.trim().length + 1) continue;  // a link inside a sentence
    }
    targets.push(e);
  }
  for (const e of targets) {
    if (!shown(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.width < minTarget - 0.5 || r.height < minTarget - 0.5) {
      out.push({kind: "target", what: name(e), value: `${Math.round(r.width)}×${Math.round(r.height)}`});
    }
  }
  const wide = document.documentElement.scrollWidth > window.innerWidth + 1;
  if (wide) out.push({kind: "overflow", what: "page", value: document.documentElement.scrollWidth});
  return out;
}

// The API docs page: /openapi.json rendered with text nodes only (no CDN, no HTML from the spec).
"use strict";

function el(tag, cls, ...children) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function schemaText(spec, schema) {
  if (!schema) return "";
  if (schema.$ref) {
    const name = schema.$ref.split("/").pop();
    const target = spec.components.schemas[name] || {};
    const fields = Object.entries(target.properties || {}).map(([k, v]) =>
      `${k}${(target.required || []).includes(k) ? "" : "?"}: ${v.type || (v.anyOf || []).map((x) => x.type || x.format).join("|") || "…"}`
      + (v.description ? `  (${v.description})` : ""));
    return `${name} {\n  ${fields.join("\n  ")}\n}`;
  }
  return schema.type || "";
}

async function main() {
  const spec = await (await fetch("/openapi.json")).json();
  const out = document.getElementById("paths");
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const card = el("section", "card", el("h2", "", `${method.toUpperCase()} ${path}`), el("p", "", op.summary || ""));
      if (op.description) card.append(el("p", "muted", op.description));
      const params = (op.parameters || []).map((p) => `${p.name}${p.required ? "" : "?"} (${p.in})`
        + (p.description ? `: ${p.description}` : ""));
      if (params.length) card.append(el("p", "", "Parameters: "), el("pre", "", params.join("\n")));
      const body = op.requestBody && op.requestBody.content["application/json"];
      if (body) card.append(el("p", "", "JSON body:"), el("pre", "", schemaText(spec, body.schema)));
      out.append(card);
    }
  }
}

document.addEventListener("DOMContentLoaded", main);

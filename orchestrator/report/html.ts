import type { EnvironmentView, ReportModel, StackRow } from "./model";
import { colourOf, escapeXml as esc, formatMs } from "./svg";

/** The pictures the page embeds, already rendered to SVG. */
export interface ReportPictures {
  readonly graphs: ReadonlyMap<string, string>;
  readonly timeline?: string;
  readonly charts: readonly { readonly id: string; readonly title: string; readonly svg: string }[];
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#1b1f24;padding:0 16px}
h1{font-size:22px;margin-bottom:2px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d0d7de;padding-bottom:4px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0 16px;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}th{background:#f6f8fa}
.pill{display:inline-block;padding:0 8px;border-radius:9px;color:#fff;font-size:12px}
.muted{color:#57606a}.figure{overflow-x:auto;margin:8px 0}.legend span{margin-right:12px}
code{font-size:12px}
`;

const LIGHT = new Set(["never-run", "unknown", "pending"]);
const pill = (state: string) => `<span class="pill" style="background:${colourOf(state)}${LIGHT.has(state) ? ";color:#1b1f24" : ""}">${esc(state)}</span>`;
const when = (iso: string | undefined) => (iso ? esc(iso.replace("T", " ").replace(/\.\d+Z$/, "Z")) : "—");

/** The self-contained page: inline CSS and SVG, no script, nothing fetched when viewed. Pure. */
export function renderReportHtml(model: ReportModel, pictures: ReportPictures): string {
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><title>Platform run report (${esc(model.scope)})</title><style>${STYLE}</style></head><body>`,
    `<h1>Platform run report</h1><p class="muted">${esc(model.scope)} · generated ${when(model.generatedAt)} · ${model.history.runs} run(s) in history</p>`,
    legend(),
    ...model.environments.map((env) => environmentSection(env, pictures.graphs.get(env.env))),
    timelineSection(model, pictures.timeline),
    historySection(model, pictures.charts),
    driftSection(model),
    promotionsSection(model),
    deliveriesSection(model),
    "</body></html>",
  ].join("\n");
}

function legend(): string {
  const states = ["succeeded", "failed", "skipped", "unchanged", "running", "interrupted", "never-run", "drift"];
  return `<p class="legend">${states.map((s) => `<span>${pill(s)}</span>`).join("")}</p>`;
}

function environmentSection(env: EnvironmentView, graph: string | undefined): string {
  return [
    `<section id="env-${esc(env.env)}"><h2>Environment ${esc(env.env)}</h2>`,
    `<table><tr><th>stack</th><th>last operation</th><th>result</th><th>when</th><th>took</th><th>drift</th><th>promoted release</th></tr>`,
    ...env.stacks.map(stackRow),
    "</table>",
    graph ? `<h3>Dependencies</h3><div class="figure" id="graph-${esc(env.env)}">${graph}</div>` : "",
    "</section>",
  ].join("\n");
}

function stackRow(s: StackRow): string {
  const release = s.release
    ? `from ${esc(s.release.source)} at ${when(s.release.at)}<br><code>${esc(Object.entries(s.release.charts).map(([c, v]) => `${c} ${v}`).join(", "))}</code>`
    : "—";
  const said = s.error ?? s.note;
  const result = `${pill(s.state)}${said ? `<br><span class="muted">${esc(said)}</span>` : ""}`;
  return `<tr><td>${esc(s.stack)}</td><td>${esc(s.operation ?? "—")}</td><td>${result}</td><td>${when(s.at)}</td><td>${s.durationMs === undefined ? "—" : formatMs(s.durationMs)}</td><td>${pill(s.drift)}</td><td>${release}</td></tr>`;
}

function timelineSection(model: ReportModel, svg: string | undefined): string {
  const t = model.timeline;
  if (!t || !svg) return `<section id="timeline"><h2>Last run</h2><p>No run with stack work in history yet.</p></section>`;
  return [
    `<section id="timeline"><h2>Last run: ${esc(t.operation)} ${esc(t.env)} ${pill(t.status)}</h2>`,
    `<p>Run <code>${esc(t.runId)}</code> started ${when(t.startedAt)}: wall ${formatMs(t.wallMs)}, stacks' serial sum ${formatMs(t.serialMs)}, critical path ${formatMs(t.criticalMs)} (${t.criticalPath.map(esc).join(" → ")}, outlined).</p>`,
    `<div class="figure">${svg}</div></section>`,
  ].join("\n");
}

function historySection(model: ReportModel, charts: ReportPictures["charts"]): string {
  const h = model.history;
  const failures = h.topFailures.length
    ? `<table><tr><th>failures</th><th>error</th><th>stacks</th></tr>${h.topFailures.map((f) => `<tr><td>${f.count}</td><td>${esc(f.error)}</td><td>${esc(f.stacks.join(", "))}</td></tr>`).join("")}</table>`
    : "<p>No failures recorded.</p>";
  return [
    `<section id="history"><h2>Run history</h2><p>${h.runs} run(s), ${Math.round(h.successRate * 100)}% succeeded.</p>`,
    ...charts.map((c) => `<h3>${esc(c.title)}</h3><div class="figure chart" id="chart-${esc(c.id)}">${c.svg}</div>`),
    `<h3>Failures in detail</h3>${failures}</section>`,
  ].join("\n");
}

function driftSection(model: ReportModel): string {
  if (model.drift.length === 0) return `<section id="drift"><h2>Drift checks</h2><p>No drift check recorded (<code>npm run drift -- --env &lt;env&gt;</code>).</p></section>`;
  const rows = model.drift.flatMap((d) =>
    d.stacks
      .filter((s) => s.state !== "clean")
      .map((s) => `<tr><td>${when(d.checkedAt)}</td><td>${esc(d.env)}</td><td>${esc(s.stack)}</td><td>${pill(s.state)}</td><td>${esc(s.error ?? [...s.drifted, ...(s.pending ? [`${s.pending} pending change(s)`] : [])].join("; "))}</td></tr>`),
  );
  const clean = model.drift.filter((d) => d.stacks.every((s) => s.state === "clean")).map((d) => `${esc(d.env)} at ${when(d.checkedAt)}`);
  return [
    `<section id="drift"><h2>Drift checks</h2>`,
    rows.length ? `<table><tr><th>checked</th><th>env</th><th>stack</th><th>state</th><th>findings</th></tr>${rows.join("")}</table>` : "",
    clean.length ? `<p>Clean: ${clean.join(", ")}.</p>` : "",
    "</section>",
  ].join("\n");
}

function promotionsSection(model: ReportModel): string {
  if (model.promotions.length === 0) return `<section id="promotions"><h2>Promotions</h2><p>No promotion recorded.</p></section>`;
  const rows = model.promotions.map((p) => {
    const gates = p.gates.map((g) => `${g.passed ? "✔" : "✘"} ${esc(g.gate)}${g.passed ? "" : `: ${esc(g.reason)}`}`).join("<br>");
    const stacks = p.stacks.map((s) => esc(s.stack)).join(", ") || "—";
    return `<tr><td>${when(p.startedAt)}</td><td>${esc(p.source)} → ${esc(p.target)}</td><td>${pill(p.result === "promoted" ? "succeeded" : p.result === "nothing-to-promote" ? "unchanged" : "failed")} ${esc(p.result)}</td><td>${gates}</td><td>${esc(p.approver ?? "—")}</td><td>${stacks}</td></tr>`;
  });
  return `<section id="promotions"><h2>Promotions</h2><table><tr><th>started</th><th>from → to</th><th>result</th><th>gates</th><th>approver</th><th>stacks changed</th></tr>${rows.join("")}</table></section>`;
}

function deliveriesSection(model: ReportModel): string {
  if (model.failedDeliveries.length === 0) return "";
  const rows = model.failedDeliveries.map((d) => `<tr><td>${when(d.at)}</td><td>${esc(d.env)}</td><td>${esc(d.event)}</td><td>${esc(d.destination)}</td><td>${d.attempts}</td><td>${esc(d.error ?? "")}</td></tr>`);
  return `<section id="notifications"><h2>Notifications not delivered</h2><table><tr><th>at</th><th>env</th><th>event</th><th>destination</th><th>attempts</th><th>error</th></tr>${rows.join("")}</table></section>`;
}

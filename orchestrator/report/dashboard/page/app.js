import { html, render, useEffect, useState } from "/lib/preact-htm.js";

const get = async (path) => {
  const response = await fetch(path, { credentials: "same-origin" });
  if (response.status === 401) throw Object.assign(new Error("token"), { unauthorized: true });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
};
const seconds = (ms) => (ms === undefined ? "" : `${Math.round(ms / 100) / 10}s`);
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

function TokenForm({ onDone }) {
  const [token, setToken] = useState("");
  const [wrong, setWrong] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    const response = await fetch("/session", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token }) });
    if (response.ok) onDone();
    else setWrong(true);
  };
  return html`<form onSubmit=${submit}><p>This dashboard needs its access token.</p>
    <input type="password" value=${token} onInput=${(e) => setToken(e.target.value)} aria-label="access token" />
    <button type="submit">Open</button>${wrong ? html`<p>That token is wrong.</p>` : ""}</form>`;
}

function Matrix({ rows }) {
  return rows.map((row) => html`<section class="env" data-env=${row.env}><h3>${row.env}</h3>
    ${row.lock ? html`<p>Lock: ${row.lock.holder}, ${row.lock.operation} since ${when(row.lock.since)}${row.lock.alive ? "" : " (holder gone)"}</p>` : ""}
    <table><tr><th>stack</th><th>last</th><th>when</th><th>took</th><th>release</th><th>drift</th></tr>
    ${row.cells.map((cell) => html`<tr data-stack=${cell.stack}><td>${cell.stack}</td>
      <td class=${cell.last ? cell.last.result : "unknown"}>${cell.last ? `${cell.last.operation} ${cell.last.result}` : "never run"}</td>
      <td>${when(cell.last && cell.last.at)}</td><td>${seconds(cell.last && cell.last.durationMs)}</td>
      <td>${cell.release ? Object.entries(cell.release).map(([c, v]) => `${c} ${v}`).join(", ") : ""}</td>
      <td class=${cell.drift.state}>${cell.drift.state}${cell.drift.firstSeen ? ` since ${when(cell.drift.firstSeen)}` : ""}</td></tr>`)}
    </table></section>`);
}

function Run({ run }) {
  const span = Math.max(run.durationMs, ...run.stacks.map((s) => (s.startMs || 0) + s.elapsedMs), 1);
  return html`<section class="run" data-run=${run.id}><h3>${run.operation} ${run.env} — <span class=${`run-state ${run.state}`}>${run.state}</span></h3>
    <p><small>${run.id} by ${run.user}@${run.host}, ${when(run.startedAt)}, ${seconds(run.durationMs)}${run.skippedLines ? `, ${run.skippedLines} unreadable journal line(s) skipped` : ""}</small></p>
    ${run.error ? html`<p class="failed">${run.error}</p>` : ""}
    <table><tr><th>stack</th><th>state</th><th>timeline</th><th>resources</th><th>step / reason</th></tr>
    ${run.stacks.map((s) => html`<tr data-stack=${s.stack}><td>${s.stack}${s.critical ? " ★" : ""}</td><td class=${`stack-state ${s.state}`}>${s.state}</td>
      <td><div class="lane">${s.startMs !== undefined ? html`<span class=${s.critical ? "bar critical" : "bar"} style=${{ left: `${(s.startMs / span) * 100}%`, width: `${Math.max(0.5, (s.elapsedMs / span) * 100)}%` }}></span>` : ""}</div></td>
      <td>${s.resourcesDone}${s.changes ? ` (${Object.entries(s.changes).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(", ")})` : ""}</td><td>${s.detail || ""}</td></tr>`)}
    </table>${run.criticalPath.length ? html`<p><small>critical path ★: ${run.criticalPath.join(" → ")}</small></p>` : ""}</section>`;
}

function Runs({ runs, open, onOpen }) {
  return html`${open ? html`<${Run} run=${open} />` : ""}<table><tr><th>run</th><th>env</th><th>operation</th><th>state</th><th>started</th><th>took</th></tr>
    ${runs.map((r) => html`<tr><td><button onClick=${() => onOpen(r)}>${r.id}</button></td><td>${r.env}</td><td>${r.operation}</td><td class=${r.state}>${r.state}</td><td>${when(r.startedAt)}</td><td>${seconds(r.durationMs)}</td></tr>`)}</table>`;
}

function Promotions({ view }) {
  return html`<table><tr><th>stage</th><th>release</th><th>last promotion</th><th>gates</th></tr>
    ${view.stages.map((s) => html`<tr><td>${s.env}</td><td>${Object.entries(s.release).map(([stack, charts]) => `${stack}: ${Object.entries(charts).map(([c, v]) => `${c} ${v}`).join(", ")}`).join("; ")}</td>
      <td>${s.lastPromotion ? `${s.lastPromotion.source} → ${s.env}: ${s.lastPromotion.result} ${when(s.lastPromotion.startedAt)}` : ""}${s.awaitingApproval ? " (awaiting approval)" : ""}</td>
      <td>${s.lastPromotion ? s.lastPromotion.gates.map((g) => html`<div class=${g.passed ? "succeeded" : "failed"}>${g.gate}: ${g.reason}</div>`) : ""}</td></tr>`)}</table>
    <h3>Rollbacks</h3>${view.rollbacks.length === 0 ? html`<p>none</p>` : view.rollbacks.map((p) => html`<p>${p.target}: ${p.result} ${when(p.startedAt)}</p>`)}`;
}

function Trends({ trends }) {
  return html`<table><tr><th>deployments / day</th><th>lead time</th><th>change failure rate</th><th>time to restore</th></tr>
    <tr><td>${trends.deploymentsPerDay.toFixed(2)}</td><td>${seconds(trends.leadTimeMs) || "—"}</td>
    <td>${trends.changeFailureRate === undefined ? "—" : `${Math.round(trends.changeFailureRate * 100)}%`}</td><td>${seconds(trends.timeToRestoreMs) || "—"}</td></tr></table>
    <img src="/api/charts/durations.svg" alt="stack durations over time" />
    <table><tr><th>stack</th><th>runs</th><th>median</th><th>p95</th></tr>${trends.stacks.map((s) => html`<tr><td>${s.stack}</td><td>${s.runs}</td><td>${seconds(s.medianMs)}</td><td>${seconds(s.p95Ms)}</td></tr>`)}</table>
    <h3>Most frequent failures</h3>${trends.topFailures.map((f) => html`<p>${f.count}× ${f.error} <small>(${f.stacks.join(", ")})</small></p>`)}`;
}

function App() {
  const [tab, setTab] = useState("environments");
  const [needToken, setNeedToken] = useState(false);
  const [overview, setOverview] = useState(undefined);
  const [extra, setExtra] = useState(undefined);
  const [open, setOpen] = useState(undefined);
  const [failure, setFailure] = useState(undefined);
  const load = () => get("/api/overview").then((o) => { setOverview(o); setNeedToken(false); }, (e) => (e.unauthorized ? setNeedToken(true) : setFailure(e.message)));
  useEffect(() => { load(); }, []);
  useEffect(() => {
    if (!overview) return undefined;
    const events = new EventSource("/api/events");
    events.addEventListener("run", (message) => {
      const run = JSON.parse(message.data);
      setOverview((o) => ({ ...o, runs: [run, ...o.runs.filter((r) => !(r.id === run.id && r.env === run.env))].sort((a, b) => b.startedAt.localeCompare(a.startedAt)) }));
      setOpen((current) => (current && current.id === run.id ? run : current));
      if (run.state !== "running") get("/api/overview").then((o) => setOverview((old) => ({ ...o, runs: old.runs })), () => {});
    });
    return () => events.close();
  }, [overview === undefined]);
  useEffect(() => {
    if (tab === "promotions" || tab === "trends") get(`/api/${tab}`).then(setExtra, (e) => setFailure(e.message));
  }, [tab]);
  if (needToken) return html`<${TokenForm} onDone=${load} />`;
  if (failure) return html`<p class="failed">${failure}</p>`;
  if (!overview) return html`<p>Loading…</p>`;
  const live = overview.runs.filter((r) => r.state === "running");
  const tabs = ["environments", "runs", "promotions", "trends"];
  return html`<h1>Platform</h1><nav>${tabs.map((t) => html`<button class=${t === tab ? "on" : ""} onClick=${() => { setExtra(undefined); setTab(t); }}>${t}</button>`)}</nav>
    ${live.map((run) => html`<${Run} run=${run} />`)}
    ${tab === "environments" ? html`<${Matrix} rows=${overview.matrix} />` : ""}
    ${tab === "runs" ? html`<${Runs} runs=${overview.runs} open=${open} onOpen=${(r) => get(`/api/runs/${encodeURIComponent(r.env)}/${encodeURIComponent(r.id)}`).then(setOpen)} />` : ""}
    ${tab === "promotions" && extra && extra.stages ? html`<${Promotions} view=${extra} />` : ""}
    ${tab === "trends" && extra && extra.stacks ? html`<${Trends} trends=${extra} />` : ""}`;
}

render(html`<${App} />`, document.getElementById("app"));

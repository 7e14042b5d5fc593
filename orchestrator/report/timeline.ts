import type { TimelineView } from "./model";
import { colourOf, escapeXml, formatMs } from "./svg";

const ROW = 26;
const LABEL = 170;
const WIDTH = 900;
const AXIS = 28;

/** The last run as one bar per stack from its start to its end; bars on the critical path are outlined. Pure. */
export function renderTimeline(view: TimelineView): string {
  const span = Math.max(1, view.wallMs, ...view.bars.map((b) => b.endMs));
  const plot = WIDTH - LABEL - 20;
  const x = (ms: number) => LABEL + (ms / span) * plot;
  const bars = [...view.bars].sort((a, b) => a.startMs - b.startMs || a.stack.localeCompare(b.stack));
  const height = AXIS + bars.length * ROW + 10;
  const ticks = niceTicks(span).map(
    (ms) => `<line x1="${x(ms)}" x2="${x(ms)}" y1="${AXIS - 6}" y2="${height - 6}" stroke="#e4e7eb"/><text x="${x(ms)}" y="${AXIS - 10}" text-anchor="middle" class="tick">${ms === 0 ? "0" : formatMs(ms)}</text>`,
  );
  const rows = bars.map((bar, i) => {
    const y = AXIS + i * ROW;
    const width = Math.max(2, x(bar.endMs) - x(bar.startMs));
    const title = `${bar.stack}: ${bar.state}, ${formatMs(bar.endMs - bar.startMs)}${bar.attempts > 1 ? `, ${bar.attempts} attempts` : ""}${bar.critical ? ", on the critical path" : ""}`;
    return [
      `<g class="bar${bar.critical ? " critical" : ""}" data-stack="${escapeXml(bar.stack)}">`,
      `<title>${escapeXml(title)}</title>`,
      `<text x="${LABEL - 8}" y="${y + 17}" text-anchor="end" class="label">${escapeXml(bar.stack)}</text>`,
      `<rect x="${x(bar.startMs)}" y="${y + 4}" width="${width}" height="${ROW - 8}" rx="3" fill="${colourOf(bar.state)}"${bar.critical ? ' stroke="#1b1f24" stroke-width="2.5"' : ""}/>`,
      `</g>`,
    ].join("");
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="timeline of run ${escapeXml(view.runId)}">`,
    `<style>.tick{font:11px sans-serif;fill:#57606a}.label{font:12px sans-serif;fill:#1b1f24}</style>`,
    ...ticks,
    ...rows,
    `</svg>`,
  ].join("\n");
}

/** About six round tick values from 0 to `span` milliseconds. */
export function niceTicks(span: number): number[] {
  const raw = span / 6;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = 0; t <= span + 1e-9; t += step) ticks.push(Math.round(t));
  return ticks;
}

/** Text for HTML and SVG: the report embeds names and error messages from history. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** One colour per state, shared by the graph, the timeline, the tables and the charts. */
export const STATE_COLOURS: Readonly<Record<string, string>> = {
  succeeded: "#2e9d5b",
  failed: "#d64545",
  skipped: "#9aa3ad",
  unchanged: "#6c8ebf",
  cancelled: "#b98bd6",
  running: "#2f81f7",
  interrupted: "#8250df",
  "never-run": "#d9dde2",
  drift: "#e89b2f",
  pending: "#e8c72f",
  error: "#d64545",
  clean: "#2e9d5b",
  unknown: "#d9dde2",
};

export const colourOf = (state: string) => STATE_COLOURS[state] ?? "#d9dde2";

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
}

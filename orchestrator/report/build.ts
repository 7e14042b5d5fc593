import { historyCharts, renderChart } from "./charts";
import { layoutGraph, renderGraph } from "./dependency-graph";
import { renderReportHtml } from "./html";
import type { ReportModel } from "./model";
import { renderTimeline } from "./timeline";

/** Lays out the graphs, renders the charts to SVG, and assembles the page. */
export async function buildReportHtml(model: ReportModel): Promise<string> {
  const graphs = new Map<string, string>();
  for (const env of model.environments) graphs.set(env.env, renderGraph(env, await layoutGraph(env)));
  const charts = [];
  for (const chart of historyCharts(model)) charts.push({ id: chart.id, title: chart.title, svg: await renderChart(chart) });
  return renderReportHtml(model, { graphs, charts, ...(model.timeline ? { timeline: renderTimeline(model.timeline) } : {}) });
}

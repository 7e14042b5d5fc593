import type { TopLevelSpec } from "vega-lite";
import type { ReportModel } from "./model";
import { STATE_COLOURS } from "./svg";

/** A chart to draw: its id in the page and its Vega-Lite spec. */
export interface ChartSpec {
  readonly id: "durations" | "success-rate" | "failures" | "cost";
  readonly title: string;
  readonly spec: TopLevelSpec;
}

const WIDTH = 640;

/** Vega-Lite specs for the run history, data inlined. Pure; charts with no data are left out. */
export function historyCharts(model: ReportModel): ChartSpec[] {
  const charts: ChartSpec[] = [];
  const points = model.history.points.map((p) => ({ ...p, seconds: Math.round(p.durationMs / 100) / 10 }));
  if (points.length > 0) {
    charts.push({
      id: "durations",
      title: "Stack durations over time",
      spec: {
        width: WIDTH,
        height: 240,
        data: { values: points },
        layer: [
          { mark: { type: "line", interpolate: "linear" }, encoding: { color: { field: "stack", type: "nominal", title: "stack" } } },
          {
            mark: { type: "point", filled: true, size: 45 },
            encoding: {
              color: { field: "stack", type: "nominal" },
              shape: { field: "state", type: "nominal", title: "result", scale: { domain: ["succeeded", "failed"], range: ["circle", "cross"] } },
              tooltip: [{ field: "stack" }, { field: "operation" }, { field: "state" }, { field: "seconds", title: "seconds" }, { field: "at", type: "temporal", timeUnit: "yearmonthdatehoursminutes" }],
            },
          },
        ],
        encoding: {
          // Padding keeps the newest points, at the domain's edge, from being cut in half.
          x: { field: "at", type: "temporal", title: "started", scale: { padding: 12 } },
          y: { field: "seconds", type: "quantitative", title: "duration (s)" },
        },
      },
    });
  }
  if (model.history.stacks.length > 0) {
    charts.push({
      id: "success-rate",
      title: "Success rate per stack",
      spec: {
        width: WIDTH,
        height: { step: 20 },
        data: { values: model.history.stacks.map((s) => ({ stack: s.stack, rate: s.successRate, runs: s.runs, failed: s.failed })) },
        mark: { type: "bar" },
        encoding: {
          y: { field: "stack", type: "nominal", sort: "ascending", title: null },
          x: { field: "rate", type: "quantitative", title: "success rate", axis: { format: "%" }, scale: { domain: [0, 1] } },
          color: { condition: { test: "datum.rate < 1", value: STATE_COLOURS.failed! }, value: STATE_COLOURS.succeeded! },
          tooltip: [{ field: "stack" }, { field: "runs" }, { field: "failed" }, { field: "rate", format: ".0%" }],
        },
      },
    });
  }
  if (model.history.topFailures.length > 0) {
    charts.push({
      id: "failures",
      title: "Failures by message",
      spec: {
        width: WIDTH - 260,
        height: { step: 22 },
        data: { values: model.history.topFailures.map((f) => ({ error: f.error.length > 60 ? `${f.error.slice(0, 57)}...` : f.error, count: f.count, stacks: f.stacks.join(", ") })) },
        mark: { type: "bar", color: STATE_COLOURS.failed! },
        encoding: {
          y: { field: "error", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 360 } },
          x: { field: "count", type: "quantitative", title: "failures", axis: { tickMinStep: 1 } },
          tooltip: [{ field: "error" }, { field: "count" }, { field: "stacks" }],
        },
      },
    });
  }
  if (model.costs.length > 0) {
    charts.push({
      id: "cost",
      title: `Monthly cost estimate per layer (${model.costs.at(-1)!.prices}; an estimate, not a bill)`,
      spec: {
        width: WIDTH,
        height: 200,
        data: { values: model.costs.map((p) => ({ ...p, monthly: Math.round(p.monthly * 100) / 100 })) },
        mark: { type: "area", line: true },
        encoding: {
          x: { field: "at", type: "temporal", title: "up" },
          y: { field: "monthly", type: "quantitative", title: "per month", stack: "zero", aggregate: "sum" },
          color: { field: "layer", type: "nominal", title: "layer" },
          ...(new Set(model.costs.map((p) => p.env)).size > 1 ? { row: { field: "env", type: "nominal", title: null } } : {}),
          tooltip: [{ field: "env" }, { field: "layer" }, { field: "monthly", aggregate: "sum", format: ".2f" }, { field: "at", type: "temporal", timeUnit: "yearmonthdatehoursminutes" }],
        },
      },
    });
  }
  return charts;
}

/** Compiles and renders a chart to static SVG, at build time, so the page needs no script. */
export async function renderChart(chart: ChartSpec): Promise<string> {
  // Both packages are ES modules (vega with top-level await): load them with import(), not require().
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vegaLite.compile(chart.spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

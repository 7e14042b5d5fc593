import { expect } from "chai";
import * as fs from "node:fs";
import { CHART_WORKLOADS, type WorkloadTarget } from "../../components/chart-workloads";
import type { ComponentSettings } from "../../environments/model";
import { chartCases, ENVIRONMENTS, type ChartCase } from "../support/chart-cases";
import { helmTemplate, type RenderedObject } from "../../orchestrator/releases/helm-template";
import { ignoredKeys } from "../support/ignored-keys";
import { valuesLeaves, type ValuesLeaf } from "../support/values-leaves";
import { CHART_EXEMPTIONS } from "../../policy/platform/chart-exemptions";
import { chartContainers, chartFindings, violationMessage } from "../../policy/platform/chart-workloads";

// The values contract, against the real charts: for every environment and component, the values
// the project computes render the environment's replicas, requests and limits onto the chart's
// main workload, pass its values.schema.json (helm template enforces it), give every container of
// every workload cpu and memory requests and a pinned image (or an exemption), and use every key.

const render = (c: ChartCase, values: Record<string, unknown> = c.values) => helmTemplate(c.archive, c.settings.chart.name, "platform", values);

function findTarget(objects: readonly RenderedObject[], target: WorkloadTarget): RenderedObject | undefined {
  return objects.find((o) => o.kind === target.kind && o.metadata.name === target.name);
}

/** Requests and limits as the API server would keep them: quantities as strings (a chart may render cpu 1 as a number), an empty limits as none. */
function normalized(resources: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } | undefined): { requests: unknown; limits?: unknown } {
  const strings = (amounts: Record<string, unknown> = {}) => Object.fromEntries(Object.entries(amounts).map(([k, v]) => [k, String(v)]));
  const limits = resources?.limits && Object.keys(resources.limits).length > 0 ? { limits: strings(resources.limits) } : {};
  return { requests: strings(resources?.requests), ...limits };
}

function expected(settings: ComponentSettings): { requests: unknown; limits?: unknown } {
  return { requests: settings.resources.requests, ...(settings.resources.limits ? { limits: settings.resources.limits } : {}) };
}

describe("values contract: the project's values rendered by the real charts", function () {
  this.timeout(600_000);
  const all = chartCases(ENVIRONMENTS);

  for (const c of all) {
    it(`${c.env.name}/${c.component}: ${c.settings.chart.name} ${c.settings.chart.version} renders the environment's replicas, requests and limits`, async () => {
      expect(fs.existsSync(c.archive), `${c.archive} missing: run npm run charts -- fill --from ../shared/charts`).to.equal(true);
      const result = await render(c);
      if (!result.ok) expect.fail(`${c.env.name}/${c.component}: helm template refused the values: ${result.error}`);
      for (const target of CHART_WORKLOADS[c.component]!) {
        const object = findTarget(result.objects, target);
        expect(object, `${c.component}: no ${target.kind} ${target.name} rendered; fix components/chart-workloads.ts`).to.not.equal(undefined);
        if (target.kind === "Prometheus") {
          expect(object!.spec.replicas, `${c.component}: ${target.kind} ${target.name} replicas`).to.equal(c.settings.replicas);
          expect(normalized(object!.spec.resources), `${c.component}: resources`).to.deep.equal(expected(c.settings));
          continue;
        }
        if (target.kind !== "DaemonSet") expect(object!.spec.replicas, `${c.component}: ${target.kind} ${target.name} replicas`).to.equal(c.settings.replicas);
        const container = object!.spec.template.spec.containers.find((k: { name: string }) => k.name === target.container);
        expect(container, `${c.component}: no container ${target.container} in ${target.name}`).to.not.equal(undefined);
        expect(normalized(container.resources), `${c.component}: ${target.name}/${target.container} resources`).to.deep.equal(expected(c.settings));
      }
      const findings = chartFindings(c.settings.chart.name, c.settings.chart.name, chartContainers(result.objects, "platform"), CHART_EXEMPTIONS);
      expect(
        findings.filter((f) => !f.exemption).map(violationMessage),
        `${c.env.name}/${c.component}: containers the workload rules would refuse`,
      ).to.deep.equal([]);
    });
  }

  // A key counts as read when one environment that sets it reads it: a hook Job's requests are
  // read where the hook is on, not in local, which turns it off. Environments are tried in order.
  const settingsOf = new Map<string, Map<string, Map<string, { c: ChartCase; leaf: ValuesLeaf }>>>();
  for (const c of all) {
    const keys = settingsOf.get(c.component) ?? new Map<string, Map<string, { c: ChartCase; leaf: ValuesLeaf }>>();
    settingsOf.set(c.component, keys);
    for (const leaf of valuesLeaves(c.values)) {
      const id = leaf.path.join(".");
      keys.set(id, (keys.get(id) ?? new Map()).set(c.env.name, { c, leaf }));
    }
  }
  for (const [component, keys] of settingsOf) {
    it(`${component}: the chart reads every values key the project sets`, async () => {
      let unread = [...keys.keys()];
      for (const envName of ENVIRONMENTS) {
        const inEnv = unread.map((id) => keys.get(id)!.get(envName)).filter((k) => k !== undefined);
        if (inEnv.length === 0) continue;
        const c = inEnv[0]!.c;
        const ignored = new Set((await ignoredKeys((values) => render(c, values), c.values, inEnv.map((k) => k.leaf))).map((leaf) => leaf.path.join(".")));
        unread = unread.filter((id) => !keys.get(id)!.has(envName) || ignored.has(id));
      }
      const messages = unread.map((id) => {
        const first = [...keys.get(id)!.values()][0]!.c;
        return `${component}: key ${id} (set in ${[...keys.get(id)!.keys()].join(", ")}) is ignored by ${first.settings.chart.name} ${first.settings.chart.version}`;
      });
      expect(messages, "remove these keys or put them where the chart reads them (components/chart-values.ts, components/chart-companion-requests.ts or the environment's values)").to.deep.equal([]);
    });
  }

  it("flags a key the chart ignores, naming it", async () => {
    const c = all.find((k) => k.component === "metricsServer")!;
    const values = { ...c.values, replicaCount: 3 };
    const ignored = await ignoredKeys((v) => render(c, v), values, valuesLeaves(values));
    expect(ignored.map((leaf) => leaf.path.join("."))).to.deep.equal(["replicaCount"]);
  });
});

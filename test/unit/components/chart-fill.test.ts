import { expect } from "chai";
import { helmPullArgs, planFill } from "../../../tools/charts/fill";
import type { MirrorEntry } from "../../../components/chart-source";

const entry = (chart: string, version: string, present = false, repository = "https://charts.example.com"): MirrorEntry => ({
  layer: "ingress",
  component: chart,
  chart,
  version,
  repository,
  present,
});

describe("charts fill planning", () => {
  it("copies each missing pinned archive from a chart folder, accepting a version with or without its v", () => {
    const files = new Set(["/src/cert-manager-v1.21.1.tgz", "/src/grafana-12.11.1.tgz"]);
    const steps = planFill([entry("cert-manager", "v1.21.1"), entry("grafana", "12.11.1"), entry("tempo", "2.2.4", true)], { kind: "folder", dir: "/src" }, "/mirror", (f) => files.has(f));
    expect(steps.map((s) => [s.kind, s.kind === "copy" ? s.to : ""])).to.deep.equal([
      ["copy", "/mirror/cert-manager-v1.21.1.tgz"],
      ["copy", "/mirror/grafana-12.11.1.tgz"],
      ["present", ""],
    ]);
  });

  it("reports a chart the folder lacks with the archive names it looked for", () => {
    const [step] = planFill([entry("loki", "18.11.0")], { kind: "folder", dir: "/src" }, "/mirror", () => false);
    expect(step).to.deep.include({ kind: "missing", lookedFor: ["loki-18.11.0.tgz"] });
  });

  it("pulls from upstream by repository, or by full reference from an OCI registry", () => {
    expect(helmPullArgs(entry("grafana", "12.11.1"), "/m")).to.deep.equal(["pull", "grafana", "--repo", "https://charts.example.com", "--version", "12.11.1", "-d", "/m"]);
    expect(helmPullArgs(entry("emissary-ingress", "4.1.0", false, "oci://ghcr.io/emissary-ingress"), "/m")).to.deep.equal([
      "pull", "oci://ghcr.io/emissary-ingress/emissary-ingress", "--version", "4.1.0", "-d", "/m",
    ]);
  });
});

import { expect } from "chai";
import { gzipSync } from "node:zlib";
import { decodeReleaseSecret, manifestObjects, objectDrift, objectPath, type KubeObject } from "../../../orchestrator/releases/release-objects";
import { diffManifests } from "../../../orchestrator/releases/manifest-diff";
import { withReleaseDrift } from "../../../orchestrator/drift/detect";
import { formatReleaseChanges } from "../../../orchestrator/releases/release-changes";
import * as destroyLeftovers from "../../../orchestrator/releases/aggregated-roles";

const MANIFEST = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cert-manager
  labels: { app: cert-manager }
spec:
  replicas: 1
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { mode: strict }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: cert-manager-view }
`;
const release = { name: "cert-manager", namespace: "ingress", version: 3, manifest: MANIFEST };
const [deployment, configMap, clusterRole] = manifestObjects(release) as [KubeObject, KubeObject, KubeObject];

describe("drift inside Helm releases", () => {
  it("decodes the release Helm stores in its Secret (base64 of gzipped JSON, base64 again by the API)", () => {
    const field = Buffer.from(gzipSync(JSON.stringify(release)).toString("base64")).toString("base64");
    expect(decodeReleaseSecret(field)).to.deep.equal(release);
  });

  it("puts namespaced objects in the release namespace and finds their API paths", () => {
    expect(objectPath(deployment)).to.equal("/apis/apps/v1/namespaces/ingress/deployments/cert-manager");
    expect(objectPath(configMap)).to.equal("/api/v1/namespaces/ingress/configmaps/settings");
    expect(objectPath(clusterRole)).to.equal("/apis/rbac.authorization.k8s.io/v1/clusterroles/cert-manager-view");
    expect(objectPath({ ...deployment, apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" })).to.match(/\/networkpolicies\/cert-manager$/);
  });

  it("names the object and property: a scale to 0, an edited label, a deleted ConfigMap, changed data", () => {
    const scaled = objectDrift("cert-manager", deployment, { ...deployment, metadata: { ...deployment.metadata, labels: { app: "edited" } }, spec: { replicas: 0 } });
    expect(scaled).to.deep.include({ type: "kubernetes:apps/v1:Deployment", name: "ingress/cert-manager", op: "update" });
    expect(scaled!.properties).to.deep.equal([
      { path: 'metadata.labels["app"]', kind: "update", old: "cert-manager", new: "edited" },
      { path: "spec.replicas", kind: "update", old: 1, new: 0 },
    ]);
    expect(objectDrift("cert-manager", configMap, undefined)).to.deep.include({ type: "kubernetes:core/v1:ConfigMap", name: "ingress/settings", op: "delete" });
    expect(objectDrift("cert-manager", configMap, { ...configMap, data: { mode: "loose" } })!.properties[0]).to.deep.include({ path: 'data["mode"]', old: "strict", new: "loose" });
    expect(objectDrift("cert-manager", deployment, deployment)).to.equal(undefined);
  });

  it("adds release-object drift to the stacks' reality drift", () => {
    const report = { env: "local", checkedAt: "t", stacks: [{ stack: "ingress-local", drift: [], pending: [], durationMs: 1 }] };
    const change = objectDrift("cert-manager", configMap, undefined)!;
    expect(withReleaseDrift(report, new Map([["ingress-local", [change]]])).stacks[0]!.drift).to.deep.equal([change]);
  });
});

describe("preview inside Helm releases", () => {
  it("names the object and field a values change alters, and objects it adds or removes", () => {
    const scaled = { ...deployment, spec: { replicas: 2 } };
    const changes = diffManifests("cert-manager", [deployment, configMap], [scaled, clusterRole]);
    expect(changes.map((c) => [c.op, c.type, c.name])).to.deep.equal([
      ["update", "kubernetes:apps/v1:Deployment", "ingress/cert-manager"],
      ["create", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "cert-manager-view"],
      ["delete", "kubernetes:core/v1:ConfigMap", "ingress/settings"],
    ]);
    expect(changes[0]!.properties).to.deep.equal([{ path: "spec.replicas", kind: "update", old: 1, new: 2 }]);
    expect(formatReleaseChanges(new Map([["ingress-local", changes.slice(0, 1)]]))).to.contain(
      "ingress-local  update kubernetes:apps/v1:Deployment ingress/cert-manager  spec.replicas: 1 -> 2",
    );
  });
});

describe("after a destroy", () => {
  it("finds aggregated ClusterRoles of the platform's releases that the aggregation controller re-created", () => {
    const { reappearedAggregatedRoles } = destroyLeftovers;
    const role = (name: string, release: string, aggregated: boolean) => ({
      metadata: { name, annotations: { "meta.helm.sh/release-name": release } },
      ...(aggregated ? { aggregationRule: { clusterRoleSelectors: [] } } : {}),
    });
    expect(reappearedAggregatedRoles([role("emissary-ingress", "emissary-ingress", true), role("x", "emissary-ingress", false), role("y", "other", true)], new Set(["emissary-ingress"]))).to.deep.equal([
      "emissary-ingress",
    ]);
  });
  it("finds a bare role the controller re-created after a release was uninstalled, by the names its manifest held", () => {
    const { reappearedAggregatedRoles, aggregatedRoleNames } = destroyLeftovers;
    const names = aggregatedRoleNames([
      { kind: "ClusterRole", metadata: { name: "emissary-ingress" }, aggregationRule: { clusterRoleSelectors: [] } },
      { kind: "ClusterRole", metadata: { name: "emissary-ingress-crd" } },
      { kind: "Deployment", metadata: { name: "emissary-ingress" } },
    ]);
    expect(names).to.deep.equal(["emissary-ingress"]);
    const bare = { metadata: { name: "emissary-ingress" } };
    const ownedElsewhere = { metadata: { name: "emissary-ingress", annotations: { "meta.helm.sh/release-name": "someone-else" } } };
    expect(reappearedAggregatedRoles([bare], new Set(["emissary-ingress"]), new Set(names))).to.deep.equal(["emissary-ingress"]);
    expect(reappearedAggregatedRoles([ownedElsewhere], new Set(["emissary-ingress"]), new Set(names))).to.deep.equal([]);
    expect(reappearedAggregatedRoles([bare], new Set(["emissary-ingress"]))).to.deep.equal([]);
  });
});

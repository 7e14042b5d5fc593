import { expect } from "chai";
import { installBlockingLeftovers, isAggregationLeftover, leftoverNote, type LiveClusterRole } from "../../../orchestrator/releases/aggregation-leftovers";

// What the aggregation controller's apply creates when it lands right after Helm deleted the role:
// seen after a killed destroy, nothing but the name (its computed rules were empty, so it owns no field).
const observed: LiveClusterRole = { metadata: { name: "emissary-ingress" } };
// The same apply while its cache still held the source roles: their rules, owned by the controller.
const withRules = { metadata: { name: "emissary-ingress", managedFields: [{ manager: "clusterrole-aggregation-controller" }] }, rules: [{ verbs: ["get"] }] };
const helmAnnotations = { "meta.helm.sh/release-name": "emissary-ingress", "meta.helm.sh/release-namespace": "ingress" };

describe("aggregated ClusterRoles left by the aggregation controller", () => {
  it("recognises the role the controller re-creates after Helm's delete, with or without rules", () => {
    expect(isAggregationLeftover(observed)).to.equal(true);
    expect(isAggregationLeftover(withRules)).to.equal(true);
  });

  it("leaves roles anyone else wrote or owns: a live aggregated role, Helm's, a person's, an owned one", () => {
    const managedBy = (manager: string) => ({ metadata: { name: "r", managedFields: [{ manager: "clusterrole-aggregation-controller" }, { manager }] } });
    expect(isAggregationLeftover({ metadata: { name: "r" }, aggregationRule: { clusterRoleSelectors: [] } })).to.equal(false);
    expect(isAggregationLeftover({ metadata: { name: "r", annotations: helmAnnotations } })).to.equal(false);
    expect(isAggregationLeftover({ metadata: { name: "r", labels: { "app.kubernetes.io/managed-by": "Helm" } } })).to.equal(false);
    expect(isAggregationLeftover({ metadata: { name: "r", ownerReferences: [{ kind: "Deployment" }] } })).to.equal(false);
    expect(isAggregationLeftover({ metadata: { name: "r", finalizers: ["example.com/hold"] } })).to.equal(false);
    expect(isAggregationLeftover(managedBy("kubectl-create"))).to.equal(false);
    expect(isAggregationLeftover({ metadata: { name: "r", managedFields: [{}] } })).to.equal(false);
  });

  it("names only the leftovers the release's chart makes: a leftover of another name stays", () => {
    const other = { metadata: { name: "someone-elses-aggregate" } };
    const helmOwned = { metadata: { name: "emissary-ingress-crd", annotations: helmAnnotations } };
    expect(installBlockingLeftovers([observed, other, helmOwned], new Set(["emissary-ingress", "emissary-ingress-crd"]))).to.deep.equal(["emissary-ingress"]);
    expect(installBlockingLeftovers([observed], new Set(["cert-manager-edit"]))).to.deep.equal([]);
  });

  it("says what was removed and why", () => {
    expect(leftoverNote("emissary-ingress", ["emissary-ingress"])).to.equal(
      "emissary-ingress: removed ClusterRole emissary-ingress that Kubernetes' aggregation controller re-created after an earlier uninstall (no owner; only that controller wrote it) and that the release's chart makes; the install would refuse it",
    );
  });
});

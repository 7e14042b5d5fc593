import { expect } from "chai";
import { comparable, realityProof, stackState, type LiveView, type StateResource } from "../../../orchestrator/drift/live-object-proof";
import type { KubeObject } from "../../../orchestrator/releases/release-objects";

const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };

function quota(overrides: Partial<{ used: string; resourceVersion: string; hard: string; statusWriterTime: string; labels: Record<string, string> }> = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: {
      name: "platform-quota",
      namespace: "data",
      uid: "u1",
      resourceVersion: overrides.resourceVersion ?? "10",
      ...(overrides.labels ? { labels: overrides.labels } : {}),
      managedFields: [
        { manager: "pulumi-kubernetes-1", operation: "Apply", time: "2026-11-28T08:00:00Z", fieldsV1: { "f:spec": { "f:hard": {} } } },
        { manager: "kube-controller-manager", operation: "Update", subresource: "status", time: overrides.statusWriterTime ?? "2026-11-28T08:00:00Z", fieldsV1: { "f:status": {} } },
      ],
    } as KubeObject["metadata"],
    spec: { hard: { "requests.cpu": overrides.hard ?? "4" } },
    status: { used: { "requests.cpu": overrides.used ?? "0" } },
  };
}

const quotaInState: StateResource = {
  urn: "urn:pulumi:data-local::platform::platform:data:DataLayer$kubernetes:core/v1:ResourceQuota::data-ns-quota",
  type: "kubernetes:core/v1:ResourceQuota",
  custom: true,
  id: "data/platform-quota",
  outputs: { __inputs: SECRET, __fieldManager: "pulumi-kubernetes-1", ...quota() },
};

const releaseInState: StateResource = {
  urn: "urn:pulumi:data-local::platform::platform:data:DataLayer$kubernetes:helm.sh/v3:Release::data-strimzi",
  type: "kubernetes:helm.sh/v3:Release",
  custom: true,
  id: "data/strimzi-kafka-operator",
  outputs: { __inputs: SECRET, status: { revision: 2, status: "deployed" } },
};

const bookkeeping: StateResource[] = [
  { urn: "urn:pulumi:data-local::platform::pulumi:pulumi:Stack::platform-data-local", type: "pulumi:pulumi:Stack" },
  { urn: "urn:pulumi:data-local::platform::pulumi:providers:kubernetes::data-cluster", type: "pulumi:providers:kubernetes", custom: true, outputs: { kubeconfig: SECRET } },
  { urn: "urn:pulumi:data-local::platform::pulumi:pulumi:StackReference::foundation", type: "pulumi:pulumi:StackReference", custom: true, outputs: { outputs: { kubeconfig: SECRET } } },
];

function view(object: KubeObject | undefined, head: { version: number; status: string } | null = { version: 2, status: "deployed" }): LiveView {
  return { object: () => object, releaseHead: (id) => (id === "data/strimzi-kafka-operator" && head ? head : undefined) };
}

const state = (...resources: StateResource[]) => ({ resources: [...bookkeeping, ...resources], pendingOperations: 0 });

describe("proving a refresh preview empty from the live objects", () => {
  it("holds when only status, resourceVersion and status writers changed", () => {
    const live = quota({ used: "1", resourceVersion: "99", statusWriterTime: "2026-11-28T09:00:00Z" });
    expect(realityProof(state(quotaInState, releaseInState), view(live))).to.deep.equal({ proven: true });
  });

  it("fails on a changed field, a new label, a re-created object or a missing one", () => {
    const cases: [string, KubeObject | undefined][] = [
      ["spec edited", quota({ hard: "8" })],
      ["label added", quota({ labels: { owner: "someone" } })],
      ["re-created", { ...quota(), metadata: { ...quota().metadata, uid: "u2" } as KubeObject["metadata"] }],
      ["deleted", undefined],
    ];
    for (const [what, live] of cases) expect(realityProof(state(quotaInState), view(live)).proven, what).to.equal(false);
  });

  it("fails when another field manager took fields over", () => {
    const live = quota();
    const managers = [...(live.metadata as unknown as { managedFields: object[] }).managedFields, { manager: "kubectl", operation: "Apply", fieldsV1: { "f:spec": {} } }];
    const proof = realityProof(state(quotaInState), view({ ...live, metadata: { ...live.metadata, managedFields: managers } as KubeObject["metadata"] }));
    expect(proof).to.deep.equal({ proven: false, why: "data-ns-quota: live object differs from state" });
  });

  it("holds a release only at the revision and status the state recorded", () => {
    expect(realityProof(state(releaseInState), view(quota())).proven).to.equal(true);
    expect(realityProof(state(releaseInState), view(quota(), { version: 3, status: "deployed" }))).to.deep.equal({
      proven: false,
      why: "data-strimzi: Helm has revision 3 (deployed), state 2 (deployed)",
    });
    expect(realityProof(state(releaseInState), view(quota(), { version: 2, status: "failed" })).proven).to.equal(false);
    expect(realityProof(state(releaseInState), view(quota(), null)).proven).to.equal(false);
  });

  it("leaves to the engine what it cannot read: secret fields, other clouds, pending operations", () => {
    const secret: StateResource = { ...quotaInState, type: "kubernetes:core/v1:Secret", outputs: { ...quotaInState.outputs, data: SECRET } };
    expect(realityProof(state(secret), view(quota())).proven, "secret data").to.equal(false);
    const bucket: StateResource = { urn: "urn:pulumi:x::p::aws:s3/bucketV2:BucketV2::logs", type: "aws:s3/bucketV2:BucketV2", custom: true, outputs: { bucket: "logs" } };
    expect(realityProof(state(bucket), view(quota())).proven, "aws").to.equal(false);
    expect(realityProof({ ...state(quotaInState), pendingOperations: 1 }, view(quota())).proven, "pending").to.equal(false);
    expect(realityProof(state({ ...quotaInState, delete: true }), view(quota())).proven, "pending delete").to.equal(false);
  });

  it("compares without status, resourceVersion, provider bookkeeping or managed-field times", () => {
    const shown = comparable({ __inputs: {}, ...quota() });
    expect(Object.keys(shown).sort()).to.deep.equal(["apiVersion", "kind", "metadata", "spec"]);
    expect(shown.metadata).to.not.have.property("resourceVersion");
    expect((shown.metadata as { managedFields: object[] }).managedFields).to.deep.equal([{ manager: "pulumi-kubernetes-1", operation: "Apply", fieldsV1: { "f:spec": { "f:hard": {} } } }]);
  });

  it("reads resources and pending operations from a stack export", () => {
    expect(stackState({ version: 3, deployment: { resources: [quotaInState], pending_operations: [{}] } })).to.deep.equal({ resources: [quotaInState], pendingOperations: 1 });
    expect(stackState({ version: 3, deployment: {} })).to.deep.equal({ resources: [], pendingOperations: 0 });
  });
});

import { FAKE_NODE_ANNOTATION } from "./layout";

/** How many simulated nodes the local cluster registers, and what each can hold. */
export interface FakeNodePool {
  readonly count: number;
  readonly cpu: string;
  readonly memory: string;
  readonly pods: number;
}

export const DEFAULT_NODE_POOL: FakeNodePool = { count: 3, cpu: "4", memory: "16Gi", pods: 110 };

export function fakeNodeName(index: number): string {
  return `local-node-${index}`;
}

/** Node objects kwok will keep Ready and run pods on (pods never really start: nothing runs them). */
export function fakeNodeManifests(pool: FakeNodePool): object[] {
  return Array.from({ length: pool.count }, (_, index) => {
    const resources = { cpu: pool.cpu, memory: pool.memory, pods: String(pool.pods) };
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: fakeNodeName(index),
        annotations: { [FAKE_NODE_ANNOTATION]: "fake" },
        labels: {
          "kubernetes.io/hostname": fakeNodeName(index),
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "node.kubernetes.io/instance-type": "kwok",
          type: "kwok",
        },
      },
      status: { allocatable: resources, capacity: resources },
    };
  });
}

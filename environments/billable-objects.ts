import { parseMemory } from "./quantity";

/** What a rendered chart makes that is billed apart from nodes: volumes it claims and LoadBalancer Services. */
export interface Billables {
  readonly volumeBytes: number;
  readonly loadBalancers: number;
}

interface ClaimTemplate {
  readonly spec?: { readonly resources?: { readonly requests?: { readonly storage?: unknown } } };
}

export interface BillableObject {
  readonly kind: string;
  readonly spec?: {
    readonly type?: string;
    readonly replicas?: number;
    readonly resources?: { readonly requests?: { readonly storage?: unknown } };
    readonly volumeClaimTemplates?: readonly ClaimTemplate[];
  };
}

const sizeOf = (claim: ClaimTemplate | undefined): number => parseMemory(String(claim?.spec?.resources?.requests?.storage ?? "0")) ?? 0;

/** Sums a chart's claimed storage (PVCs, a StatefulSet's claim templates once per replica) and its LoadBalancer Services. Pure. */
export function chartBillables(objects: readonly BillableObject[]): Billables {
  let volumeBytes = 0;
  let loadBalancers = 0;
  for (const object of objects) {
    if (object.kind === "PersistentVolumeClaim") volumeBytes += sizeOf(object);
    if (object.kind === "StatefulSet") volumeBytes += (object.spec?.volumeClaimTemplates ?? []).reduce((sum, t) => sum + sizeOf(t), 0) * (object.spec?.replicas ?? 1);
    if (object.kind === "Service" && object.spec?.type === "LoadBalancer") loadBalancers += 1;
  }
  return { volumeBytes, loadBalancers };
}

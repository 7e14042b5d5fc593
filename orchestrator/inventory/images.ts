import { parseAllDocuments } from "yaml";

/** An image some rendered object runs, and where it was found. */
export interface ImageUse {
  readonly image: string;
  /** `Kind/name` of the object, e.g. `Deployment/metrics-server`. */
  readonly object: string;
}

const CONTAINER_LISTS = new Set(["containers", "initContainers", "ephemeralContainers"]);
// Images a workload starts later are often passed as flags (cert-manager's ACME solver) or in
// environment variables (operators' defaults, such as Strimzi's Kafka images).
const IMAGE_FLAG = /^--?[a-z0-9-]*image[a-z0-9-]*=(.+)$/i;
const IMAGE_LIKE = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/i;

/**
 * Every image in rendered manifests: containers of any pod template (Deployments, Jobs, CronJobs,
 * operators' custom resources alike), `spec.image` of custom resources, and `--...image=` flags. Pure.
 */
export function imagesInManifests(manifests: string): ImageUse[] {
  const found: ImageUse[] = [];
  for (const document of parseAllDocuments(manifests)) {
    const object = document.toJS() as Record<string, unknown> | null;
    if (!object || typeof object !== "object") continue;
    const metadata = (object.metadata ?? {}) as { name?: string };
    const where = `${String(object.kind ?? "?")}/${metadata.name ?? "?"}`;
    walk(object, (image) => found.push({ image, object: where }));
    const spec = object.spec as { image?: unknown } | undefined;
    if (typeof spec?.image === "string" && spec.image) found.push({ image: spec.image, object: where });
  }
  return found;
}

interface Container {
  readonly image?: unknown;
  readonly args?: unknown;
  readonly command?: unknown;
  readonly env?: readonly { readonly name?: unknown; readonly value?: unknown }[];
}

function walk(value: unknown, add: (image: string) => void): void {
  if (Array.isArray(value)) return value.forEach((item) => walk(item, add));
  if (!value || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    if (CONTAINER_LISTS.has(key) && Array.isArray(child)) {
      for (const container of child as Container[]) {
        if (typeof container?.image === "string" && container.image) add(container.image);
        for (const flag of [container?.args, container?.command].flat()) {
          const match = typeof flag === "string" ? IMAGE_FLAG.exec(flag) : null;
          if (match && IMAGE_LIKE.test(match[1]!)) add(match[1]!);
        }
        for (const variable of Array.isArray(container?.env) ? container.env : []) {
          if (!/IMAGE/i.test(String(variable?.name)) || typeof variable?.value !== "string") continue;
          // Values such as "4.0.0=quay.io/strimzi/kafka:0.47.0-kafka-4.0.0\n4.1.0=...".
          for (const token of variable.value.split(/[\s,]+/)) {
            const candidate = token.slice(token.indexOf("=") + 1);
            if (IMAGE_LIKE.test(candidate) && /[:@]/.test(candidate)) add(candidate);
          }
        }
      }
    } else walk(child, add);
  }
}

/** What the workload rules read of a container, wherever it comes from: the program or a chart. */
export interface ContainerSpec {
  readonly name?: string;
  readonly image?: string;
  readonly resources?: { readonly requests?: { readonly cpu?: unknown; readonly memory?: unknown } | null } | null;
}

export interface PodSpec {
  readonly containers?: readonly ContainerSpec[] | null;
  readonly initContainers?: readonly ContainerSpec[] | null;
}

/** True when the container asks for both cpu and memory. Pure. */
export function hasRequests(container: ContainerSpec): boolean {
  const requests = container.resources?.requests;
  return requests?.cpu !== undefined && requests?.cpu !== null && requests?.memory !== undefined && requests?.memory !== null;
}

/** True when the image is pinned by a version tag or a digest, not ':latest' or untagged. Pure. */
export function isPinnedImage(image: string): boolean {
  if (image.includes("@")) return true;
  const tag = image.split("/").pop()?.split(":")[1];
  return tag !== undefined && tag !== "" && tag !== "latest";
}

/** Every container of a pod, init containers included, with which kind it is. */
export function podContainers(spec: PodSpec | undefined): { container: ContainerSpec; init: boolean }[] {
  return [
    ...(spec?.containers ?? []).map((container) => ({ container, init: false })),
    ...(spec?.initContainers ?? []).map((container) => ({ container, init: true })),
  ];
}

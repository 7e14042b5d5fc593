import { execFile } from "node:child_process";
import { parseAllDocuments } from "yaml";

/** A rendered Kubernetes object, as far as the tests read it. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
  // Specs differ per kind; tests read the fields they check.
  readonly spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The rendered manifest; `objects` parses it at the first read (the SBOM reads only the text). */
export type RenderResult = { readonly ok: true; readonly text: string; readonly objects: RenderedObject[] } | { readonly ok: false; readonly error: string };

export interface TemplateOptions {
  /** The helm binary; `helm` on PATH (setup builds one) unless given. */
  readonly helm?: string;
  /** The cluster version the chart renders for (`--kube-version`); Helm's own default otherwise. */
  readonly kubeVersion?: string;
}

/** `helm template` of a chart archive with the given values on stdin (Helm checks them against the chart's values.schema.json). */
export function helmTemplate(archive: string, release: string, namespace: string, values: unknown, options: TemplateOptions = {}): Promise<RenderResult> {
  const args = ["template", release, archive, "--namespace", namespace, ...(options.kubeVersion ? ["--kube-version", options.kubeVersion] : []), "--values", "-"];
  return new Promise((resolve) => {
    const child = execFile(options.helm ?? "helm", args, { maxBuffer: 1 << 28, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) return resolve({ ok: false, error: stderr.trim() || error.message });
      let objects: RenderedObject[] | undefined;
      resolve({
        ok: true,
        text: stdout,
        get objects() {
          return (objects ??= parseAllDocuments(stdout).map((doc) => doc.toJS() as RenderedObject).filter((object) => object?.kind));
        },
      });
    });
    child.stdin?.end(JSON.stringify(values));
  });
}

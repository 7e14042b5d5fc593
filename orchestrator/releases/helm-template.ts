import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";

/** A rendered Kubernetes object, as far as the tests read it. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
  // Specs differ per kind; tests read the fields they check.
  readonly spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type RenderResult = { readonly ok: true; readonly text: string; readonly objects: RenderedObject[] } | { readonly ok: false; readonly error: string };

/** `helm template` of a chart archive with the given values (Helm checks them against the chart's values.schema.json). */
export function helmTemplate(archive: string, release: string, namespace: string, values: unknown): Promise<RenderResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helm-values-"));
  const file = path.join(dir, "values.json");
  fs.writeFileSync(file, JSON.stringify(values));
  return new Promise((resolve) => {
    execFile("helm", ["template", release, archive, "--namespace", namespace, "--values", file], { maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (error) return resolve({ ok: false, error: stderr.trim() || error.message });
      const objects = parseAllDocuments(stdout).map((doc) => doc.toJS() as RenderedObject).filter((object) => object?.kind);
      resolve({ ok: true, text: stdout, objects });
    });
  });
}

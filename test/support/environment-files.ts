import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const CORPUS = path.resolve(__dirname, "../fixtures/environments");

/** A throwaway environments folder: the corpus's valid blueprint and `valid.yaml`, plus `files` (name -> YAML text or bytes). */
export function environmentFiles(files: Readonly<Record<string, string | Buffer>> = {}): { readonly dir: string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "environments-"));
  for (const name of ["base.yaml", "valid.yaml"]) fs.copyFileSync(path.join(CORPUS, name), path.join(dir, name));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

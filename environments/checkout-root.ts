import * as path from "node:path";

/** The folder the compiled tree goes to, under the checkout root. */
export const COMPILED_DIR = "dist";

/** What `npm run build` writes beside the compiled tree: the sources it compiled, to tell a stale build. */
export const BUILD_STAMP_FILE = "build-stamp.json";

/**
 * The checkout's root, whether this code runs from source (`environments/`) or compiled
 * (`dist/environments/`): data such as environment files and chart mirrors is read from the
 * checkout, never copied into the build.
 */
export function checkoutRoot(): string {
  return path.resolve(__dirname, runsCompiled() ? "../.." : "..");
}

/** True in the compiled tree (JavaScript under dist/), false when ts-node runs the TypeScript source. */
export function runsCompiled(): boolean {
  return __filename.endsWith(".js");
}

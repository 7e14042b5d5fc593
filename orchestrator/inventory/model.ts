import type { ChartRef } from "../../environments/model";
import type { LayerName } from "../../environments/layers";
import type { NpmPackage } from "./npm-packages";

/** One chart an environment installs, with the images its rendered objects run. */
export interface ChartInventory {
  readonly layer: LayerName;
  readonly component: string;
  readonly chart: ChartRef;
  /** The archive it was rendered from, when one was found. */
  readonly archive?: string;
  readonly archiveSha256?: string;
  /** image reference -> `Kind/name` of the objects that run it. */
  readonly images: Readonly<Record<string, readonly string[]>>;
  /** Why no images are listed: no archive to render, or Helm refused the values. */
  readonly problem?: string;
}

/** Everything an environment installs: what a CycloneDX document is made from. */
export interface Inventory {
  readonly env: string;
  readonly target: string;
  readonly generatedAt: string;
  readonly project: { readonly name: string; readonly version: string };
  readonly charts: readonly ChartInventory[];
  readonly npm: readonly NpmPackage[];
}

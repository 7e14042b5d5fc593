import { randomUUID } from "node:crypto";
import { Enums, Models, Serialize, Spec, SPDX } from "@cyclonedx/cyclonedx-library";
import { PackageURL } from "packageurl-js";
import { parseImageRef } from "./image-ref";
import type { ChartInventory, Inventory } from "./model";
import type { NpmPackage } from "./npm-packages";

/** The CycloneDX version written; its schema is the one the tests validate against. */
export const SPEC = Spec.Spec1dot6;

/** The inventory as a CycloneDX 1.6 JSON document: charts, the images they run, npm packages. */
export function renderBom(inventory: Inventory, serialNumber = `urn:uuid:${randomUUID()}`): string {
  const root = new Models.Component(Enums.ComponentType.Application, `platform-${inventory.env}`, {
    bomRef: `platform-${inventory.env}`,
    version: inventory.project.version,
    description: `Everything the ${inventory.env} environment (${inventory.target}) installs: Helm charts, their container images, and ${inventory.project.name}'s npm packages`,
  });
  const bom = new Models.Bom({ serialNumber, metadata: new Models.Metadata({ timestamp: new Date(inventory.generatedAt), component: root }) });
  bom.metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, inventory.project.name, { version: inventory.project.version }));

  const images = new Map<string, Models.Component>();
  for (const chart of inventory.charts) {
    const component = chartComponent(chart);
    bom.components.add(component);
    root.dependencies.add(component.bomRef);
    for (const [reference, objects] of Object.entries(chart.images)) {
      const image = images.get(reference) ?? imageComponent(reference);
      if (!images.has(reference)) {
        images.set(reference, image);
        bom.components.add(image);
      }
      image.properties.add(new Models.Property("platform:chart", `${chart.chart.name} ${chart.chart.version}`));
      for (const object of objects) image.properties.add(new Models.Property("platform:object", `${chart.component}: ${object}`));
      component.dependencies.add(image.bomRef);
    }
  }
  for (const pkg of inventory.npm) {
    const component = npmComponent(pkg);
    bom.components.add(component);
    if (!pkg.dev) root.dependencies.add(component.bomRef);
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(SPEC));
  return serializer.serialize(bom, { sortLists: true, space: 2 });
}

function chartComponent(chart: ChartInventory): Models.Component {
  const version = chart.chart.version;
  const component = new Models.Component(Enums.ComponentType.Application, chart.chart.name, {
    bomRef: `chart:${chart.chart.name}@${version}`,
    group: "helm",
    version,
    description: `Helm chart of the ${chart.component} component (${chart.layer} layer)`,
    purl: new PackageURL("generic", "helm", chart.chart.name, version, { repository_url: chart.chart.repository }, undefined).toString(),
  });
  component.externalReferences.add(new Models.ExternalReference(chart.chart.repository, Enums.ExternalReferenceType.Distribution, { comment: "Helm repository" }));
  if (chart.archiveSha256) component.hashes.set(Enums.HashAlgorithm["SHA-256"], chart.archiveSha256);
  component.properties.add(new Models.Property("platform:layer", chart.layer));
  component.properties.add(new Models.Property("platform:component", chart.component));
  if (chart.problem) component.properties.add(new Models.Property("platform:images-unknown", chart.problem));
  return component;
}

function imageComponent(reference: string): Models.Component {
  const ref = parseImageRef(reference);
  const name = ref.repository.split("/").at(-1)!;
  const qualifiers: Record<string, string> = { repository_url: `${ref.registry}/${ref.repository}`, ...(ref.tag ? { tag: ref.tag } : {}) };
  const component = new Models.Component(Enums.ComponentType.Container, `${ref.registry}/${ref.repository}`, {
    bomRef: `image:${reference}`,
    version: ref.digest ?? ref.tag,
    purl: new PackageURL("oci", undefined, name, ref.digest, qualifiers, undefined).toString(),
  });
  if (ref.digest?.startsWith("sha256:")) component.hashes.set(Enums.HashAlgorithm["SHA-256"], ref.digest.slice("sha256:".length));
  component.properties.add(new Models.Property("platform:image", reference));
  return component;
}

function npmComponent(pkg: NpmPackage): Models.Component {
  const [group, name] = pkg.name.startsWith("@") ? (pkg.name.split("/", 2) as [string, string]) : [undefined, pkg.name];
  const component = new Models.Component(Enums.ComponentType.Library, name, {
    bomRef: `npm:${pkg.name}@${pkg.version}`,
    ...(group ? { group } : {}),
    version: pkg.version,
    scope: pkg.dev ? Enums.ComponentScope.Excluded : Enums.ComponentScope.Required,
    purl: new PackageURL("npm", group, name, pkg.version, undefined, undefined).toString(),
  });
  const hash = integrityHash(pkg.integrity);
  if (hash) component.hashes.set(hash[0], hash[1]);
  if (pkg.license) component.licenses.add(license(pkg.license));
  if (pkg.resolved) component.externalReferences.add(new Models.ExternalReference(pkg.resolved, Enums.ExternalReferenceType.Distribution));
  return component;
}

function license(text: string): Models.License {
  if (SPDX.isSupportedSpdxId(text)) return new Models.SpdxLicense(text);
  return /\b(OR|AND|WITH)\b/.test(text) ? new Models.LicenseExpression(text) : new Models.NamedLicense(text);
}

/** `sha512-<base64>` as CycloneDX wants it: algorithm and hex. */
function integrityHash(integrity: string | undefined): [Enums.HashAlgorithm, string] | undefined {
  const match = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/=]+)$/.exec(integrity?.split(" ")[0] ?? "");
  if (!match) return undefined;
  const algorithm = { sha512: Enums.HashAlgorithm["SHA-512"], sha384: Enums.HashAlgorithm["SHA-384"], sha256: Enums.HashAlgorithm["SHA-256"], sha1: Enums.HashAlgorithm["SHA-1"] }[match[1]!]!;
  return [algorithm, Buffer.from(match[2]!, "base64").toString("hex")];
}

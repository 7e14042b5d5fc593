import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Writes a small Helm chart directory standing in for an upstream chart of the same name and
 * version: a Deployment and a ConfigMap that records the values it was installed with. Used by
 * tests and, where no real chart archive can be fetched, to fill the local environment's mirror.
 */
export function writeStandInChart(mirrorDir: string, name: string, version: string, crds: readonly CrdKind[] = []): string {
  const dir = path.join(mirrorDir, name);
  fs.mkdirSync(path.join(dir, "templates"), { recursive: true });
  if (crds.length > 0) {
    fs.mkdirSync(path.join(dir, "crds"), { recursive: true });
    for (const crd of crds) fs.writeFileSync(path.join(dir, "crds", `${crd.plural}.${crd.group}.yaml`), crdManifest(crd));
  }
  fs.writeFileSync(
    path.join(dir, "Chart.yaml"),
    [
      "apiVersion: v2",
      `name: ${name}`,
      `version: ${version.replace(/^v/, "")}`,
      `description: Stand-in for the upstream ${name} chart (written by this project, not the real chart)`,
      "type: application",
      "",
    ].join("\n"),
  );
  fs.writeFileSync(path.join(dir, "values.yaml"), "standIn:\n  replicas: 1\n");
  fs.writeFileSync(path.join(dir, "templates", "deployment.yaml"), DEPLOYMENT);
  fs.writeFileSync(path.join(dir, "templates", "values-configmap.yaml"), VALUES_CONFIGMAP);
  return dir;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    app.kubernetes.io/name: {{ .Chart.Name }}
    app.kubernetes.io/instance: {{ .Release.Name }}
    app.kubernetes.io/version: {{ .Chart.Version | quote }}
spec:
  replicas: {{ .Values.standIn.replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/instance: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ .Release.Name }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "stand-in.local/{{ .Chart.Name }}:{{ .Chart.Version }}"
          resources:
            requests:
              cpu: 10m
              memory: 16Mi
`;

const VALUES_CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-values
  labels:
    app.kubernetes.io/instance: {{ .Release.Name }}
data:
  values.json: {{ toJson .Values | quote }}
`;

/** A custom resource kind a stand-in chart installs, so resources of that kind can be created after it. */
export interface CrdKind {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly versions: readonly string[];
}

function crdManifest(crd: CrdKind): string {
  const versions = crd.versions
    .map(
      (version, index) => `    - name: ${version}
      served: true
      storage: ${index === 0}
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true`,
    )
    .join("\n");
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${crd.plural}.${crd.group}
spec:
  group: ${crd.group}
  scope: Namespaced
  names:
    kind: ${crd.kind}
    plural: ${crd.plural}
    singular: ${crd.kind.toLowerCase()}
  versions:
${versions}
`;
}

/** CRDs the platform's own resources need from a chart (the mesh layer creates a PeerAuthentication). */
const CHART_CRDS: Readonly<Record<string, readonly CrdKind[]>> = {
  base: [{ group: "security.istio.io", kind: "PeerAuthentication", plural: "peerauthentications", versions: ["v1", "v1beta1"] }],
};

/** The CRDs a stand-in for `chart` installs, so the platform's resources of those kinds can be created. */
export function standInCrds(chart: string): readonly CrdKind[] {
  return CHART_CRDS[chart] ?? [];
}

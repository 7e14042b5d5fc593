import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Writes a small Helm chart directory standing in for an upstream chart of the same name and
 * version: a Deployment and a ConfigMap that records the values it was installed with. Used by
 * tests and, where no real chart archive can be fetched, to fill the local environment's mirror.
 */
export function writeStandInChart(mirrorDir: string, name: string, version: string): string {
  const dir = path.join(mirrorDir, name);
  fs.mkdirSync(path.join(dir, "templates"), { recursive: true });
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

import { generateKeyPairSync, randomBytes } from "node:crypto";

/** The admin's bearer token and the service-account signing key pair, made once per cluster. */
export interface ClusterCredentials {
  readonly adminToken: string;
  readonly tokenCsv: string;
  readonly serviceAccountKeyPem: string;
  readonly serviceAccountPublicKeyPem: string;
}

export function newClusterCredentials(): ClusterCredentials {
  const adminToken = randomBytes(24).toString("hex");
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    adminToken,
    // token,user,uid,"group1,group2": the static token file format kube-apiserver reads.
    tokenCsv: `${adminToken},admin,admin,"system:masters"\n`,
    serviceAccountKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    serviceAccountPublicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

export function kubeconfigYaml(server: string, token: string, caPem: string | undefined): string {
  const clusterAuth = caPem
    ? `    certificate-authority-data: ${Buffer.from(caPem).toString("base64")}`
    : "    insecure-skip-tls-verify: true";
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: platform-local",
    "  cluster:",
    `    server: ${server}`,
    clusterAuth,
    "users:",
    "- name: admin",
    "  user:",
    `    token: ${token}`,
    "contexts:",
    "- name: platform-local",
    "  context:",
    "    cluster: platform-local",
    "    user: admin",
    "current-context: platform-local",
    "",
  ].join("\n");
}

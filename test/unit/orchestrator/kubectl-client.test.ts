import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KubectlClient } from "../../../orchestrator/cluster/kubectl-client";
import { loopbackServer, type LoopbackServer } from "../../support/loopback-server";

// A made-up credential: the test fails if it shows anywhere but the request's header.
const TOKEN = "fake-kubeconfig-token-4f1c";

function fakeKubeconfig(server: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    `clusters: [{ name: fake, cluster: { server: "${server}" } }]`,
    `users: [{ name: fake, user: { token: ${TOKEN} } }]`,
    "contexts: [{ name: fake, context: { cluster: fake, user: fake } }]",
    "current-context: fake",
  ].join("\n");
}

describe("the kubectl client for clusters reached by a kubeconfig", function () {
  this.timeout(30_000);
  let server: LoopbackServer;
  let parent: string;
  before(async () => {
    server = await loopbackServer((request) =>
      request.url.startsWith("/api/v1/namespaces/gone")
        ? { status: 404, body: JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: "not found" }) }
        : request.url.startsWith("/api/v1/namespaces/broken")
          ? { status: 500, body: JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", code: 500, message: "etcd is unhappy" }) }
          : { status: 200, body: JSON.stringify({ kind: "NamespaceList", items: [{ metadata: { name: "ingress" } }] }) },
    );
    parent = fs.mkdtempSync(path.join(os.tmpdir(), "kubectl-client-"));
  });
  after(async () => {
    await server.close();
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it("reads and deletes through kubectl at the kubeconfig's server; a 404 is undefined or fine, other errors never show the credentials", async () => {
    const client = new KubectlClient(fakeKubeconfig(server.url), "kubectl", parent);
    try {
      expect(await client.get("/api/v1/namespaces")).to.deep.equal({ kind: "NamespaceList", items: [{ metadata: { name: "ingress" } }] });
      expect(await client.get("/api/v1/namespaces/gone")).to.equal(undefined);
      await client.delete("/api/v1/namespaces/gone");
      await client.delete("/api/v1/namespaces/ingress");
      const error = await client.get("/api/v1/namespaces/broken").catch((e: Error) => e);
      expect(String(error)).to.match(/GET \/api\/v1\/namespaces\/broken through kubectl failed: /);
      expect(String(error)).to.not.contain(TOKEN);
    } finally {
      client.dispose();
    }
    expect(server.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`)).to.include.members(["GET /api/v1/namespaces", "DELETE /api/v1/namespaces/ingress"]);
  });

  it("keeps the kubeconfig owner-only while open and removes it on dispose", () => {
    const client = new KubectlClient(fakeKubeconfig(server.url), "kubectl", parent);
    const file = client.kubeconfigFile;
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).to.equal(0o700);
    client.dispose();
    expect(fs.existsSync(file)).to.equal(false);
    expect(fs.readdirSync(parent)).to.deep.equal([]);
  });
});

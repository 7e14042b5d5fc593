import { expect } from "chai";
import { classifyEngineError, engineErrorLead } from "../../../orchestrator/automation/engine-errors";
import { TransientEngineError } from "../../../orchestrator/engine/errors";

const urn = "urn:pulumi:ingress-dev::platform::platform:ingress:IngressLayer$kubernetes:helm.sh/v3:Release::cert-manager";

describe("engine errors a person can read", () => {
  it("leads with the resource, its operation and the engine's message", () => {
    const lead = engineErrorLead(urn, "create", 'error: namespaces "ingress" not found\nerror: update failed');
    expect(lead).to.equal('cert-manager (kubernetes:helm.sh/v3:Release) create failed: namespaces "ingress" not found');
    expect(engineErrorLead(undefined, undefined, "error: program failed")).to.equal("program failed");
  });

  it("keeps the command line out of the message and in the detail", () => {
    const transcript = new Error("Command failed with exit code 255: pulumi up --yes --skip-preview --event-log /tmp/automation-logs/x\nerror: update failed");
    const failure = classifyEngineError(transcript, "cert-manager (kubernetes:helm.sh/v3:Release) create failed: boom") as Error & { detail?: string };
    expect(failure.message).to.equal("cert-manager (kubernetes:helm.sh/v3:Release) create failed: boom");
    expect(failure.message).to.not.contain("pulumi up");
    expect(failure.detail).to.contain("pulumi up --yes");
  });

  it("without an error event, leads with the engine's own error lines, never the command that was run", () => {
    const transcript = [
      "code: 255",
      " stdout: Updating (foundation-local):",
      "",
      " stderr: Command failed with exit code 255: /root/.cache/platform/engine/bin/pulumi up --yes --skip-preview --stack foundation-local --non-interactive",
      "error: getting stack configuration: get stack secrets manager: incorrect passphrase",
      "",
      " err?: Error: Command failed with exit code 255: /root/.cache/platform/engine/bin/pulumi up --yes --skip-preview --stack foundation-local",
      "error: getting stack configuration: get stack secrets manager: incorrect passphrase",
    ].join("\n");
    const failure = classifyEngineError(new Error(transcript)) as Error & { detail?: string };
    expect(failure.message).to.equal("error: getting stack configuration: get stack secrets manager: incorrect passphrase");
    expect(failure.detail).to.contain("pulumi up --yes");
  });

  it("types transient failures by the whole transcript", () => {
    expect(classifyEngineError(new Error("error: Another update is currently in progress"), "stack: locked")).to.be.instanceOf(TransientEngineError);
    expect(classifyEngineError(new Error("error: bad value"))).to.not.be.instanceOf(TransientEngineError);
  });
});

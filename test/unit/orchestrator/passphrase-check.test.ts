import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stackId } from "../../../orchestrator/model/stack";
import { PreflightError } from "../../../orchestrator/model/preflight-error";
import { checkPassphrase, passphraseOpens, passphraseSource } from "../../../orchestrator/session/passphrase-check";
import { FakeEngine } from "../../support/fake-engine";

// Made by Pulumi's passphrase secrets manager with the passphrase "abc123" (its own tests, pkg/backend/diy).
const SALT_A = "v1:4iF78gb0nF0=:v1:Co6IbTWYs/UdrjgY:FSrAWOFZnj9ealCUDdJL7LrUKXX9BA==";
const SALT_B = "v1:C7H2a7/Ietk=:v1:yfAd1zOi6iY9DRIB:dumdsr+H89VpHIQWdB01XEFqYaYjAg==";

describe("the passphrase, checked against each stack's encryptionsalt before the engine runs", function () {
  this.timeout(60_000);

  it("opens a salt Pulumi made with the same passphrase, and no other", async () => {
    expect(await passphraseOpens("abc123", SALT_A)).to.equal(true);
    expect(await passphraseOpens("abc124", SALT_A)).to.equal(false);
    expect(await passphraseOpens("abc123", "v1:not-a-salt")).to.equal(false);
  });

  it("reads the passphrase as the engine does: the variable first, then the file, trimmed", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passphrase-"));
    const file = path.join(dir, "passphrase");
    fs.writeFileSync(file, "abc123\n");
    expect(passphraseSource({ PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: file })).to.deep.include({ passphrase: "", from: "the environment variable PULUMI_CONFIG_PASSPHRASE" });
    expect(passphraseSource({ PULUMI_CONFIG_PASSPHRASE_FILE: file })).to.deep.include({ passphrase: "abc123", from: `the file PULUMI_CONFIG_PASSPHRASE_FILE=${file}` });
    expect(passphraseSource({ PULUMI_CONFIG_PASSPHRASE_FILE: path.join(dir, "missing") })).to.deep.include({ kind: "problem" });
    expect(passphraseSource({})).to.deep.include({ kind: "problem" });
    fs.rmSync(dir, { recursive: true });
  });

  it("refuses with the stacks it cannot open and where the passphrase came from; stacks without a salt are not asked", async () => {
    const engine = new FakeEngine();
    engine.salts.set("foundation-dev", SALT_A);
    engine.salts.set("ingress-dev", SALT_B);
    const stacks = [stackId("foundation", "dev"), stackId("ingress", "dev"), stackId("mesh", "dev")];
    await checkPassphrase(engine.configFiles, [stacks[0]!, stacks[2]!], { PULUMI_CONFIG_PASSPHRASE: "abc123" });
    const refusal = await checkPassphrase(engine.configFiles, stacks, { PULUMI_CONFIG_PASSPHRASE: "wrong" }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(refusal).to.be.instanceOf(PreflightError);
    expect(refusal!.message).to.match(/^the passphrase from the environment variable PULUMI_CONFIG_PASSPHRASE does not decrypt the secrets of foundation-dev, ingress-dev \(the encryptionsalt in Pulumi\.foundation-dev\.yaml, Pulumi\.ingress-dev\.yaml\); nothing was run/);
    expect(refusal!.message).to.not.contain("wrong");
    const unset = await checkPassphrase(engine.configFiles, stacks, {}).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(unset!.message).to.match(/neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set/);
  });
});

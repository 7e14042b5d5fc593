import { expect } from "chai";
import { releaseRepairs, releaseVerdicts, repairNote, type ReleaseRevision } from "../../../orchestrator/releases/stuck-releases";

/** A release's revisions from a list of statuses, revision 1 first. */
function history(name: string, ...statuses: string[]): ReleaseRevision[] {
  return statuses.map((status, index) => ({ name, namespace: "ingress", version: index + 1, status }));
}

describe("stuck Helm releases", () => {
  it("finds a release whose newest revision is deployed healthy, whatever its older revisions say", () => {
    expect(releaseVerdicts(history("cert-manager", "superseded", "superseded", "deployed"))).to.deep.equal([{ kind: "healthy", release: "cert-manager", namespace: "ingress", version: 3 }]);
    // What a rollback over a stuck upgrade leaves: the stuck revision stays in history below a deployed one.
    expect(releaseRepairs(history("emissary-ingress", "superseded", "pending-upgrade", "deployed"))).to.deep.equal([]);
  });

  it("rolls back an upgrade left pending to the revision that is still deployed", () => {
    expect(releaseRepairs(history("emissary-ingress", "superseded", "deployed", "pending-upgrade"))).to.deep.equal([
      { kind: "rollback", release: "emissary-ingress", namespace: "ingress", stuck: { version: 3, status: "pending-upgrade" }, to: 2 },
    ]);
  });

  it("rolls back a rollback left pending, and a failed upgrade, to the last deployed revision", () => {
    expect(releaseRepairs(history("loki", "deployed", "pending-rollback"))[0]).to.deep.include({ kind: "rollback", to: 1, stuck: { version: 2, status: "pending-rollback" } });
    expect(releaseRepairs(history("loki", "superseded", "deployed", "failed"))[0]).to.include({ kind: "rollback", to: 2 });
  });

  it("rolls back to a superseded revision when a failed rollback left none deployed", () => {
    // Helm marks the deployed revision superseded and its rollback failed when the rollback fails.
    expect(releaseRepairs(history("mimir-distributed", "superseded", "superseded", "failed", "failed"))[0]).to.include({ kind: "rollback", to: 2 });
  });

  it("reinstalls a release whose install was left pending or failed: no revision was ever deployed", () => {
    expect(releaseRepairs(history("loki", "pending-install"))).to.deep.equal([{ kind: "reinstall", release: "loki", namespace: "ingress", stuck: { version: 1, status: "pending-install" } }]);
    expect(releaseRepairs(history("loki", "failed"))).to.deep.equal([{ kind: "reinstall", release: "loki", namespace: "ingress", stuck: { version: 1, status: "failed" } }]);
  });

  it("reinstalls a release whose uninstall stopped midway instead of rolling it back", () => {
    expect(releaseRepairs(history("tempo", "superseded", "uninstalling"))[0]).to.include({ kind: "reinstall" });
  });

  it("decides per release and namespace, from revisions listed in any order", () => {
    const revisions = [
      ...history("cert-manager", "deployed"),
      ...history("emissary-ingress", "deployed", "pending-upgrade").reverse(),
      { name: "emissary-ingress", namespace: "other", version: 1, status: "pending-install" },
    ];
    expect(releaseVerdicts(revisions).map((v) => `${v.namespace}/${v.release} ${v.kind}`)).to.deep.equal([
      "ingress/cert-manager healthy",
      "ingress/emissary-ingress rollback",
      "other/emissary-ingress reinstall",
    ]);
  });

  it("notes the release, what was found, what was done and why", () => {
    const [rollback] = releaseRepairs(history("ingress-emissary", "superseded", "deployed", "pending-upgrade"));
    expect(repairNote(rollback!, "up")).to.equal("ingress-emissary: revision 3 left pending-upgrade by an interrupted run; rolled back to revision 2 (last deployed)");
    const [pending] = releaseRepairs(history("loki", "pending-install"));
    expect(repairNote(pending!, "up")).to.equal("loki: revision 1 left pending-install by an interrupted run, and no revision was ever deployed; uninstalled it (hooks skipped), this up installs it again");
    const [failed] = releaseRepairs(history("loki", "failed"));
    expect(repairNote(failed!, "destroy")).to.equal("loki: revision 1 failed, and no revision was ever deployed; uninstalled it (hooks skipped), the destroy goes on without it");
    const [uninstalling] = releaseRepairs(history("tempo", "superseded", "uninstalling"));
    expect(repairNote(uninstalling!, "up")).to.equal("tempo: revision 2 left uninstalling by an interrupted run; uninstalled it (hooks skipped), this up installs it again");
  });
});

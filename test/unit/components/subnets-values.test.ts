import { expect } from "chai";
import { CHART_VALUES, valuesFor } from "../../../components/chart-values";
import { serviceAccountTrustPolicy } from "../../../components/foundation/aws-iam";
import { planSubnets } from "../../../components/foundation/subnets";
import { LAYER_COMPONENTS } from "../../../environments/catalog";

describe("planSubnets", () => {
  it("puts private /19s first and public /22s after them, one pair per zone", () => {
    expect(planSubnets("10.0.0.0/16", 2)).to.deep.equal([
      { zoneIndex: 0, privateCidr: "10.0.0.0/19", publicCidr: "10.0.128.0/22" },
      { zoneIndex: 1, privateCidr: "10.0.32.0/19", publicCidr: "10.0.132.0/22" },
    ]);
  });

  it("normalises a CIDR with host bits set and handles high addresses", () => {
    expect(planSubnets("172.31.255.7/16", 1)[0]).to.deep.equal({ zoneIndex: 0, privateCidr: "172.31.0.0/19", publicCidr: "172.31.128.0/22" });
    expect(planSubnets("192.168.0.0/20", 4).map((p) => p.privateCidr)).to.deep.equal(["192.168.0.0/23", "192.168.2.0/23", "192.168.4.0/23", "192.168.6.0/23"]);
  });

  for (const [cidr, zones, error] of [
    ["10.0.0.0/24", 1, /too small/],
    ["10.0.0/16", 1, /not an IPv4 CIDR/],
    ["10.0.0.0/16", 5, /between 1 and 4/],
    ["10.0.0.0/16", 0, /between 1 and 4/],
  ] as const) {
    it(`rejects ${cidr} with ${zones} zones`, () => expect(() => planSubnets(cidr, zones)).to.throw(error));
  }
});

const CONTEXT = { domain: "dev.example.com", clusterName: "platform-dev", region: "us-east-1" };

describe("chart values mapping", () => {
  const settings = { enabled: true, chart: { name: "x", version: "1", repository: "https://x" }, replicas: 3, resources: { requests: { cpu: "100m", memory: "1Gi" } }, values: {} };

  it("has a mapping for every component the catalog allows, and none for unknown ones", () => {
    expect(Object.keys(CHART_VALUES)).to.have.members(Object.values(LAYER_COMPONENTS).flat());
    expect(() => valuesFor("nginx", settings, CONTEXT)).to.throw(/no values mapping for component "nginx"/);
  });

  it("every mapping carries the requested resources somewhere in its values (except the CRD-only charts)", () => {
    for (const component of Object.keys(CHART_VALUES).filter((c) => c !== "istioBase" && c !== "emissaryCrds")) {
      expect(JSON.stringify(valuesFor(component, settings, CONTEXT)), component).to.contain('"requests":{"cpu":"100m","memory":"1Gi"}');
    }
  });
});

describe("IRSA trust policy", () => {
  it("binds the role to one service account of one OIDC issuer", () => {
    const policy = JSON.parse(serviceAccountTrustPolicy("arn:aws:iam::1:oidc-provider/oidc.example/id/X", "https://oidc.example/id/X", "kube-system", "sa"));
    expect(policy.Statement[0].Condition.StringEquals).to.deep.equal({ "oidc.example/id/X:sub": "system:serviceaccount:kube-system:sa", "oidc.example/id/X:aud": "sts.amazonaws.com" });
    expect(policy.Statement[0].Action).to.equal("sts:AssumeRoleWithWebIdentity");
  });
});

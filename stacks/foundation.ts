import * as fs from "node:fs";
import * as path from "node:path";
import { valuesContextOf } from "../components/chart-values";
import { cloudFoundationArgs } from "../components/foundation/cloud-args";
import type { StackContext } from "./context";

/** Layer 1 per target; cloud SDKs load only for their own target (they are large). */
export function foundationStack(ctx: StackContext): Record<string, unknown> {
  switch (ctx.env.target) {
    case "local": {
      const { LocalFoundation } = require("../components/foundation/local") as typeof import("../components/foundation/local");
      const file = path.resolve(ctx.repoRoot, ctx.env.local!.kubeconfig);
      if (!fs.existsSync(file)) {
        throw new Error(`${ctx.env.file}: local.kubeconfig ${ctx.env.local!.kubeconfig} does not exist; start the local cluster with \`npm run cluster -- start\``);
      }
      const foundation = new LocalFoundation("foundation", {
        kubeconfig: fs.readFileSync(file, "utf8"),
        context: ctx.env.local!.context,
        clusterName: `platform-${ctx.env.name}`,
        settings: ctx.settings,
        chartSource: ctx.chartSource,
        valuesContext: valuesContextOf(ctx.env),
        awaitWorkloads: ctx.env.cluster.awaitWorkloads,
        namespaceDeleteTimeoutSeconds: ctx.env.cluster.namespaceDeleteTimeoutSeconds,
      });
      return { kubeconfig: foundation.kubeconfig, clusterName: foundation.clusterName, releases: foundation.releases };
    }
    case "aws": {
      const { AwsFoundation } = require("../components/foundation/aws") as typeof import("../components/foundation/aws");
      const foundation = new AwsFoundation("foundation", cloudFoundationArgs(ctx.env, ctx.settings, ctx.chartSource));
      return {
        kubeconfig: foundation.kubeconfig,
        clusterName: foundation.clusterName,
        vpcId: foundation.vpcId,
        publicSubnetIds: foundation.publicSubnetIds,
        privateSubnetIds: foundation.privateSubnetIds,
        oidcProviderArn: foundation.oidcProviderArn,
      };
    }
    case "azure": {
      const { AzureFoundation } = require("../components/foundation/azure") as typeof import("../components/foundation/azure");
      const foundation = new AzureFoundation("foundation", cloudFoundationArgs(ctx.env, ctx.settings, ctx.chartSource));
      return { kubeconfig: foundation.kubeconfig, clusterName: foundation.clusterName, vnetId: foundation.vnetId, subnetIds: foundation.subnetIds };
    }
  }
}


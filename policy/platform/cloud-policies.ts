import type { ResourceValidationPolicy } from "@pulumi/policy";

interface ScalingConfig {
  minSize?: number;
  maxSize?: number;
  desiredSize?: number;
}

export const nodeGroupScalingBounds: ResourceValidationPolicy = {
  name: "node-group-scaling-bounds",
  description: "EKS node groups keep min <= desired <= max, and max within the platform's ceiling.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { maxNodes: { type: "integer", default: 50 } } },
  validateResource: (args, reportViolation) => {
    if (args.type !== "aws:eks/nodeGroup:NodeGroup") return;
    const scaling = (args.props.scalingConfig as ScalingConfig | undefined) ?? {};
    const { minSize, maxSize, desiredSize } = scaling;
    const ceiling = args.getConfig<{ maxNodes: number }>().maxNodes;
    if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
      reportViolation(`minSize ${minSize} is above maxSize ${maxSize}; fix cluster.minNodes/maxNodes in environments/*.yaml`);
    }
    if (desiredSize !== undefined && ((minSize !== undefined && desiredSize < minSize) || (maxSize !== undefined && desiredSize > maxSize))) {
      reportViolation(`desiredSize ${desiredSize} is outside [${minSize}, ${maxSize}]`);
    }
    if (maxSize !== undefined && maxSize > ceiling) reportViolation(`maxSize ${maxSize} exceeds the ceiling of ${ceiling} nodes`);
  },
};

export const clusterEndpointNotOpenToWorld: ResourceValidationPolicy = {
  name: "cluster-endpoint-not-open-to-world",
  description: "A public EKS API endpoint is restricted to known CIDRs.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "aws:eks/cluster:Cluster") return;
    const vpc = args.props.vpcConfig as { endpointPublicAccess?: boolean; publicAccessCidrs?: string[] } | undefined;
    if (vpc?.endpointPublicAccess !== false && (vpc?.publicAccessCidrs ?? ["0.0.0.0/0"]).includes("0.0.0.0/0")) {
      reportViolation("the EKS API endpoint is public to 0.0.0.0/0; set publicAccessCidrs or make it private");
    }
  },
};

import * as pulumi from "@pulumi/pulumi";

/** A resource the program registered, as the mocked engine saw it. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

/** Cloud-side state the mocked engine returns for a resource type (only clouds are mocked). */
export type CloudState = (resource: RecordedResource) => Record<string, unknown>;

const CLOUD_STATE: Record<string, CloudState> = {
  "eks:index:Cluster": (r) => ({
    kubeconfigJson: JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [{ name: r.inputs.name }] }),
    oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/${r.name}`,
    oidcProviderUrl: `https://oidc.eks.us-east-1.amazonaws.com/id/${r.name}`,
  }),
  "aws:iam/role:Role": (r) => ({ arn: `arn:aws:iam::123456789012:role/${r.name}`, name: r.name }),
  "aws:kms/key:Key": (r) => ({ arn: `arn:aws:kms:us-east-1:123456789012:key/${r.name}` }),
  "azure-native:containerservice:ManagedCluster": (r) => ({ name: r.inputs.resourceName, oidcIssuerProfile: { enabled: true, issuerURL: `https://oidc.example/${r.name}` } }),
  "kubernetes:helm.sh/v3:Release": (r) => ({ status: { status: "deployed", version: r.inputs.version } }),
};

/** Installs Pulumi mocks for a stack and returns the list every registered resource lands in. */
export function recordResources(stack = "test-dev", extraState: Record<string, CloudState> = {}): RecordedResource[] {
  const recorded: RecordedResource[] = [];
  const state = { ...CLOUD_STATE, ...extraState };
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const resource = { type: args.type, name: args.name, inputs: args.inputs };
        recorded.push(resource);
        return { id: `${args.name}-id`, state: { ...args.inputs, ...(state[args.type]?.(resource) ?? {}) } };
      },
      call: (args) => {
        if (args.token === "aws:index/getAvailabilityZones:getAvailabilityZones") return { names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"] };
        if (args.token === "azure-native:containerservice:listManagedClusterUserCredentials") {
          return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from("apiVersion: v1\nkind: Config\n").toString("base64") }] };
        }
        return args.inputs;
      },
    },
    "platform",
    stack,
    false,
  );
  return recorded;
}

/** The resolved value of an Output (mocks resolve everything). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/**
 * Waits until every registration the program started has reached the mocks (they are asynchronous):
 * the SDK's own queue of outstanding calls to the engine, drained as a program's end drains it, and
 * again while draining it let more in. An event, not a pause: a quiet spell on a busy machine proves nothing.
 */
export async function settled(recorded: readonly RecordedResource[]): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  if (typeof runtime.waitForRPCs !== "function") throw new Error("@pulumi/pulumi no longer exports runtime.waitForRPCs; settled() needs another way to know the mocks have every registration");
  let seen = -1;
  while (seen !== recorded.length) {
    seen = recorded.length;
    await runtime.waitForRPCs();
  }
}

export function ofType(recorded: readonly RecordedResource[], type: string): RecordedResource[] {
  return recorded.filter((r) => r.type === type);
}

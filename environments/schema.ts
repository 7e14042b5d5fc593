import { z } from "zod";
import { LAYER_DEPENDENCIES, LAYER_NAMES, type LayerName } from "./layers";
import { gatesSchema } from "./gates-schema";
import { NOTIFICATION_EVENTS } from "./notifications";
import { parseCpu, parseMemory } from "./quantity";

const cpu = z.string({ error: 'expected a cpu quantity string such as "250m" or "2"' }).refine((v) => parseCpu(v) !== undefined, {
  error: 'expected a cpu quantity such as "250m" or "2"',
});
const memory = z.string({ error: 'expected a memory quantity string such as "512Mi" or "4Gi"' }).refine((v) => parseMemory(v) !== undefined, {
  error: 'expected a memory quantity such as "512Mi" or "4Gi"',
});
const amounts = z.strictObject({ cpu, memory });

const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;
const chart = z.strictObject({
  name: z.string().min(1),
  version: z.string().regex(EXACT_VERSION, { error: "expected an exact chart version such as 1.16.2 (no ranges)" }),
  repository: z.url({ error: "expected the chart repository URL, e.g. https://charts.jetstack.io" }),
});

const component = z.strictObject({
  enabled: z.boolean().default(true),
  chart,
  replicas: z.int().min(0).max(100),
  resources: z.strictObject({ requests: amounts, limits: amounts.optional() }),
  values: z.record(z.string(), z.unknown()).default({}),
});

const layerName = z.enum(LAYER_NAMES, { error: `expected a layer: ${LAYER_NAMES.join(", ")}` });

const layer = z.strictObject({
  enabled: z.boolean().default(true),
  dependsOn: z.array(layerName).optional(),
  quota: amounts,
  components: z.record(z.string(), component),
});

export const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;

const cluster = z
  .strictObject({
    kubernetesVersion: z.string().regex(/^\d+\.\d+$/, { error: 'expected a Kubernetes minor version such as "1.31"' }),
    instanceType: z.string().min(1),
    minNodes: z.int().min(0),
    maxNodes: z.int().min(1),
    desiredNodes: z.int().min(0),
    spot: z.boolean(),
    nodeAllocatable: amounts,
    awaitWorkloads: z.boolean().default(true),
    namespaceDeleteTimeoutSeconds: z.int().min(30).default(600),
  })
  .superRefine((c, ctx) => {
    if (c.minNodes > c.maxNodes) {
      ctx.addIssue({ code: "custom", path: ["minNodes"], message: `minNodes ${c.minNodes} is above maxNodes ${c.maxNodes}; expected minNodes <= maxNodes` });
    } else if (c.desiredNodes < c.minNodes || c.desiredNodes > c.maxNodes) {
      ctx.addIssue({ code: "custom", path: ["desiredNodes"], message: `desiredNodes ${c.desiredNodes} is outside [${c.minNodes}, ${c.maxNodes}]` });
    }
  });

const SECRET_NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;
const secretName = (what: string) =>
  z.string().regex(SECRET_NAME, {
    error: `expected the name of a secret config key holding ${what} (such as opsSlackWebhook), never the URL itself; store it with \`pulumi config set --secret <name> --stack foundation-<env>\``,
  });

/** Where run, drift and promotion events go; destinations are secret config names, resolved at run time. */
const notifications = z.strictObject({
  slack: z.array(secretName("a Slack incoming-webhook URL")).default([]),
  webhooks: z.array(secretName("a JSON webhook URL")).default([]),
  events: z.array(z.enum(NOTIFICATION_EVENTS, { error: `expected an event: ${NOTIFICATION_EVENTS.join(", ")}` })).optional(),
  timeoutSeconds: z.number().positive().max(60).default(5),
  retries: z.int().min(0).max(5).default(2),
  reportUrl: z.url({ error: "expected the URL where people open the report, e.g. a CI artifact link" }).optional(),
});

const layers = z.strictObject(
  Object.fromEntries(LAYER_NAMES.map((name) => [name, layer])) as Record<LayerName, typeof layer>,
);

/** The merged environment document (after `extends` is resolved). */
export const environmentSchema = z.strictObject({
  extends: z.string().optional(),
  target: z.enum(["aws", "azure", "local"], { error: "expected target aws, azure or local" }),
  region: z.string().min(1),
  domain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, { error: "expected a DNS domain such as platform.example.com" }),
  cluster,
  network: z.strictObject({
    cidr: z.string().regex(CIDR, { error: "expected an IPv4 CIDR such as 10.0.0.0/16" }),
    availabilityZones: z.int().min(1).max(6),
  }),
  local: z.strictObject({ kubeconfig: z.string().min(1), context: z.string().optional() }).optional(),
  charts: z.strictObject({ mirror: z.string().min(1).optional() }).default({}),
  promotion: z.strictObject({ requiresApproval: z.boolean().default(false), promotesFrom: z.string().optional() }).default({ requiresApproval: false }),
  notifications: notifications.optional(),
  /** The most the environment may cost a month, in the currency of its price list (pricing/<target>.yaml). */
  budget: z.strictObject({ monthly: z.number({ error: "expected a monthly amount such as 1500" }).positive({ error: "expected a monthly amount above 0" }) }).optional(),
  gates: gatesSchema.optional(),
  secrets: z.array(z.string().regex(SECRET_NAME, { error: "expected a config key name such as grafanaAdminPassword" })).default([]),
  layers,
  // Checked by fleet.ts, which names members and rings in its messages.
  fleet: z.unknown().optional(),
});

export type EnvironmentDocument = z.infer<typeof environmentSchema>;

export function defaultDependsOn(name: LayerName): LayerName[] {
  return [...LAYER_DEPENDENCIES[name]];
}

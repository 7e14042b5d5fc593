import type { ResourceValidationPolicy } from "@pulumi/policy";

// IAM rules after AwsGuard's catalog. Advisory by default; config/<env>.json raises them.

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Principal?: string | { AWS?: string | string[]; Service?: string | string[]; Federated?: string | string[] };
  Condition?: unknown;
}

const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function statements(document: unknown): Statement[] {
  if (typeof document !== "string" && (typeof document !== "object" || document === null)) return [];
  try {
    const parsed = (typeof document === "string" ? JSON.parse(document) : document) as { Statement?: Statement | Statement[] };
    return Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  } catch {
    return [];
  }
}

export const iamNoAdminPolicy: ResourceValidationPolicy = {
  name: "iam-no-admin-policy",
  description: "No IAM policy grants every action on every resource, and no role gets AdministratorAccess.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type === "aws:iam/rolePolicy:RolePolicy" || args.type === "aws:iam/policy:Policy") {
      for (const statement of statements(args.props.policy)) {
        const everyAction = list(statement.Action).some((action) => action === "*" || action === "*:*");
        if (statement.Effect === "Allow" && everyAction && list(statement.Resource).includes("*")) {
          reportViolation('a statement allows Action "*" on Resource "*"; list the actions and resources the role needs');
        }
      }
    }
    if (args.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && /:policy\/AdministratorAccess$/.test(String(args.props.policyArn))) {
      reportViolation("AdministratorAccess is attached; attach a policy scoped to what the role does");
    }
  },
};

export const iamTrustNotPublic: ResourceValidationPolicy = {
  name: "iam-trust-not-public",
  description: "No role can be assumed by any AWS principal.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "aws:iam/role:Role") return;
    for (const statement of statements(args.props.assumeRolePolicy)) {
      const principal = statement.Principal;
      const anyone = principal === "*" || (typeof principal === "object" && list(principal.AWS).includes("*"));
      if (statement.Effect === "Allow" && anyone && !statement.Condition) reportViolation("the trust policy lets any AWS principal assume the role; name the principal");
    }
  },
};

/**
 * The names of the support roles (infra/constructs/support-roles.ts), and which one a caller is
 * in: no CDK import here, the console loads it. A caller's ARN in an assumed role reads
 * `arn:aws:sts::<account>:assumed-role/<role name>/<session>`.
 */
export const supportRoleNames = (prefix: string) => ({
  support: `${prefix}-support`,
  operator: `${prefix}-operator`,
});

export type CallerRole = { name: string; mayAct: boolean };

/** What the console shows and allows for a caller of a stack whose roles have these names. */
export function callerRole(callerArn: string, names: { support: string; operator: string }): CallerRole {
  const assumed = /^arn:[^:]+:sts::\d+:assumed-role\/([^/]+)\//.exec(callerArn)?.[1];
  if (assumed === names.support) return { name: `support (read-only, ${assumed})`, mayAct: false };
  if (assumed === names.operator) return { name: `operator (${assumed})`, mayAct: true };
  // Any other principal: what its own policies allow is not known here; AWS refuses what they do not.
  return { name: `IAM principal ${assumed ?? callerArn.split(':').slice(5).join(':')}`, mayAct: true };
}

/**
 * CDK feature flags this app is written against. Every App (app.ts, the local storage synth, the
 * tests) starts with them so that all three synthesize the same template.
 */
export const FEATURE_FLAGS: Record<string, boolean> = {
  // Access-log delivery through a bucket policy instead of the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // Merge IAM statements that differ only in resources: shorter, easier-to-review policies.
  '@aws-cdk/aws-iam:minimizePolicies': true,
};

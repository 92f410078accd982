/** How invoicer's signing keys are generated in Secrets Manager: 64 hex digits, 32 random bytes. */
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

export const HEX_KEY_32_BYTES: secretsmanager.SecretStringGenerator = {
  passwordLength: 64,
  excludeUppercase: true,
  excludePunctuation: true,
  includeSpace: false,
  excludeCharacters: 'ghijklmnopqrstuvwxyz',
};

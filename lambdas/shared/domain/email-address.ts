/**
 * The e-mail address form invoicer accepts where no JSON schema checks it (deployment settings,
 * the e-mail subscriber's recipient): something@domain.tld, no spaces.
 */
const EMAIL_ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export const isEmailAddress = (value: unknown): value is string =>
  typeof value === 'string' && EMAIL_ADDRESS.test(value);

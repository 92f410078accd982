/**
 * The `seller` context value, checked at synth: what every invoice states of the seller must be
 * right before the first invoice is issued, not on it (docs/deploy.md lists the fields).
 */
import { isValidBIC, isValidIBAN } from 'ibantools';
import { DEFAULT_SELLER } from '../lambdas/shared/config.js';
import { isEmailAddress } from '../lambdas/shared/domain/email-address.js';
import {
  REGISTRATION_COUNTRIES,
  type RegistrationCountry,
  type SellerConfig,
} from '../lambdas/shared/domain/types.js';
import { validateVatId } from '../lambdas/shared/domain/vat-ids.js';

/** The seller from its context value (JSON text or object); what is wrong goes to `problems`. */
export function readSeller(raw: unknown, problems: string[]): SellerConfig {
  if (raw === undefined || raw === '') return DEFAULT_SELLER;
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push('context seller: is not valid JSON');
      return DEFAULT_SELLER;
    }
  }
  const s = value as Partial<SellerConfig> | null;
  if (!s || typeof s !== 'object' || typeof s.name !== 'string' || s.name.trim() === '') {
    problems.push('context seller.name: must be a non-empty string');
  } else if (!s.address || typeof s.address.country !== 'string' || !/^[A-Z]{2}$/.test(s.address.country)) {
    problems.push('context seller.address.country: must be an ISO 3166-1 alpha-2 code, e.g. "DE"');
  } else {
    if (s.vatId !== undefined) {
      // Printed on every invoice and required for reverse charge: a wrong one is refused at deploy.
      try {
        validateVatId(String(s.vatId), s.address.country, 'context seller.vatId');
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    problems.push(...eInvoiceSellerProblems(s), ...sellerParticularsProblems(s));
  }
  return s as SellerConfig;
}

const bankAccountProblems = (account: unknown, where: string): string[] => {
  const { iban, bic } = (account ?? {}) as { iban?: unknown; bic?: unknown };
  const problems: string[] = [];
  if (typeof iban !== 'string' || !isValidIBAN(iban))
    problems.push(`context ${where}.iban: must be an IBAN with valid check digits, without spaces`);
  if (bic !== undefined && (typeof bic !== 'string' || !isValidBIC(bic)))
    problems.push(`context ${where}.bic: must be a BIC of 8 or 11 characters`);
  return problems;
};

/** Registrations, accounts per currency, payment codes and company particulars: checked at deploy. */
function sellerParticularsProblems(s: Partial<SellerConfig>): string[] {
  const problems: string[] = [];
  const registrations = (s.registrations ?? {}) as Record<string, unknown>;
  for (const [country, id] of Object.entries(registrations)) {
    if (!(REGISTRATION_COUNTRIES as readonly string[]).includes(country)) {
      problems.push(
        `context seller.registrations.${country}: registrations are kept for ${REGISTRATION_COUNTRIES.join(', ')} (EU VAT is declared under seller.vatId)`,
      );
    } else if (typeof id !== 'string' || !REGISTRATION_FORMATS[country as RegistrationCountry].test(id)) {
      problems.push(
        `context seller.registrations.${country}: must look like ${REGISTRATION_EXAMPLES[country as RegistrationCountry]}`,
      );
    }
  }
  for (const [currency, account] of Object.entries((s.bankAccounts ?? {}) as Record<string, unknown>)) {
    if (!/^[A-Z]{3}$/.test(currency))
      problems.push(
        `context seller.bankAccounts.${currency}: accounts are keyed by ISO 4217 currency, e.g. "CHF"`,
      );
    else problems.push(...bankAccountProblems(account, `seller.bankAccounts.${currency}`));
  }
  const chf = (s.bankAccounts as Record<string, { iban?: string }> | undefined)?.CHF ?? s.bankAccount;
  if (s.paymentCodes?.swissQrBill === true && !/^(CH|LI)/.test(chf?.iban ?? '')) {
    problems.push(
      'context seller.paymentCodes.swissQrBill: needs a Swiss or Liechtenstein IBAN for CHF (seller.bankAccounts.CHF)',
    );
  } else if (s.paymentCodes?.swissQrBill === true && /^(CH|LI)\d{2}3[01]/.test(chf?.iban ?? '')) {
    // A QR-IBAN (institution id 30000-31999) takes only 27-digit QR references; invoices carry an RF reference.
    problems.push(
      'context seller.paymentCodes.swissQrBill: the CHF account is a QR-IBAN; give the ordinary IBAN (invoices carry an ISO 11649 creditor reference)',
    );
  }
  if (s.registerCourt !== undefined && (typeof s.registerCourt !== 'string' || s.registerCourt.trim() === ''))
    problems.push(
      'context seller.registerCourt: must be a non-empty string, e.g. "Amtsgericht Charlottenburg"',
    );
  if (
    s.managingDirectors !== undefined &&
    (!Array.isArray(s.managingDirectors) ||
      s.managingDirectors.length === 0 ||
      s.managingDirectors.some((name) => typeof name !== 'string' || name.trim() === ''))
  )
    problems.push('context seller.managingDirectors: must be a list of names, e.g. ["Erika Mustermann"]');
  return problems;
}

/** The formats of the registrations the invoice prints. */
const REGISTRATION_FORMATS: Readonly<Record<RegistrationCountry, RegExp>> = {
  GB: /^GB([0-9]{9}|[0-9]{12})$/,
  CH: /^CHE-[0-9]{3}\.[0-9]{3}\.[0-9]{3} (MWST|TVA|IVA)$/,
  NO: /^VOEC [0-9]{7}$/,
};
const REGISTRATION_EXAMPLES: Readonly<Record<RegistrationCountry, string>> = {
  GB: '"GB123456789"',
  CH: '"CHE-123.456.789 MWST"',
  NO: '"VOEC 2012345"',
};

/** What the EN 16931 e-invoice states of the seller: checked at deploy, not on the first invoice. */
function eInvoiceSellerProblems(s: Partial<SellerConfig>): string[] {
  const problems: string[] = [];
  if (s.email !== undefined && !isEmailAddress(s.email)) {
    problems.push('context seller.email: must be an e-mail address (the e-invoice names it, BT-34)');
  }
  if (
    s.legalRegistrationId !== undefined &&
    (typeof s.legalRegistrationId !== 'string' || s.legalRegistrationId.trim() === '')
  ) {
    problems.push('context seller.legalRegistrationId: must be a non-empty string, e.g. "HRB 123456 B"');
  }
  if (s.contact !== undefined) {
    const { name, phone } = s.contact;
    if (
      typeof name !== 'string' ||
      name.trim() === '' ||
      typeof phone !== 'string' ||
      !/^\+?[0-9 ()/-]{3,40}$/.test(phone)
    ) {
      problems.push(
        'context seller.contact: needs a name and a telephone number, e.g. {"name":"Billing","phone":"+49 30 1234567"}',
      );
    }
  }
  if (s.bankAccount !== undefined) problems.push(...bankAccountProblems(s.bankAccount, 'seller.bankAccount'));
  return problems;
}

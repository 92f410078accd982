import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_CONFIG, readConfig } from '../../infra/config.js';

const from = (context: Record<string, unknown>) => readConfig((key) => context[key]);

describe('readConfig', () => {
  it('uses the defaults when no context is set', () => {
    expect(from({})).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({
      scheduleTimeZone: 'Europe/Berlin',
      scheduleCron: 'cron(0 2 1 * ? *)',
    });
  });

  it('parses -c strings and cdk.json values', () => {
    const config = from({
      stage: 'prod',
      scheduleTimeZone: 'America/New_York',
      scheduleCron: 'cron(30 6 1 * ? *)',
      scheduleEnabled: 'false',
      toleratedFailurePercentage: '5',
      maxConcurrency: 200,
      objectLockRetentionDays: '3650',
      logRetentionDays: '90',
      opsEmail: 'ops@example.com',
      seller:
        '{"name":"ACME Ltd","address":{"line1":"1 Main St","city":"London","postalCode":"E1 6AN","country":"GB"}}',
    });
    expect(config).toMatchObject({
      stage: 'prod',
      scheduleTimeZone: 'America/New_York',
      scheduleEnabled: false,
      toleratedFailurePercentage: 5,
      maxConcurrency: 200,
      objectLockRetentionDays: 3650,
      logRetentionDays: RetentionDays.THREE_MONTHS,
      opsEmail: 'ops@example.com',
      seller: { name: 'ACME Ltd', address: { country: 'GB' } },
    });
  });

  it('reads the hosted-link base URL and the e-mail sender, the SES identity defaulting to its domain', () => {
    expect(
      from({ publicBaseUrl: 'https://billing.example.com/', emailFrom: 'invoices@billing.example.com' }),
    ).toMatchObject({
      publicBaseUrl: 'https://billing.example.com',
      emailFrom: 'invoices@billing.example.com',
      sesIdentity: 'billing.example.com',
    });
    expect(from({ emailFrom: 'a@b.example', sesIdentity: 'a@b.example' }).sesIdentity).toBe('a@b.example');
    expect(() => from({ publicBaseUrl: 'http://billing.example.com' })).toThrow(
      'publicBaseUrl: must be an https URL',
    );
    expect(() => from({ publicBaseUrl: 'not a url' })).toThrow('"not a url" is not a URL');
    expect(() => from({ emailFrom: 'a@b.example', sesIdentity: 'other.example' })).toThrow(
      "must be emailFrom's domain or emailFrom itself",
    );
    expect(() => from({ sesIdentity: 'b.example' })).toThrow('needs emailFrom');
  });

  it('reports every invalid key at once, by name and value', () => {
    let message = '';
    try {
      from({
        stage: 'Prod_1',
        scheduleTimeZone: 'Europe/Atlantis',
        scheduleCron: 'cron(0 2 1 * * *)',
        maxConcurrency: '0',
        toleratedFailurePercentage: '101',
        logRetentionDays: '10',
        opsEmail: 'not-an-email',
        seller: '{"name":""}',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const part of [
      'context stage="Prod_1"',
      'context scheduleTimeZone="Europe/Atlantis": is not an IANA time zone',
      'context scheduleCron="cron(0 2 1 * * *)": exactly one of day-of-month and day-of-week must be "?"',
      'context maxConcurrency="0": must be a whole number from 1 to 10000',
      'context toleratedFailurePercentage="101"',
      'context logRetentionDays="10": must be one of 1, 3, 5, 7, 14, 30',
      'context opsEmail="not-an-email": is not an e-mail address',
      'context seller.name: must be a non-empty string',
    ]) {
      expect(message).toContain(part);
    }
  });

  it('refuses a seller VAT id with wrong check digits (it is printed on every invoice)', () => {
    expect(() =>
      from({ seller: '{"name":"ACME GmbH","address":{"country":"DE"},"vatId":"DE123456789"}' }),
    ).toThrow('context seller.vatId: "DE123456789" is not a valid VAT id for DE: its check digits are wrong');
    expect(
      from({ seller: '{"name":"ACME GmbH","address":{"country":"DE"},"vatId":"DE123456788"}' }).seller.vatId,
    ).toBe('DE123456788');
  });

  it('refuses seller details the e-invoice states when they are wrong: IBAN check digits, BIC, e-mail', () => {
    const seller = (extra: object) =>
      JSON.stringify({ name: 'ACME GmbH', address: { country: 'DE' }, ...extra });
    expect(() =>
      from({
        seller: seller({
          email: 'nope',
          legalRegistrationId: ' ',
          contact: { name: 'Billing', phone: 'call us' },
          bankAccount: { iban: 'DE89370400440532013001', bic: 'BANK' },
        }),
      }),
    ).toThrow(
      [
        'context seller.email: must be an e-mail address (the e-invoice names it, BT-34)',
        'context seller.legalRegistrationId: must be a non-empty string, e.g. "HRB 123456 B"',
        'context seller.contact: needs a name and a telephone number, e.g. {"name":"Billing","phone":"+49 30 1234567"}',
        'context seller.bankAccount.iban: must be an IBAN with valid check digits, without spaces',
        'context seller.bankAccount.bic: must be a BIC of 8 or 11 characters',
      ].join('\n  - '),
    );
    const ok = {
      legalRegistrationId: 'HRB 1 B',
      bankAccount: { iban: 'DE89370400440532013000' },
      contact: { name: 'Billing', phone: '+49 30 1234567' },
    };
    expect(from({ seller: seller(ok) }).seller).toMatchObject(ok);
  });

  it('refuses registrations, accounts, payment codes and particulars an invoice would print wrong', () => {
    const seller = (extra: object) =>
      JSON.stringify({ name: 'ACME GmbH', address: { country: 'DE' }, ...extra });
    expect(() =>
      from({
        seller: seller({
          registrations: { CH: 'CHE-123.456.789', FR: 'FR32123456789', NO: 'VOEC 2012345' },
          bankAccounts: { chf: { iban: 'CH9300762011623852957' }, CHF: { iban: 'CH4431999123000889012' } },
          paymentCodes: { swissQrBill: true },
          registerCourt: ' ',
          managingDirectors: [],
        }),
      }),
    ).toThrow(
      [
        'context seller.registrations.CH: must look like "CHE-123.456.789 MWST"',
        'context seller.registrations.FR: registrations are kept for GB, CH, NO (EU VAT is declared under seller.vatId)',
        'context seller.bankAccounts.chf: accounts are keyed by ISO 4217 currency, e.g. "CHF"',
        'context seller.paymentCodes.swissQrBill: the CHF account is a QR-IBAN; give the ordinary IBAN (invoices carry an ISO 11649 creditor reference)',
        'context seller.registerCourt: must be a non-empty string, e.g. "Amtsgericht Charlottenburg"',
        'context seller.managingDirectors: must be a list of names, e.g. ["Erika Mustermann"]',
      ].join('\n  - '),
    );
    const ok = {
      registrations: { GB: 'GB123456789', CH: 'CHE-123.456.789 MWST', NO: 'VOEC 2012345' },
      bankAccounts: { CHF: { iban: 'CH9300762011623852957' } },
      paymentCodes: { epcQr: true, swissQrBill: true },
      registerCourt: 'Amtsgericht Charlottenburg',
      managingDirectors: ['Erika Mustermann'],
    };
    expect(from({ seller: seller(ok) }).seller).toMatchObject(ok);
  });
});

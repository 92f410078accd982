import { InvalidInputError } from '../../../lambdas/shared/errors.js';
import {
  addDays,
  isValidPeriod,
  runIssueOf,
  localDateOf,
  parseIsoDate,
  parsePeriod,
  periodOfInstant,
  previousPeriod,
  shiftPeriod,
} from '../../../lambdas/shared/domain/periods.js';

describe('parsePeriod', () => {
  it('gives the bounds of the month', () => {
    expect(parsePeriod('2026-01')).toEqual({ id: '2026-01', start: '2026-01-01', end: '2026-01-31' });
    expect(parsePeriod('2026-02')).toEqual({ id: '2026-02', start: '2026-02-01', end: '2026-02-28' });
    expect(parsePeriod('2028-02').end).toBe('2028-02-29');
    expect(parsePeriod('2100-02').end).toBe('2100-02-28');
    expect(parsePeriod('2026-04').end).toBe('2026-04-30');
    expect(parsePeriod('2026-12').end).toBe('2026-12-31');
  });

  it.each(['2026-13', '2026-00', '26-01', '2026-1', '2026/01', '2026-01-01', ' 2026-01', '', 'abcd-ef'])(
    'rejects %j with a clear error',
    (text) => {
      expect(() => parsePeriod(text, 'run input period')).toThrow(InvalidInputError);
      expect(() => parsePeriod(text, 'run input period')).toThrow(/^run input period: /);
      expect(isValidPeriod(text)).toBe(false);
    },
  );

  it('names the bad month', () => {
    expect(() => parsePeriod('2026-13')).toThrow('month 13 is not 01-12');
    expect(() => parsePeriod(202601)).toThrow('must be a string');
  });
});

describe('previousPeriod', () => {
  it('uses the month of the instant in the given time zone', () => {
    // 2026-12-31T23:30Z is already 2027-01-01 00:30 in Berlin (CET, +1).
    expect(previousPeriod('2026-12-31T23:30:00Z', 'Europe/Berlin').id).toBe('2026-12');
    expect(previousPeriod('2026-12-31T23:30:00Z', 'UTC').id).toBe('2026-11');
    expect(previousPeriod('2027-01-01T00:30:00+01:00', 'Europe/Berlin').id).toBe('2026-12');
  });

  it('crosses the year boundary backwards', () => {
    expect(previousPeriod('2026-01-01T08:00:00Z', 'Europe/Berlin')).toEqual({
      id: '2025-12',
      start: '2025-12-01',
      end: '2025-12-31',
    });
  });

  it('is right across DST changes', () => {
    // New York: 2026-03-01T04:30Z is still Feb 28 (EST, -5); DST starts 2026-03-08.
    expect(periodOfInstant('2026-03-01T04:30:00Z', 'America/New_York').id).toBe('2026-02');
    expect(periodOfInstant('2026-03-01T05:30:00Z', 'America/New_York').id).toBe('2026-03');
    // Berlin in summer time (+2): 2026-06-30T22:30Z is July 1 already.
    expect(previousPeriod('2026-06-30T22:30:00Z', 'Europe/Berlin').id).toBe('2026-06');
    expect(previousPeriod('2026-06-30T21:30:00Z', 'Europe/Berlin').id).toBe('2026-05');
    // Day of the DST switch itself in Berlin (2026-03-29).
    expect(localDateOf('2026-03-29T01:30:00Z', 'Europe/Berlin')).toBe('2026-03-29');
  });

  it('works east of UTC by more than a day boundary (Pacific/Kiritimati, +14)', () => {
    expect(previousPeriod('2026-04-30T10:00:00Z', 'Pacific/Kiritimati').id).toBe('2026-04');
  });

  it('rejects bad instants and zones', () => {
    expect(() => previousPeriod('yesterday', 'UTC')).toThrow(InvalidInputError);
    expect(() => previousPeriod('2026-01-01T00:00:00Z', 'Mars/Olympus')).toThrow('unknown IANA time zone');
  });
});

describe('dates', () => {
  it('shifts periods across years', () => {
    expect(shiftPeriod('2026-12', 1).id).toBe('2027-01');
    expect(shiftPeriod('2026-01', -1).id).toBe('2025-12');
    expect(shiftPeriod('2026-01', -25).id).toBe('2023-12');
  });

  it('the issue date is the day the run starts, in the billing time zone (Art. 226(1))', () => {
    expect(runIssueOf('2026-10', '2026-11-01T02:00:00Z', 'Europe/Berlin')).toEqual({
      issueDate: '2026-11-01',
    });
    // 23:30 UTC on 2026-12-31 is already 2027-01-01 in Berlin: issued in 2027, series INV-2027.
    expect(runIssueOf('2026-12', '2026-12-31T23:30:00Z', 'Europe/Berlin').issueDate).toBe('2027-01-01');
  });

  it('refuses a period that has not ended, saying when it can be invoiced', () => {
    expect(() => runIssueOf('2026-11', '2026-11-22T10:00:00Z', 'Europe/Berlin')).toThrow(
      'period: 2026-11 has not ended: it ends on 2026-11-30 (Europe/Berlin), and its invoices can be issued from 2026-12-01',
    );
    expect(() => runIssueOf('2030-05', '2026-11-22T10:00:00Z', 'Europe/Berlin')).toThrow(
      /2030-05 has not ended/,
    );
    // On the period's last day in the billing time zone it has not ended yet.
    expect(() => runIssueOf('2026-12', '2026-12-31T22:30:00Z', 'America/New_York')).toThrow(/has not ended/);
  });

  it('says so when the period is older than the last ended one', () => {
    expect(runIssueOf('2026-09', '2026-11-22T10:00:00Z', 'Europe/Berlin')).toEqual({
      issueDate: '2026-11-22',
      notice:
        'period 2026-09 is older than the last ended period 2026-10: its invoices are issued on 2026-11-22, numbered after those already issued',
    });
    expect(runIssueOf('2026-10', '2026-11-22T10:00:00Z', 'Europe/Berlin').notice).toBeUndefined();
  });

  it('adds days across months, leap days and years', () => {
    expect(addDays('2026-02-01', 14)).toBe('2026-02-15');
    expect(addDays('2026-02-20', 14)).toBe('2026-03-06');
    expect(addDays('2028-02-20', 14)).toBe('2028-03-05');
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
  });

  it('rejects impossible dates', () => {
    expect(() => parseIsoDate('2026-02-29')).toThrow('no such calendar day');
    expect(() => addDays('2026-1-01', 1)).toThrow(InvalidInputError);
    expect(() => addDays('2026-01-01', 1.5)).toThrow(InvalidInputError);
  });
});

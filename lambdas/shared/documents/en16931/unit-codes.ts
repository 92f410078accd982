/**
 * UN/ECE Recommendation 20 unit codes (EN 16931 BT-130) for the unit labels plans print. A plan
 * names its unit in words ("GB", "API calls"); an e-invoice needs the code. Labels that name a
 * count of things (calls, seats, messages) are pieces of one: C62.
 */
const REC20_BY_LABEL: Readonly<Record<string, string>> = {
  kb: '2P',
  kilobyte: '2P',
  mb: '4L',
  megabyte: '4L',
  gb: 'E34',
  gigabyte: 'E34',
  tb: 'E35',
  terabyte: 'E35',
  'gb-month': 'E34',
  second: 'SEC',
  seconds: 'SEC',
  s: 'SEC',
  minute: 'MIN',
  minutes: 'MIN',
  min: 'MIN',
  hour: 'HUR',
  hours: 'HUR',
  h: 'HUR',
  day: 'DAY',
  days: 'DAY',
  month: 'MON',
  months: 'MON',
};

/** One (piece): the unit of a base fee, a credit and any count. */
export const UNIT_ONE = 'C62';

/** The Rec 20 code of a unit label, or C62 when the label counts things. */
export function rec20UnitCode(label: string | undefined): string {
  if (label === undefined) return UNIT_ONE;
  return REC20_BY_LABEL[label.trim().toLowerCase()] ?? UNIT_ONE;
}

import { FaultInjector, parseFaultSpec } from '../../../workflows/local/faults.js';

describe('fault spec', () => {
  it('parses rates and single-customer permanent faults', () => {
    expect(parseFaultSpec('compute:transient:0.3, notify:permanent:customer=cus_7')).toEqual([
      { step: 'compute', kind: 'transient', rate: 0.3 },
      { step: 'notify', kind: 'permanent', customerId: 'cus_7' },
    ]);
  });

  it.each([
    ['bill:transient:0.3', 'unknown step "bill"'],
    ['compute:flaky:0.3', 'unknown kind "flaky"'],
    ['compute:transient:1.5', 'rate "1.5" must be a number from 0 to 1'],
    ['compute:transient:abc', 'rate "abc"'],
    ['compute:transient:customer=cus_1', 'customer=ID goes with the permanent or crash kind'],
    ['compute:transient', 'expected STEP:KIND:RATE'],
  ])('rejects %s naming the problem', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});

describe('fault decisions', () => {
  it('injects nothing without a plan', () => {
    const faults = new FaultInjector(undefined);
    expect(faults.decide('compute', 'cus_1')).toBeUndefined();
  });

  it('fails every attempt of the named customer and no other', () => {
    const faults = new FaultInjector({ rules: parseFaultSpec('render:permanent:customer=cus_2'), seed: 1 });
    expect([faults.decide('render', 'cus_2'), faults.decide('render', 'cus_2')]).toEqual([
      'permanent',
      'permanent',
    ]);
    expect(faults.decide('render', 'cus_1')).toBeUndefined();
    expect(faults.decide('compute', 'cus_2')).toBeUndefined();
    expect(faults.injected()).toEqual({ 'render:permanent': 2 });
  });

  it('hits close to the asked rate of attempts, reproducibly for a seed', () => {
    const roll = (seed: number) => {
      const faults = new FaultInjector({ rules: parseFaultSpec('reserve:transient:0.3'), seed });
      return Array.from({ length: 2000 }, (_, i) => faults.decide('reserve', `cus_${i}`));
    };
    const first = roll(42);
    const hits = first.filter((k) => k === 'transient').length;
    expect(hits).toBeGreaterThan(2000 * 0.25);
    expect(hits).toBeLessThan(2000 * 0.35);
    expect(roll(42)).toEqual(first);
    expect(roll(43)).not.toEqual(first);
  });

  it('rolls transient faults per attempt, so a retry can pass', () => {
    const faults = new FaultInjector({ rules: parseFaultSpec('commit:transient:0.5'), seed: 7 });
    const attempts = Array.from({ length: 40 }, () => faults.decide('commit', 'cus_1'));
    expect(attempts).toContain('transient');
    expect(attempts).toContain(undefined);
  });
});

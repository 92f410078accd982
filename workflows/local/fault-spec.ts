/**
 * The fault injection spec (`--inject-faults STEP:KIND:RATE,...`, see ./faults.ts), parsed: a
 * module of its own so that the CLI checks the flag without loading the AWS SDK.
 */

export const FAULT_STEPS = ['compute', 'reserve', 'render', 'commit', 'notify'] as const;
export type FaultStep = (typeof FAULT_STEPS)[number];

export type FaultKind = 'transient' | 'permanent' | 'crash';

export type FaultRule =
  | { step: FaultStep; kind: FaultKind; rate: number }
  | { step: FaultStep; kind: 'permanent' | 'crash'; customerId: string };

export interface FaultPlan {
  rules: FaultRule[];
  seed: number;
}

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

export function parseFaultSpec(spec: string): FaultRule[] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [step, kind, target, ...extra] = part.split(':');
      const where = `--inject-faults "${part}"`;
      if (extra.length > 0 || step === undefined || kind === undefined || target === undefined) {
        throw new FaultSpecError(`${where}: expected STEP:KIND:RATE or STEP:permanent:customer=ID`);
      }
      if (!(FAULT_STEPS as readonly string[]).includes(step)) {
        throw new FaultSpecError(`${where}: unknown step "${step}" (one of ${FAULT_STEPS.join(', ')})`);
      }
      if (kind !== 'transient' && kind !== 'permanent' && kind !== 'crash') {
        throw new FaultSpecError(`${where}: unknown kind "${kind}" (transient, permanent or crash)`);
      }
      if (target.startsWith('customer=')) {
        const customerId = target.slice('customer='.length);
        if (kind === 'transient' || customerId === '') {
          throw new FaultSpecError(
            `${where}: customer=ID goes with the permanent or crash kind and needs an id`,
          );
        }
        return { step: step as FaultStep, kind, customerId };
      }
      if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(target)) {
        throw new FaultSpecError(`${where}: rate "${target}" must be a number from 0 to 1`);
      }
      return { step: step as FaultStep, kind, rate: Number(target) };
    });
}

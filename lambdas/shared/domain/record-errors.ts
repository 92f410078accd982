/**
 * ajv errors of the record schemas as InvalidInputError: the first problem, named by record and
 * field path (`customer cus_7.email: not an email address`), in words a support person can act on.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { InvalidInputError } from '../errors.js';

function pathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) =>
      /^\d+$/.test(segment) ? `[${segment}]` : `.${segment.replace(/~1/g, '/').replace(/~0/g, '~')}`,
    )
    .join('');
}

function describe(error: ErrorObject): { path: string; message: string } {
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema as { description?: string } | undefined;
  switch (error.keyword) {
    case 'required':
      return { path: `${path}.${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${path}.${String(params.additionalProperty)}`, message: 'is not a known field' };
    case 'type':
      return {
        path,
        message: `must be ${['integer', 'array', 'object'].includes(String(params.type)) ? 'an' : 'a'} ${String(params.type)}`,
      };
    case 'format':
      return {
        path,
        message: params.format === 'email' ? 'not an email address' : `not a valid ${String(params.format)}`,
      };
    case 'maxLength':
      return {
        path,
        message: `longer than ${String(params.limit)} characters (${String((error.data as string).length)})`,
      };
    case 'minLength':
      return {
        path,
        message: params.limit === 1 ? 'must not be empty' : `shorter than ${String(params.limit)} characters`,
      };
    case 'pattern':
      return { path, message: `must be ${schema?.description ?? `text matching ${String(params.pattern)}`}` };
    case 'enum':
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'discriminator':
      return {
        path: `${path}.${String(params.tag)}`,
        message: `unknown value ${JSON.stringify(params.tagValue)}`,
      };
    case 'maxItems':
      return { path, message: `at most ${String(params.limit)} entries allowed` };
    case 'minItems':
      return { path, message: `needs at least ${String(params.limit)} entries` };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

export function checkShape(validate: ValidateFunction, raw: unknown, label: string): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidInputError(`must be an object, got ${raw === null ? 'null' : typeof raw}`, label);
  }
  if (!validate(raw)) {
    const { path, message } = describe((validate.errors ?? [])[0] as ErrorObject);
    throw new InvalidInputError(message, `${label}${path}`);
  }
}

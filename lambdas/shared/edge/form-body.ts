/**
 * An HTML form's body (application/x-www-form-urlencoded), parsed at the edge: at most
 * MAX_FORM_BYTES, strict UTF-8 after percent-decoding, a null-prototype object, each field at most
 * once, and no key that reaches a prototype. Anything else is an EdgeInputError naming the field.
 */
import { EdgeInputError } from './edge-error.js';
import { isForbiddenKey } from './safe-json.js';
import { decodeUtf8 } from './utf8.js';

export const MAX_FORM_BYTES = 16 * 1024;
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

function decodeComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new EdgeInputError('is not valid percent-encoded UTF-8', what);
  }
}

export function parseFormBody(bytes: Uint8Array): Record<string, string> {
  if (bytes.byteLength > MAX_FORM_BYTES)
    throw new EdgeInputError(`is larger than ${MAX_FORM_BYTES} bytes`, 'the form');
  const text = decodeUtf8(bytes, 'the form');
  const fields = Object.create(null) as Record<string, string>;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodeComponent(at === -1 ? pair : pair.slice(0, at), 'a field name');
    const value = decodeComponent(at === -1 ? '' : pair.slice(at + 1), `field "${name}"`);
    if (isForbiddenKey(name)) throw new EdgeInputError('is not accepted', `field "${name}"`);
    if (Object.hasOwn(fields, name)) throw new EdgeInputError('is given twice', `field "${name}"`);
    fields[name] = value;
  }
  return fields;
}

/**
 * The read API's errors: JSON `{ "error": { "code", "message" } }` with a stable code per kind.
 * Messages name what was wrong with the request and never another customer's data.
 */
export const API_ERROR = {
  badRequest: 'bad_request',
  badCursor: 'bad_cursor',
  forbidden: 'forbidden',
  notFound: 'not_found',
  /** A stored file no longer has the hash recorded at issue: it is not served. */
  documentAltered: 'document_altered',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  internal: 'internal',
} as const;
export type ApiErrorCode = (typeof API_ERROR)[keyof typeof API_ERROR];

type ErrorStatus = 400 | 403 | 404 | 409 | 413 | 415 | 500;

const STATUS: Record<ApiErrorCode, ErrorStatus> = {
  bad_request: 400,
  bad_cursor: 400,
  forbidden: 403,
  not_found: 404,
  document_altered: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
};

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): ErrorStatus {
    return STATUS[this.code];
  }

  toJSON(): { error: { code: ApiErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

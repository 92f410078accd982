/**
 * The read API's errors: JSON `{ "error": { "code", "message" } }` with a stable code per kind.
 * Messages name what was wrong with the request and never another customer's data.
 */
export const API_ERROR = {
  badRequest: 'bad_request',
  badCursor: 'bad_cursor',
  notFound: 'not_found',
  internal: 'internal',
} as const;
export type ApiErrorCode = (typeof API_ERROR)[keyof typeof API_ERROR];

const STATUS: Record<ApiErrorCode, 400 | 404 | 500> = {
  bad_request: 400,
  bad_cursor: 400,
  not_found: 404,
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

  get status(): 400 | 404 | 500 {
    return STATUS[this.code];
  }

  toJSON(): { error: { code: ApiErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

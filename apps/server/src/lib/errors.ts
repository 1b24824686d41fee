import type { ErrorCode, ErrorDetail, Message } from '@wenming/contracts';

/**
 * The one error type services throw. It names a code from the closed list; the HTTP status
 * is decided in one place (plugins/error-handler.ts), never by services.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly userMessage?: Message,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(userMessage?.en ?? code);
    this.name = 'AppError';
  }
}

export const notFound = (what?: Message) => new AppError('NOT_FOUND', what);
export const forbidden = (why?: Message) => new AppError('FORBIDDEN', why);
export const ruleViolation = (why: Message) => new AppError('RULE_VIOLATION', why);
export const duplicate = (what: Message) => new AppError('DUPLICATE', what);
export const unauthenticated = (why?: Message) => new AppError('UNAUTHENTICATED', why);
export const invalidState = (why?: Message) => new AppError('INVALID_STATE', why);

/** A field error in the same shape as schema failures, for rules checked in services. */
export const validationFailed = (path: string, message: Message) => new AppError('VALIDATION_FAILED', undefined, [{ path, message: message.zh }], undefined);

/** PostgreSQL error codes the handler understands. */
export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  notNullViolation: '23502',
  invalidTextRepresentation: '22P02',
} as const;

/** The SQLSTATE of a driver error (node-postgres and PGlite both expose `code`), also through Drizzle's wrapper. */
export function pgCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function pgConstraint(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const c = (e as { constraint?: unknown }).constraint;
    if (typeof c === 'string') return c;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

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

/**
 * The constraint a driver error names. PostgreSQL sets the `constraint` field; a violation that
 * Citus relays from a worker comes without it, and its message names the shard's copy of the
 * constraint (`certificates_serial_key_102041`), so the name is read from the message then and the
 * shard id (Citus numbers shards from 102008) taken off.
 */
export function pgConstraint(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const c = (e as { constraint?: unknown }).constraint;
    if (typeof c === 'string') return c;
    const code = (e as { code?: unknown }).code;
    const message = (e as { message?: unknown }).message;
    if (typeof code === 'string' && code.startsWith('23') && typeof message === 'string') {
      const named = /violates (?:unique|foreign key|check|exclusion|not-null) constraint "([^"]+)"/.exec(message)?.[1];
      if (named) return named.replace(/_\d{6,}$/, '');
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

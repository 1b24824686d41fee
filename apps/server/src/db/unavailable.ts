/**
 * Whether an error means "the database cannot be reached or did not answer in time" (→ 503
 * UNAVAILABLE, retry later), as opposed to a bug or a refused statement.
 *
 * The cause is often buried: Drizzle wraps the driver's error in a DrizzleQueryError (`cause`),
 * Node reports a refused connection to a host with several addresses as an AggregateError
 * (`errors`), and node-postgres reports its own timeouts and lost connections with a message only.
 */

/** Socket errors of Node when the server is gone, refuses, or the network between is broken. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
]);

/**
 * SQLSTATEs: class 08 (connection exception); 57P01–57P03 (the server shuts down, crashed, or is
 * still starting); 57014 (statement cancelled: statement_timeout); 53300 (too many connections);
 * 25P03 (idle-in-transaction timeout).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '53300', '25P03']);

/** node-postgres's own errors, which carry no code (pool and client timeouts, lost connections). */
const DRIVER_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|timeout expired)/;

/** Thrown by our own deadlines (GET /readyz). */
export class DatabaseTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(what: string, ms: number) {
    super(`${what}: the database did not answer within ${ms} ms`);
    this.name = 'DatabaseTimeoutError';
  }
}

/** The code or driver message that shows the database is unavailable, or undefined when the error is something else. */
export function databaseUnavailableReason(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length && seen.size < 16) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, message, cause, errors } = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return code;
    if (typeof message === 'string' && DRIVER_MESSAGES.test(message)) return message.slice(0, 80);
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...(errors as unknown[]));
  }
  return undefined;
}

/** Seconds a client is told to wait (Retry-After) when the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/** Rejects with DatabaseTimeoutError when `work` has not settled within `ms`. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { databaseUnavailableReason, DatabaseTimeoutError, withDeadline } from '../src/db/unavailable.ts';

/** How the errors of a database outage actually arrive: wrapped by Drizzle, aggregated by Node, or as node-postgres's bare messages. */
describe('databaseUnavailableReason', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5439'), { code: 'ECONNREFUSED' });

  it('finds the socket error under Drizzle’s wrapper and inside an AggregateError', () => {
    expect(databaseUnavailableReason(new DrizzleQueryError('select 1', [], refused))).toBe('ECONNREFUSED');
    const aggregate = new AggregateError([refused, Object.assign(new Error('connect ECONNREFUSED ::1:5439'), { code: 'ECONNREFUSED' })], '');
    expect(databaseUnavailableReason(new DrizzleQueryError('select 1', [], aggregate))).toBe('ECONNREFUSED');
  });

  it('knows the SQLSTATEs of a shut-down or starting server and of a cancelled (timed-out) statement', () => {
    for (const code of ['57P01', '57P03', '08006', '08001', '57014', '53300'])
      expect(databaseUnavailableReason(new DrizzleQueryError('q', [], Object.assign(new Error('x'), { code })))).toBe(code);
  });

  it('knows node-postgres’s own timeouts and lost connections, which carry no code', () => {
    for (const m of [
      'Connection terminated unexpectedly',
      'timeout exceeded when trying to connect',
      'Query read timeout',
      'Connection terminated due to connection timeout',
    ])
      expect(databaseUnavailableReason(new DrizzleQueryError('q', [], new Error(m)))).toBeDefined();
    expect(databaseUnavailableReason(new DatabaseTimeoutError('readyz', 10))).toBe('ETIMEDOUT');
  });

  it('leaves every other error alone', () => {
    expect(databaseUnavailableReason(new DrizzleQueryError('q', [], Object.assign(new Error('dup'), { code: '23505' })))).toBeUndefined();
    expect(databaseUnavailableReason(new TypeError('x is undefined'))).toBeUndefined();
    const loop: { cause?: unknown } = new Error('loop');
    loop.cause = loop;
    expect(databaseUnavailableReason(loop)).toBeUndefined();
  });

  it('withDeadline rejects a hung promise in time', async () => {
    const t0 = Date.now();
    await expect(withDeadline(new Promise(() => {}), 50, 'probe')).rejects.toBeInstanceOf(DatabaseTimeoutError);
    expect(Date.now() - t0).toBeLessThan(1000);
    await expect(withDeadline(Promise.resolve(7), 50, 'probe')).resolves.toBe(7);
  });
});

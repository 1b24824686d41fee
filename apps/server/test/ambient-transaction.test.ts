import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { afterCommit, beginOpenTransaction, closeAmbientScope, newAmbientScope, runInAmbientScope } from '../src/db/ambient.ts';
import { DATABASES, freshDatabase } from './helpers/test-app.ts';

/**
 * The ambient scope under plugins/idempotency.ts (db/ambient.ts): inside it, the database handle
 * every repository holds joins the request's transaction; a service's own transaction is a
 * savepoint of it; work left for after the commit runs only when it commits.
 */
describe.each(DATABASES)('ambient transaction on %s', (kind) => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    await database.raw.exec('CREATE TABLE ambient_probe (n int PRIMARY KEY)');
  });
  afterAll(() => database?.drop());

  const rows = async () => (await database.raw.query<{ n: number }>('SELECT n FROM ambient_probe ORDER BY n')).map((r) => r.n);
  const insert = (n: number) => database.db.execute(sql`INSERT INTO ambient_probe (n) VALUES (${n})`);

  /** What a request does: open, run the handler in the scope, then commit or roll back. */
  async function request(commit: boolean, handler: () => Promise<void>) {
    const scope = newAmbientScope();
    const open = await beginOpenTransaction(database.db);
    scope.tx = open.tx;
    await runInAmbientScope(scope, handler);
    scope.tx = null;
    if (commit) await open.commit();
    else await open.rollback();
    closeAmbientScope(scope, commit);
  }

  it('joins the scope’s transaction: a rollback takes back every write made in it, the services’ own transactions included', async () => {
    const ran: string[] = [];
    await request(false, async () => {
      await insert(1);
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO ambient_probe (n) VALUES (2)`);
      });
      void afterCommit(async () => {
        ran.push('after');
      });
    });
    expect(await rows()).toEqual([]);
    expect(ran).toEqual([]);
  });

  it('a failed step in a service’s transaction rolls back alone (a savepoint); the rest commits, and the after-commit work runs then, outside the scope', async () => {
    let seen: number[] | null = null;
    let after: Promise<unknown> = Promise.resolve();
    await request(true, async () => {
      await insert(10);
      await expect(
        database.db.transaction(async (tx) => {
          await tx.execute(sql`INSERT INTO ambient_probe (n) VALUES (11)`);
          await tx.execute(sql`INSERT INTO ambient_probe (n) VALUES (10)`); // unique violation
        }),
      ).rejects.toThrow();
      await insert(12);
      after = afterCommit(async () => {
        // Runs after the commit, on the database itself: it sees the committed rows.
        const res = await database.db.execute(sql`SELECT n FROM ambient_probe ORDER BY n`);
        seen = (res as { rows: { n: number }[] }).rows.map((r) => r.n);
      });
      expect(seen).toBeNull();
    });
    await after;
    expect(seen).toEqual([10, 12]);
    expect(await rows()).toEqual([10, 12]);
  });

  it('outside a scope the handle is the database itself: each statement commits on its own', async () => {
    await insert(20);
    expect(await rows()).toContain(20);
    expect(await afterCommit(async () => 'at once')).toBe('at once');
  });
});

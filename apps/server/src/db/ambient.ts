import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, Executor } from './client.ts';

/**
 * A request's own transaction, which every repository call made while handling the request joins
 * (plugins/idempotency.ts opens one for a POST with an `Idempotency-Key`: the key's claim, the
 * request's writes and its stored answer then commit together or not at all).
 *
 * The database handle of `openPglite` / `openPostgres` (`joinAmbientTransaction(db)`) sends each call to the
 * transaction of the scope it runs in, and to the database itself everywhere else. A service's own
 * `db.transaction(...)` inside the scope becomes a savepoint of it, so a failed step still rolls
 * back alone (services catch unique violations and answer 409) and the scope's transaction goes on.
 */
export interface AmbientScope {
  /** The open transaction; null before it is opened and once it has ended. */
  tx: Executor | null;
  /** Work to start once the transaction has committed (dropped when it rolls back). */
  after: { run: () => void; drop: () => void }[];
}

const storage = new AsyncLocalStorage<AmbientScope>();

export function newAmbientScope(): AmbientScope {
  return { tx: null, after: [] };
}

/** Runs fn (and everything it starts) in scope: database calls join scope's transaction while it is open. */
export function runInAmbientScope<T>(scope: AmbientScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The database, as every module should see it: inside an open scope, its transaction. */
export function joinAmbientTransaction(db: Db): Db {
  return new Proxy(db, {
    get(target, prop) {
      const tx = storage.getStore()?.tx;
      const base = (tx ?? target) as object;
      const value: unknown = Reflect.get(base, prop, base);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(base) : value;
    },
  });
}

/**
 * Starts fn once the current scope's transaction has committed, outside the scope (it works on
 * the database, in transactions of its own); at once when there is no open scope. The promise
 * settles with fn's, or with undefined when the scope's transaction rolled back and fn never ran.
 * For work a request starts and leaves running (a background import) or sends outside the
 * database (SMS): it must see the request's writes, and must not happen when they did not.
 */
export function afterCommit<T>(fn: () => Promise<T>): Promise<T | undefined> {
  const scope = storage.getStore();
  if (!scope?.tx) return fn();
  return new Promise<T | undefined>((resolve, reject) => {
    scope.after.push({ run: () => void storage.exit(fn).then(resolve, reject), drop: () => resolve(undefined) });
  });
}

/** Whether the caller runs inside a scope whose transaction is open (its writes are not committed yet). */
export function insideAmbientTransaction(): boolean {
  return !!storage.getStore()?.tx;
}

/** A transaction that stays open across callbacks (a request's hooks) until told to commit or roll back. */
export interface OpenTransaction {
  tx: Executor;
  /** COMMIT; rejects when it failed (the outcome may then be unknown: the connection was lost). */
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

const ROLLBACK = Symbol('rollback');

/** BEGINs a transaction on db (the real database, not the joining handle) and hands it out open. */
export async function beginOpenTransaction(db: Db): Promise<OpenTransaction> {
  let decide!: (commit: boolean) => void;
  const decision = new Promise<boolean>((resolve) => (decide = resolve));
  let opened!: (tx: Executor) => void;
  const ready = new Promise<Executor>((resolve) => (opened = resolve));
  const done = db.transaction(async (tx) => {
    opened(tx);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- a private marker, never seen outside this function
    if (!(await decision)) throw ROLLBACK;
  });
  // BEGIN failed (no connection, database down): done rejects before the transaction is handed out.
  const tx = await Promise.race([ready, done.then(() => Promise.reject(new Error('transaction ended before it began')))]);
  let ended = false;
  return {
    tx,
    async commit() {
      if (ended) throw new Error('transaction already ended');
      ended = true;
      decide(true);
      await done;
    },
    async rollback() {
      if (ended) return;
      ended = true;
      decide(false);
      await done.catch((e: unknown) => {
        if (e !== ROLLBACK) throw e;
      });
    },
  };
}

/** Ends scope: its transaction is gone; what waited for the commit starts (committed) or is dropped. */
export function closeAmbientScope(scope: AmbientScope, committed: boolean) {
  scope.tx = null;
  const after = scope.after.splice(0);
  for (const a of after) (committed ? a.run : a.drop)();
}

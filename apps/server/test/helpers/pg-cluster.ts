import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A throwaway PostgreSQL cluster of a test's own (initdb + pg_ctl into a temporary folder, on a
 * free port, its socket in that folder), so a test may stop, pause and restart *its* database.
 * The machine's own cluster (5432) is never touched.
 */

/** The newest PostgreSQL server binaries on this machine (PG_BIN_DIR, else /usr/lib/postgresql/<version>/bin), or null. */
export function findPgBin(): string | null {
  const candidates: string[] = [];
  if (process.env.PG_BIN_DIR) candidates.push(process.env.PG_BIN_DIR);
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root))
    candidates.push(
      ...fs
        .readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => path.join(root, v, 'bin')),
    );
  return candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(dir, b)))) ?? null;
}

export async function freePort(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A free port in [from, to] (a test's own range of ports). */
export async function freePortIn(from: number, to: number): Promise<number> {
  for (let p = from; p <= to; p++) {
    const got = await freePort(p).catch(() => 0);
    if (got) return got;
  }
  throw new Error(`no free port in ${from}-${to}`);
}

/** initdb refuses to run as root: as root, the cluster belongs to the `postgres` user (else `nobody`). */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const users = fs.readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const f = users.find((l) => l.startsWith(`${name}:`))?.split(':');
    if (f) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to own the test cluster');
}

/** Runs a binary to its exit (not to the close of its output: pg_ctl leaves the server running). */
function run(bin: string, args: string[], as: { uid: number; gid: number } | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, LC_ALL: 'C', LANG: 'C' }, ...(as ?? {}) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(bin)} ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

export interface PgCluster {
  port: number;
  url: string;
  start(): Promise<void>;
  /** A fast shutdown: sessions are ended, the port refuses connections. */
  stop(): Promise<void>;
  /** Sends a signal to the postmaster and every process it started (SIGSTOP: the server hangs, connections stay open). */
  signalAll(signal: 'SIGSTOP' | 'SIGCONT'): number;
  /** Stops the server whatever its state and deletes the folder. */
  destroy(): Promise<void>;
  log(): string;
}

/** `port`: the port to listen on (a test given a range of ports picks one in it); else any free port. */
export async function createPgCluster(bin: string, opts: { port?: number } = {}): Promise<PgCluster> {
  const as = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenming-pg-'));
  if (as) fs.chownSync(dir, as.uid, as.gid);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const port = opts.port ?? (await freePort());
  await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], as);
  // Durability is not under test: no fsync, small buffers, a quick start.
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-c unix_socket_directories=${dir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c shared_buffers=16MB',
    '-c max_connections=40',
  ].join(' ');
  const pgCtl = path.join(bin, 'pg_ctl');
  const postmasterPid = () => {
    try {
      return Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return 0;
    }
  };
  /** The postmaster and its children, found by parent pid in /proc (never by name: the machine has its own postgres). */
  const processes = (): number[] => {
    const root = postmasterPid();
    if (!root) return [];
    const children = fs
      .readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === root;
        } catch {
          return false;
        }
      })
      .map(Number);
    return [root, ...children];
  };
  const cluster: PgCluster = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      await run(pgCtl, ['-D', data, '-l', logFile, '-w', '-t', '60', '-o', options, 'start'], as);
    },
    stop: async () => {
      await run(pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'], as);
    },
    signalAll: (signal) => {
      const pids = processes();
      for (const pid of pids) process.kill(pid, signal);
      return pids.length;
    },
    destroy: async () => {
      try {
        for (const pid of processes()) process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
      if (postmasterPid()) await run(pgCtl, ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'], as).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
  };
  await cluster.start();
  return cluster;
}

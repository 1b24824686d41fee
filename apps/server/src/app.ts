import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler } from 'fastify-type-provider-zod';
import { withMultipartBodies } from './lib/openapi-multipart.ts';
import { validatorCompiler } from './plugins/zod-validator.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { RETRY_AFTER_SECONDS, withDeadline } from './db/unavailable.ts';
import { errorHandlerPlugin, sendError } from './plugins/error-handler.ts';
import { frameworkErrors } from './plugins/framework-errors.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { authPlugin } from './plugins/auth.ts';
import { idempotencyPlugin } from './plugins/idempotency.ts';
import { API } from './lib/http.ts';
import { safeErr, safeReq } from './lib/log-safe.ts';
import { createModules, type Modules } from './modules/index.ts';
import type { Channel } from './lib/channels.ts';
import type { SmsSender } from './lib/sms/sms.ts';

declare module 'fastify' {
  interface FastifyInstance {
    modules: Modules;
  }
}

export interface BuildOptions {
  config: Config;
  database: Database;
  /** Serve the built web app from this folder (default: apps/web/dist when it exists). */
  webDist?: string | null;
  /** SMS / WeChat adapters (default: ones that log what they would send). */
  channels?: Channel[];
  /** The SMS sender (default: the one SMS_PROVIDER names); tests pass one that records what it sends. */
  sms?: SmsSender;
  /** "Now" for every service (default: the system clock); tests pass one they control. */
  clock?: () => Date;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WEB_DIST = path.resolve(here, '../../web/dist');

/** Hashed build output (Vite's `assets/name-hash.js`): the name changes whenever the content does. */
const IMMUTABLE_ASSET = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+(\.(br|gz))?$/;

const cacheHeaders = (reply: FastifyReply, filePath: string) => {
  reply.header('cache-control', IMMUTABLE_ASSET.test(filePath) ? 'public, max-age=31536000, immutable' : 'no-cache');
};

/**
 * The built web app: files precompressed by the build (`.br`, `.gz`) are sent by the client's
 * Accept-Encoding; hashed assets are cached for a year, everything else (index.html — the SPA
 * shell — favicon) is revalidated at every use, so a new build is picked up at once.
 * Two mounts: `/assets/` looks its files up at request time (one wildcard route: listing the
 * ~600 files and their compressed copies as routes cost ~0.4 s of every start); the few files at
 * the root are listed at start, because a wildcard route at `/` would take /api paths from the
 * API's own 404 and auth.
 */
export function webStaticOptions(root: string): FastifyStaticOptions[] {
  const common = { preCompressed: true, cacheControl: false, setHeaders: cacheHeaders } as const;
  const assets = path.join(root, 'assets');
  return [
    { ...common, root, prefix: '/', wildcard: false, index: ['index.html'], globIgnore: ['assets/**'] },
    ...(fs.existsSync(assets) ? [{ ...common, root: assets, prefix: '/assets/', wildcard: true, index: false, decorateReply: false } as const] : []),
  ];
}

/** Trust the `hops` proxies nearest to the server (what Fastify does for a number, which its types do not list). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** Builds the whole application (no listening), so tests drive the real thing with app.inject. */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const app = Fastify({
    // Personal data stays out of the logs: query values and failed queries' parameters (lib/log-safe.ts).
    logger:
      config.LOG_LEVEL === 'silent'
        ? false
        : { level: config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie'], serializers: { req: safeReq, err: safeErr } },
    bodyLimit: config.BODY_LIMIT_BYTES,
    // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (default: none), so a
    // client cannot choose its own address for the rate limit and the logs.
    trustProxy: typeof config.TRUST_PROXY === 'number' ? trustHops(config.TRUST_PROXY) : config.TRUST_PROXY,
    // SSE streams must not keep a closing server alive.
    forceCloseConnections: true,
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
    // Paths the router refuses (a parameter over 100 characters, an undecodable path) get the API's error body.
    frameworkErrors,
    // Requests Node cannot even parse (e.g. raw non-ASCII in the URL) still get the API's error body.
    clientErrorHandler: (err, socket) => {
      if (!socket.writable) return;
      const body = JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: '请求格式不正确', details: [{ path: '(request)', message: err.message }] } });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  // An empty body sent as application/json is no body (API.md: action routes accept none at all);
  // anything else goes to Fastify's own parser (prototype-poisoning checks included).
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    (body as string).trim() === '' ? done(null, undefined) : jsonParser(req, body as string, done),
  );
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorHandlerPlugin);
  const webDist = opts.webDist === undefined ? (config.WEB_DIST ?? DEFAULT_WEB_DIST) : opts.webDist;
  await registerSecurityHeaders(app, config, webDist);
  await app.register(cookie);
  // Multipart bodies (picture uploads, import sheets) are read by the routes that accept them.
  await app.register(multipart, { limits: { fileSize: config.UPLOAD_FILE_MAX_BYTES, files: 1, fields: 20, parts: 21 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: '文明实践云 API', description: '新时代文明实践中心平台 HTTP API（v1）', version: '1.0.0' },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'sid' },
        },
      },
    },
    transform: withMultipartBodies(jsonSchemaTransform),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const modules = createModules({ config, database, channels: opts.channels, sms: opts.sms, clock: opts.clock });

  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    allowList: (req) => !req.url.startsWith('/api/'),
    // The limit's hook is a route hook, so it runs after the auth plugin's onRequest hook has
    // resolved the caller: a signed-in caller is one bucket however many sessions or spellings of
    // the Authorization header they use; everyone else is counted by address.
    keyGenerator: (req) => (req.session ? `u:${req.session.actor.userId}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, code: 'RATE_LIMITED', message: `retry after ${ctx.after}` }),
  });
  await app.register(authPlugin, { auth: modules.auth });
  await app.register(idempotencyPlugin, { db: database.db });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  // 503 when the database does not answer within READYZ_TIMEOUT_MS, however it fails (a hung
  // server included). `notifications`: the LISTEN connection of live notifications (PostgreSQL).
  app.get('/readyz', { schema: { hide: true } }, async (req, reply) => {
    try {
      await withDeadline(database.raw.query('SELECT 1'), config.READYZ_TIMEOUT_MS, 'readyz');
      return { status: 'ok', database: database.kind, ...(database.listenState ? { notifications: database.listenState() } : {}) };
    } catch {
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return sendError(reply, req, 'UNAVAILABLE');
    }
  });
  app.get(`${API}/openapi.json`, { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  modules.registerRoutes(app);

  // One not-found handler: client-side routes of the web app get its shell (any GET outside /api
  // of a path without a file extension, unless the client asks for JSON only); everything else
  // gets the API's 404 body.
  const hasWeb = !!webDist && fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb && webDist) for (const o of webStaticOptions(webDist)) await app.register(fastifyStatic, o);
  app.setNotFoundHandler((req, reply) => {
    const accept = req.headers.accept ?? '';
    const wantsJson = accept.includes('application/json') && !accept.includes('text/html');
    const isPage = hasWeb && req.method === 'GET' && !req.url.startsWith('/api/') && !path.extname(req.url.split('?')[0]!) && !wantsJson;
    if (isPage) return reply.sendFile('index.html');
    return sendError(reply, req, 'NOT_FOUND');
  });
  app.addHook('onClose', async () => modules.close());
  app.decorate('modules', modules);
  return app;
}

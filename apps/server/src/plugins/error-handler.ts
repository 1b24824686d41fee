import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { defaultMessage, englishOf, msg, pickLang, statusOf, type ErrorBody, type ErrorCode, type ErrorDetail, type Lang } from '@wenming/contracts';
import { z } from 'zod';
import { AppError, PG, pgCode } from '../lib/errors.ts';
import { databaseUnavailableReason, RETRY_AFTER_SECONDS } from '../db/unavailable.ts';

const zhLocale = z.locales.zhCN();
const enLocale = z.locales.en();

interface ValidationItem {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function translateIssue(v: ValidationItem, lang: Lang): string {
  const message = v.message ?? '';
  // Our own texts are Chinese with a registered English twin (contracts' msg()).
  const en = englishOf(message);
  if (en !== undefined) return lang === 'en' ? en : message;
  const issue = (v.params as { issue?: unknown } | undefined)?.issue;
  if (!issue) return message;
  // Zod's own wording: English by default, the zh-CN locale's otherwise.
  try {
    const e = (lang === 'en' ? enLocale : zhLocale).localeError(issue as never);
    const text = typeof e === 'string' ? e : e?.message;
    return text ?? message;
  } catch {
    return message;
  }
}

function validationDetails(err: FastifyError, lang: Lang): ErrorDetail[] {
  const ctx = (err as { validationContext?: string }).validationContext;
  return (err.validation as ValidationItem[]).map((v) => {
    const p = (v.instancePath ?? '').replace(/^\//, '').split('/').filter(Boolean).join('.');
    const prefix = ctx && ctx !== 'body' ? (ctx === 'querystring' ? 'query' : ctx) : '';
    return { path: [prefix, p].filter(Boolean).join('.') || '(root)', message: translateIssue(v, lang) };
  });
}

export function sendError(reply: FastifyReply, req: FastifyRequest, code: ErrorCode, opts: { message?: string; details?: ErrorDetail[] } = {}) {
  const lang = pickLang(req.headers['accept-language']);
  const body: ErrorBody = { error: { code, message: opts.message ?? defaultMessage(code, lang) } };
  if (opts.details?.length) body.error.details = opts.details;
  return reply.status(statusOf(code)).type('application/json; charset=utf-8').send(body);
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_TYPE: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_ERR_BAD_URL: 'NOT_FOUND',
  FST_ERR_ASYNC_CONSTRAINT: 'VALIDATION_FAILED',
};

const BAD_MULTIPART = msg(
  'multipart/form-data 请求体格式不正确（缺少或错误的 boundary，或内容不完整）',
  'The multipart/form-data body is malformed (missing or wrong boundary, or cut short)',
);
/** The multipart parser's (busboy's) errors carry no code, only these messages: all are the client's fault. */
const MULTIPART_ERROR =
  /^(Multipart: Boundary not found|Malformed (part header|content type|urlencoded form)|Unexpected end of (multipart data|form|file)|.* terminated early due to unexpected end of multipart data|Missing Content-Type|Unsupported content type)/;
const isMalformedMultipart = (err: FastifyError) => !err.statusCode && !err.code && MULTIPART_ERROR.test(err.message ?? '');

/** The one place that maps errors to HTTP: closed code list, localized messages, 5xx details hidden. */
export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = pickLang(req.headers['accept-language']);
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      const message = err.userMessage ? err.userMessage[lang] : undefined;
      const details = err.details?.map((d) => ({ ...d, message: lang === 'en' ? (englishOf(d.message) ?? d.message) : d.message }));
      return sendError(reply, req, err.code, { message, details });
    }
    if (err.validation) {
      return sendError(reply, req, 'VALIDATION_FAILED', { details: validationDetails(err, lang) });
    }
    const mapped = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (mapped) {
      const details =
        mapped === 'VALIDATION_FAILED' ? [{ path: '(body)', message: lang === 'en' ? err.message : '请求体不是有效的 JSON 或格式不受支持' }] : undefined;
      return sendError(reply, req, mapped, { details });
    }
    if (isMalformedMultipart(err)) {
      return sendError(reply, req, 'VALIDATION_FAILED', {
        details: [{ path: '(body)', message: lang === 'en' ? (englishOf(BAD_MULTIPART) ?? BAD_MULTIPART) : BAD_MULTIPART }],
      });
    }
    if (err.statusCode === 429) {
      return sendError(reply, req, 'RATE_LIMITED');
    }
    const sqlState = pgCode(err);
    if (sqlState === PG.uniqueViolation) return sendError(reply, req, 'DUPLICATE');
    if (sqlState === PG.exclusionViolation) return sendError(reply, req, 'BOOKING_CONFLICT');
    // Also through Drizzle's wrapper (`cause`) and driver errors that carry only a message (db/unavailable.ts).
    const unavailable = databaseUnavailableReason(err);
    if (unavailable) {
      // The reason only: the error itself would log the failed query's parameters.
      req.log.warn({ reason: unavailable }, 'database unavailable');
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return sendError(reply, req, 'UNAVAILABLE');
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      const code: ErrorCode =
        err.statusCode === 404
          ? 'NOT_FOUND'
          : err.statusCode === 413
            ? 'PAYLOAD_TOO_LARGE'
            : err.statusCode === 401
              ? 'UNAUTHENTICATED'
              : err.statusCode === 403
                ? 'FORBIDDEN'
                : 'VALIDATION_FAILED';
      return sendError(reply, req, code);
    }
    req.log.error({ err }, 'unhandled error');
    return sendError(reply, req, 'INTERNAL');
  });
});

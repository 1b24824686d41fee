import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { englishOf, msg, pickLang } from '@wenming/contracts';
import { sendError } from './error-handler.ts';

const PARAM_TOO_LONG = msg('路径参数过长', 'A path parameter is too long');
const BAD_URL = msg('请求路径不正确', 'The request path is malformed');

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route runs (a path parameter
 * over `maxParamLength`, a path that does not decode) would otherwise get Fastify's own body
 * (`{ error, code: "FST_ERR_…", statusCode: 414 }`); here it gets the API's error shape, 400
 * `VALIDATION_FAILED`. The offending path is not echoed back.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const zh = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? PARAM_TOO_LONG : BAD_URL;
  const message = pickLang(req.headers['accept-language']) === 'en' ? (englishOf(zh) ?? zh) : zh;
  void sendError(reply, req, 'VALIDATION_FAILED', { details: [{ path: err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'params' : '(path)', message }] });
}

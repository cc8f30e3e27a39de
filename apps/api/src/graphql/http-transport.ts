import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { documentNesting } from './document-nesting';
import { QUERY_LIMITS, TRANSPORT_LIMITS } from './query-limits';

// What reaches /graphql over HTTP before Apollo sees it: the content type, the
// JSON body and its size; and how long a client may take to send a request.
// Every refusal here is GraphQL-shaped (`{errors:[{message, extensions:{code}}]}`),
// as the contract's clients expect from this endpoint, never Nest's or Express's own.

export function graphqlRefusal(res: Response, status: number, message: string): void {
  if (res.headersSent) return;
  res
    .status(status)
    .type('application/json')
    .send(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }));
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** A POST must be JSON in UTF-8: anything else is HTTP 415. */
const requireJson: RequestHandler = (req, res, next) => {
  if (req.method !== 'POST') return next();
  const [type, ...parameters] = String(req.headers['content-type'] ?? '').split(';');
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  if (!JSON_TYPE.test(type.trim())) {
    return graphqlRefusal(res, 415, 'Send the request as Content-Type: application/json');
  }
  if (charset && !/^charset="?utf-8"?$/.test(charset)) {
    return graphqlRefusal(res, 415, 'Send the request body in UTF-8');
  }
  next();
};

/** body-parser's errors, answered in GraphQL's shape with their own 4xx status. */
function bodyParserRefusal(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const { type, status } = (error ?? {}) as { type?: string; status?: number };
  if (!type && !status) return next(error);
  if (type === 'entity.too.large') {
    return graphqlRefusal(res, 413, `The request body is over ${TRANSPORT_LIMITS.maxBodyBytes} bytes`);
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return graphqlRefusal(res, 415, 'The request body has an encoding this server does not read');
  }
  if (type === 'entity.parse.failed') return graphqlRefusal(res, 400, 'The request body is not valid JSON');
  graphqlRefusal(res, status && status >= 400 && status < 500 ? status : 400, 'The request body could not be read');
}

/** A document nested deeper than graphql-js can walk is refused before it tries (document-nesting.ts). */
const refuseDeepDocuments: RequestHandler = (req, res, next) => {
  const query = req.method === 'POST' ? (req.body as { query?: unknown } | undefined)?.query : req.query?.query;
  if (typeof query === 'string' && documentNesting(query) > QUERY_LIMITS.maxNesting) {
    return graphqlRefusal(res, 400, `The document is nested more than ${QUERY_LIMITS.maxNesting} levels deep`);
  }
  next();
};

/** The middleware in front of /graphql, in order. */
export function graphqlBodyParsing(): (RequestHandler | typeof bodyParserRefusal)[] {
  return [
    requireJson,
    express.json({
      limit: TRANSPORT_LIMITS.maxBodyBytes,
      type: (req) =>
        JSON_TYPE.test(
          String(req.headers['content-type'] ?? '')
            .split(';')[0]
            .trim(),
        ),
    }),
    bodyParserRefusal,
    refuseDeepDocuments,
  ];
}

const IDLE_TIMER = Symbol('trustline.idleTimer');
type TimedSocket = Socket & { [IDLE_TIMER]?: NodeJS.Timeout };

/**
 * Cuts slow clients off: Node's own header and request timeouts are checked
 * only every 30 s, so each connection and each request also gets a timer of
 * its own. A connection must send a request's headers within
 * keepAliveMs + headersMs of opening (or of its last answer), and the whole
 * request within requestMs of its headers; otherwise it is closed.
 */
export function applyTransportLimits(server: Server): void {
  server.headersTimeout = TRANSPORT_LIMITS.headersMs;
  server.requestTimeout = TRANSPORT_LIMITS.requestMs;
  server.keepAliveTimeout = TRANSPORT_LIMITS.keepAliveMs;

  const awaitHeaders = (socket: TimedSocket) => {
    clearTimeout(socket[IDLE_TIMER]);
    socket[IDLE_TIMER] = setTimeout(
      () => socket.destroy(),
      TRANSPORT_LIMITS.keepAliveMs + TRANSPORT_LIMITS.headersMs,
    ).unref();
  };
  const stopWaiting = (socket: TimedSocket) => clearTimeout(socket[IDLE_TIMER]);

  server.on('connection', (socket: TimedSocket) => {
    awaitHeaders(socket);
    socket.once('close', () => stopWaiting(socket));
  });
  // A WebSocket (graphql-ws) lives on: its own protocol keeps it alive.
  server.on('upgrade', (_req, socket: TimedSocket) => stopWaiting(socket));
  server.on('request', (req, res) => {
    const socket = req.socket as TimedSocket;
    stopWaiting(socket);
    const bodyTimer = setTimeout(() => {
      if (req.complete) return;
      if (!res.headersSent) {
        res.writeHead(408, { 'content-type': 'application/json', connection: 'close' });
        res.end(
          JSON.stringify({
            errors: [{ message: 'The request took too long to arrive', extensions: { code: 'BAD_USER_INPUT' } }],
          }),
        );
      }
      socket.destroy();
    }, TRANSPORT_LIMITS.requestMs).unref();
    res.once('close', () => clearTimeout(bodyTimer));
    res.once('finish', () => {
      clearTimeout(bodyTimer);
      if (!socket.destroyed) awaitHeaders(socket);
    });
  });
}

import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
  preHandlerHookHandler,
  RouteOptions,
} from 'fastify';
import { documentNesting } from './document-nesting';
import { QUERY_LIMITS, TRANSPORT_LIMITS } from './query-limits';

// What reaches /graphql over HTTP before Apollo sees it: the content type, the
// JSON body and its size; and how long a client may take to send a request.
// Every refusal here is GraphQL-shaped (`{errors:[{message, extensions:{code}}]}`),
// as the contract's clients expect from this endpoint, never Nest's or Fastify's own.

/** The route Apollo answers on (graphql-options.ts). */
export const GRAPHQL_PATH = '/graphql';

export function graphqlRefusal(reply: FastifyReply, status: number, message: string): FastifyReply {
  if (reply.sent || reply.raw.headersSent) return reply;
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }));
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;
const mediaTypeOf = (header: string | undefined) => String(header ?? '').split(';')[0];

/** Why a POST's content type is refused (HTTP 415), or undefined: it must be JSON in UTF-8. */
export function contentTypeRefusal(header: string | undefined): string | undefined {
  const [type, ...parameters] = String(header ?? '').split(';');
  if (!JSON_TYPE.test(type.trim())) return 'Send the request as Content-Type: application/json';
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='));
  if (charset && !/^charset="?utf-8"?$/.test(charset)) return 'Send the request body in UTF-8';
  return undefined;
}

/** What a Content-Type header means for /graphql: is the body JSON (read here), and why is a POST refused. */
export interface ContentTypeVerdict {
  json: boolean;
  refusal: string | undefined;
}

/**
 * `compute`, kept for the keys last seen: a server sees few distinct values of a header or a document, so each
 * request looks its own up rather than working it out again. At most `entries` keys of at most `maxKeyLength`
 * characters are kept; past that the lot is dropped and filled again.
 */
function keptFor<V>(compute: (key: string) => V, entries: number, maxKeyLength: number): (key: string) => V {
  const kept = new Map<string, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      value = compute(key);
      if (key.length <= maxKeyLength) {
        if (kept.size >= entries) kept.clear();
        kept.set(key, value);
      }
    }
    return value;
  };
}

/** Headers (and Host origins) longer than this are worked out each time, not kept. */
const MAX_KEPT_HEADER = 256;

const verdictOf = keptFor(
  (header): ContentTypeVerdict => ({
    json: JSON_TYPE.test(mediaTypeOf(header).trim()),
    refusal: contentTypeRefusal(header),
  }),
  64,
  MAX_KEPT_HEADER,
);

/** The verdict on a Content-Type header (kept for the few distinct values clients send). */
export const contentTypeVerdict = (header: string | undefined): ContentTypeVerdict => verdictOf(header ?? '');

/** A request of the /graphql route, whose JSON body the content-type parser below reads. */
const GRAPHQL_BODY = Symbol('trustline.graphqlBody');
type GraphqlRequest = FastifyRequest & { [GRAPHQL_BODY]?: true };

/** A POST must be JSON in UTF-8: anything else is HTTP 415, before a byte of the body is read. */
const requireJson: onRequestHookHandler = (request, reply, done) => {
  (request as GraphqlRequest)[GRAPHQL_BODY] = true;
  if (request.method === 'POST') {
    const refusal = contentTypeVerdict(request.headers['content-type']).refusal;
    if (refusal) {
      graphqlRefusal(reply, 415, refusal);
      return;
    }
  }
  done();
};

/** A refusal of the body as it is read: answered in GraphQL's shape by the route's error handler. */
class BodyRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The whole body was read: the connection can stay open. */
    readonly consumed: boolean,
  ) {
    super(message);
  }
}

const tooLarge = (consumed: boolean) =>
  new BodyRefusal(413, `The request body is over ${TRANSPORT_LIMITS.maxBodyBytes} bytes`, consumed);
const notJson = () => new BodyRefusal(400, 'The request body is not valid JSON', true);
const unreadable = () => new BodyRefusal(400, 'The request body could not be read', false);

type ParsedBody = (error: Error | null, body?: unknown) => void;

const DECOMPRESSORS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
  gzip: () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * The body of a /graphql request, as Express's JSON parser read it before:
 * gzip, deflate or br bodies inflated, at most maxBodyBytes once inflated
 * (413 beyond, without reading on when Content-Length says so), an object or
 * an array of JSON in UTF-8 (400 otherwise), an empty body as {}. Other
 * routes read no body; neither does a non-JSON request of another method
 * than POST (Apollo refuses it).
 */
function readGraphqlBody(request: FastifyRequest, payload: IncomingMessage, done: ParsedBody): void {
  if (!(request as GraphqlRequest)[GRAPHQL_BODY] || !contentTypeVerdict(request.headers['content-type']).json)
    return done(null, undefined);
  const limit = TRANSPORT_LIMITS.maxBodyBytes;
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  let inflater: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined;
  if (encoding === 'identity') {
    if (Number(request.headers['content-length']) > limit) return done(tooLarge(false));
  } else {
    const decompress = DECOMPRESSORS[encoding];
    if (!decompress)
      return done(new BodyRefusal(415, 'The request body has an encoding this server does not read', false));
    inflater = payload.pipe(decompress());
  }
  const stream: Readable = inflater ?? payload;

  const chunks: Buffer[] = [];
  let received = 0;
  let finished = false;
  const finish = (error: BodyRefusal | null, body?: unknown) => {
    if (finished) return;
    finished = true;
    stream.off('data', onData);
    if (inflater) {
      payload.unpipe(inflater);
      inflater.destroy();
    }
    if (error) done(error);
    else done(null, body);
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) finish(tooLarge(false));
    else chunks.push(chunk);
  };
  stream.on('data', onData);
  stream.once('end', () => {
    try {
      finish(null, parseJsonBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)));
    } catch (error) {
      finish(error instanceof BodyRefusal ? error : notJson());
    }
  });
  stream.once('error', () => finish(unreadable()));
  if (inflater) payload.once('error', () => finish(unreadable()));
  payload.once('close', () => {
    if (!payload.complete) finish(unreadable());
  });
}

/**
 * JSON.parse, strict as body-parser was: a top-level object or array, a BOM skipped, an empty body {}.
 * The BOM (EF BB BF) and the first byte that is not JSON whitespace are found in the bytes, before decoding.
 */
export function parseJsonBody(buffer: Buffer): unknown {
  const start = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  if (start === buffer.length) return {};
  let i = start;
  while (i < buffer.length && (buffer[i] === 0x20 || buffer[i] === 0x09 || buffer[i] === 0x0a || buffer[i] === 0x0d))
    i++;
  // '{' or '['
  if (buffer[i] !== 0x7b && buffer[i] !== 0x5b) throw notJson();
  return JSON.parse(buffer.toString('utf8', start)) as unknown;
}

/** The nesting of a document (document-nesting.ts), kept for the last 128 documents of at most 4 KB asked. */
export const nestingOf = keptFor(documentNesting, 128, 4096);

/** A document nested deeper than graphql-js can walk is refused before it tries (document-nesting.ts). */
const refuseDeepDocuments: preHandlerHookHandler = (request, reply, done) => {
  const query =
    request.method === 'POST'
      ? (request.body as { query?: unknown } | undefined)?.query
      : (request.query as { query?: unknown } | undefined)?.query;
  if (typeof query === 'string' && nestingOf(query) > QUERY_LIMITS.maxNesting) {
    graphqlRefusal(reply, 400, `The document is nested more than ${QUERY_LIMITS.maxNesting} levels deep`);
    return;
  }
  done();
};

/** The body refusals above, GraphQL-shaped; anything else goes on to Nest's error handler. */
function graphqlErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (!(error instanceof BodyRefusal)) throw error;
  // Fastify closes the connection after a body error; one read to its end can stay open, and is answered with
  // Node's own `Connection: keep-alive` and `Keep-Alive` headers. Fastify's removeHeader also takes the header off
  // the raw response, which tells Node to send no Connection header at all: that is undone.
  if (error.consumed) {
    reply.removeHeader('connection');
    (reply.raw as { _removedConnection?: boolean })._removedConnection = false;
  }
  return graphqlRefusal(reply, error.status, error.message);
}

/**
 * Apollo's Fastify integration builds a URL of the request's protocol and host
 * to read its query string: a Host (or, behind a trusted proxy, a forwarded
 * host or protocol) that makes no URL would fail the request with a 500. Such
 * a request is handed on with a neutral origin; nothing else reads it.
 */
function withUsableOrigin(request: FastifyRequest): FastifyRequest {
  if (usableOrigin(`${request.protocol}://${request.hostname}/`)) return request;
  return Object.create(request, {
    protocol: { value: 'http' },
    hostname: { value: 'localhost' },
  }) as FastifyRequest;
}

/** Whether an origin makes a URL, kept for the few distinct Host values a server sees. */
export const usableOrigin = keptFor((origin) => URL.canParse(origin), 64, MAX_KEPT_HEADER);

/** A route option that Fastify takes as one hook or a list of them, as a list. */
export const asArray = <T>(hooks: T | T[] | undefined): T[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];

/**
 * Applies this module's rules to /graphql as Apollo's route is added, and
 * reads the bodies of /graphql only. Call before the app initialises.
 *
 * The route also takes PUT, PATCH and DELETE so that Apollo answers them
 * (405 in GraphQL shape), as it did on Express; Nest's Fastify driver adds
 * only GET, POST and OPTIONS.
 */
export function applyGraphqlTransport(instance: FastifyInstance): void {
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', readGraphqlBody);
  instance.addHook('onRoute', (route: RouteOptions) => {
    if (route.url !== GRAPHQL_PATH) return;
    const methods = asArray(route.method);
    if (methods.includes('POST')) route.method = [...methods, 'PUT', 'PATCH', 'DELETE'];
    route.onRequest = [...asArray(route.onRequest), requireJson];
    route.preHandler = [...asArray(route.preHandler), refuseDeepDocuments];
    route.errorHandler = graphqlErrorHandler;
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, request, reply) {
      return handler.call(this, withUsableOrigin(request), reply);
    };
  });
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

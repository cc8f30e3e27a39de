import type { IncomingMessage, ServerResponse } from 'node:http';

// pino-http logs every request at info. Its standard serializers copy the
// whole request (every header, the remote address and port) into an object
// and then redact it; under load that was a measurable share of the server's
// CPU per request (bench:api profile). The request log needs only what
// identifies the request and its outcome, and never a credential: the
// headers are not logged at all, so there is nothing to redact.

type LoggedRequest = IncomingMessage & { id?: unknown; originalUrl?: string };

/** Passed as pino-http options (with wrapSerializers: false, so the raw objects reach them). */
export const REQUEST_LOG_SERIALIZERS = {
  req: (req: LoggedRequest) => ({ id: req.id, method: req.method, url: req.originalUrl ?? req.url }),
  res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
};

import { type Client, createClient } from 'graphql-ws';
import { getToken } from './session';

// Only the public GraphQL API, with the caller's own token: the dashboard is a
// client like any other and sees what the API lets that token see.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export interface Answer<T> {
  data: T | null;
  /** Field errors beside partial data (e.g. a FORBIDDEN field), by their path joined with dots. */
  errors: { path: string; code: string; message: string }[];
}

const endpoint = () => new URL('/graphql', window.location.href).href;

/** One operation over HTTP. Partial answers come back with their field errors; a refused request throws. */
export async function request<T>(query: string, variables: Record<string, unknown> = {}): Promise<Answer<T>> {
  const token = getToken();
  const response = await fetch(endpoint(), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  let body: GraphQLBody<T>;
  try {
    body = (await response.json()) as GraphQLBody<T>;
  } catch {
    throw new ApiError(
      `The API answered HTTP ${response.status}`,
      response.status === 429 ? 'RATE_LIMITED' : 'INTERNAL',
    );
  }
  const errors = (body.errors ?? []).map((error) => ({
    path: (error.path ?? []).join('.'),
    code: error.extensions?.code ?? 'INTERNAL',
    message: error.message,
  }));
  if (body.data === undefined || body.data === null) {
    const first = errors[0];
    throw new ApiError(first?.message ?? `The API answered HTTP ${response.status}`, first?.code ?? 'INTERNAL');
  }
  return { data: body.data, errors };
}

/** Like request, but any error at all (even on one field) throws: for views that need every field. */
export async function query<T>(text: string, variables: Record<string, unknown> = {}): Promise<T> {
  const answer = await request<T>(text, variables);
  if (answer.errors.length > 0) throw new ApiError(answer.errors[0].message, answer.errors[0].code);
  return answer.data as T;
}

let client: Client | null = null;
let clientToken: string | null = null;

/** One graphql-ws connection per token, opened on first use; connectionParams carry the token (the contract). */
function wsClient(): Client {
  const token = getToken();
  if (client && clientToken === token) return client;
  void client?.dispose();
  clientToken = token;
  client = createClient({
    url: endpoint().replace(/^http/, 'ws'),
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 5,
    lazy: true,
  });
  return client;
}

/** Subscribes; returns the function that ends the subscription. */
export function subscribe<T>(
  text: string,
  variables: Record<string, unknown>,
  handlers: { next: (data: T) => void; error?: (error: unknown) => void },
): () => void {
  return wsClient().subscribe<T>(
    { query: text, variables },
    {
      next: (value) => value.data && handlers.next(value.data as T),
      error: (error) => handlers.error?.(error),
      complete: () => undefined,
    },
  );
}

export function closeLiveConnection(): void {
  void client?.dispose();
  client = null;
  clientToken = null;
}

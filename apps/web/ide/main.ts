import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

// Same origin as the page: HTTP for queries and mutations, graphql-ws for subscriptions.
const url = new URL('/graphql', window.location.href);
const subscriptionUrl = url.href.replace(/^http/, 'ws');

// The headers editor starts with the Authorization header to fill in (`trustline token` prints one).
const PLACEHOLDER = 'Bearer <paste a token>';
const defaultHeaders = JSON.stringify({ Authorization: PLACEHOLDER }, null, 2);

const send = createGraphiQLFetcher({ url: url.href, subscriptionUrl });

/** Until a token is pasted, the placeholder is not sent: schema introspection works signed out. */
const fetcher: typeof send = (params, options) => {
  const headers = { ...(options?.headers ?? {}) } as Record<string, unknown>;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'authorization' && (headers[name] === PLACEHOLDER || headers[name] === '')) delete headers[name];
  }
  return send(params, { ...options, headers });
};

const defaultQuery = `# Trustline's public GraphQL API. Put your token in the Headers tab below, then run:
{
  me { subject roles }
  programs(first: 10) { edges { node { id name } } totalCount }
}
`;

createRoot(document.getElementById('ide')!).render(
  createElement(GraphiQL, { fetcher, defaultHeaders, defaultQuery, isHeadersEditorEnabled: true, shouldPersistHeaders: false, defaultEditorToolsVisibility: 'headers' }),
);

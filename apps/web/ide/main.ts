import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

// Same origin as the page: HTTP for queries and mutations, graphql-ws for subscriptions.
const url = new URL('/graphql', window.location.href);
const subscriptionUrl = url.href.replace(/^http/, 'ws');

// The headers editor starts with the Authorization header: the token handed over as `/graphql#token=…`
// (a fragment never reaches a server log), or the one the dashboard keeps in this tab, or one to paste.
const PLACEHOLDER = 'Bearer <paste a token>';
const TOKEN_KEY = 'trustline.token';
const handed = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
if (handed) {
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(handed[1]));
  history.replaceState(null, '', window.location.pathname + window.location.search);
}
const token = sessionStorage.getItem(TOKEN_KEY);
const defaultHeaders = JSON.stringify({ Authorization: token ? `Bearer ${token}` : PLACEHOLDER }, null, 2);

const send = createGraphiQLFetcher({ url: url.href, subscriptionUrl });

/**
 * The placeholder is never sent; a request without an Authorization header (the schema's introspection can
 * start before the headers editor is ready) carries the tab's token, if there is one.
 */
const fetcher: typeof send = (params, options) => {
  const headers = { ...(options?.headers ?? {}) } as Record<string, unknown>;
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'authorization' && (headers[name] === PLACEHOLDER || headers[name] === ''))
      delete headers[name];
  }
  const current = sessionStorage.getItem(TOKEN_KEY);
  if (current && !Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
    headers.Authorization = `Bearer ${current}`;
  }
  return send(params, { ...options, headers });
};

const defaultQuery = `# Trustline's public GraphQL API. Put your token in the Headers tab below (every request,
# schema introspection included, needs one; then re-fetch the schema), and run:
{
  me { subject roles }
  programs(first: 10) { edges { node { id name } } totalCount }
}
`;

createRoot(document.getElementById('ide')!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultHeaders,
    defaultQuery,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: 'headers',
  }),
);

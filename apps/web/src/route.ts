import { useEffect, useState } from 'preact/hooks';

// Views are told apart by the URL fragment: the server serves one page at /app.

export type Route =
  | { view: 'programs' }
  | { view: 'program'; id: string }
  | { view: 'relationship'; id: string }
  | { view: 'audit'; id: string };

export function parseRoute(hash: string): Route {
  const [, view, id] = /^#\/(program|relationship|audit)\/([^/?#]+)/.exec(hash) ?? [];
  if (view && id) return { view, id: decodeURIComponent(id) } as Route;
  return { view: 'programs' };
}

export const href = (route: Route): string =>
  route.view === 'programs' ? '#/' : `#/${route.view}/${encodeURIComponent(route.id)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

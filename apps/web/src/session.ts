// The caller's token: pasted into the sign-in form, or handed over in the URL
// fragment (`/app#token=…`, as `seed-demo` prints; a fragment never reaches a
// server log). Kept in sessionStorage: gone when the tab closes.

const KEY = 'trustline.token';

/**
 * Takes a token out of the fragment (`#token=…`, optionally `&go=/program/<id>` for the view to open),
 * and removes it from the address bar and history.
 */
export function adoptTokenFromLocation(location: Location = window.location): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match) return;
  setToken(decodeURIComponent(match[1]));
  const go = /&go=(\/[^&]*)/.exec(location.hash)?.[1] ?? '/';
  history.replaceState(null, '', `${location.pathname}${location.search}#${go}`);
}

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token.trim().replace(/^Bearer\s+/i, ''));
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

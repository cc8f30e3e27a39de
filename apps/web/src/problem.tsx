import type { ApiError } from './api';

/** A refusal or failure, said plainly. */
export function Problem(props: { error: ApiError }) {
  const text: Record<string, string> = {
    FORBIDDEN: 'Your role may not see this.',
    NOT_FOUND: 'There is nothing here.',
    RATE_LIMITED: 'Too many requests; try again in a minute.',
    UNAVAILABLE: 'The server cannot answer right now; try again shortly.',
  };
  return (
    <p role="alert" class="problem">
      {text[props.error.code] ?? props.error.message}
    </p>
  );
}

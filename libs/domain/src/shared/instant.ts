// Instants travel as ISO-8601 strings in UTC with milliseconds and a trailing Z
// (what `Date.prototype.toISOString` produces), so events are plain JSON.
export type Instant = string;

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

export const toMillis = (instant: Instant): number => Date.parse(instant);
export const fromMillis = (ms: number): Instant => new Date(ms).toISOString();

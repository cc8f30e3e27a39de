// How numbers, instants and the contract's enums read on screen.

export const BANDS = ['HIGH', 'STEADY', 'FRAGILE', 'AT_RISK', 'TOO_EARLY'] as const;
export type Band = (typeof BANDS)[number];

export const BAND_LABEL: Record<Band, string> = {
  HIGH: 'High',
  STEADY: 'Steady',
  FRAGILE: 'Fragile',
  AT_RISK: 'At risk',
  TOO_EARLY: 'Too early',
};

/** Told apart by lightness as well as hue, so they survive greyscale and the common colour-vision deficiencies. */
export const BAND_COLOR: Record<Band, string> = {
  HIGH: '#1b7837',
  STEADY: '#7fbf7b',
  FRAGILE: '#f1a340',
  AT_RISK: '#b2182b',
  TOO_EARLY: '#bababa',
};

/** The score ranges of the bands (trust-model-v1.md); TOO_EARLY is decided by uncertainty, not by score. */
export const BAND_RANGES: { band: Band; from: number; to: number }[] = [
  { band: 'AT_RISK', from: 0, to: 40 },
  { band: 'FRAGILE', from: 40, to: 55 },
  { band: 'STEADY', from: 55, to: 70 },
  { band: 'HIGH', from: 70, to: 100 },
];

export const DIRECTION_LABEL: Record<string, string> = {
  MENTEE_IN_MENTOR: 'Mentee’s trust in mentor',
  MENTOR_IN_MENTEE: 'Mentor’s trust in mentee',
};

export const score = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : value.toFixed(1);

export const signed = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`;

export const percent = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : `${Math.round(value * 100)} %`;

export const days = (value: number | null | undefined): string =>
  value === null || value === undefined ? '—' : `${value.toFixed(value < 10 ? 1 : 0)} d`;

export const decimal = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined ? '—' : value.toFixed(digits);

export const date = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '—');

export const dateTime = (iso: string | null | undefined): string =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—';

/** `MeetingHeld` → `Meeting held`. */
export const eventName = (type: string): string =>
  type
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/ ([A-Z])/g, (_m, c: string) => ` ${c.toLowerCase()}`);

/** `promise-kept-on-time` / `PROMISE_KEPT` → readable words. */
export const ruleName = (rule: string): string => rule.replace(/[-_.]+/g, ' ').toLowerCase();

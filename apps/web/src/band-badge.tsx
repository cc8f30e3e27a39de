import { BAND_COLOR, BAND_LABEL, type Band } from './format';

/** A trust band as its colour and its name. */
export function BandBadge(props: { band: Band }) {
  return (
    <span class={`band band-${props.band.toLowerCase()}`}>
      <span aria-hidden="true" class="swatch" style={{ background: BAND_COLOR[props.band] }} />
      {BAND_LABEL[props.band]}
    </span>
  );
}

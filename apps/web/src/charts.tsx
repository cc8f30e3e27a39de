import * as Plot from '@observablehq/plot';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

// Charts are Observable Plot SVGs with an aria label and description; every
// chart has its data as a table behind it (the text alternative), and charts
// that can be explored point by point take the keyboard as well as the pointer.

export type PlotOptions = Omit<Plot.PlotOptions, 'width'>;

/** The chart's width follows its container (1280 px screens and phones alike). */
function useWidth(ref: { current: HTMLElement | null }): number {
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.max(280, Math.floor(entry.contentRect.width))));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return width;
}

export function PlotChart(props: {
  options: (width: number) => PlotOptions;
  label: string;
  description: string;
  onPlot?: (plot: ReturnType<typeof Plot.plot>, width: number) => void;
  dependencies: unknown[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  const width = useWidth(ref);
  useEffect(() => {
    const plot = Plot.plot({
      ...props.options(width),
      width,
      ariaLabel: props.label,
      ariaDescription: props.description,
      style: { fontSize: '12px', background: 'transparent' },
    });
    ref.current?.replaceChildren(plot);
    props.onPlot?.(plot, width);
    return () => plot.remove();
  }, [width, ...props.dependencies]);
  return <div ref={ref} class="chart" />;
}

export function Figure(props: {
  title: string;
  summary?: ComponentChildren;
  children: ComponentChildren;
  table: ComponentChildren;
  id?: string;
}) {
  return (
    <figure class="card figure" id={props.id} aria-labelledby={props.id ? `${props.id}-title` : undefined}>
      <figcaption>
        <h3 id={props.id ? `${props.id}-title` : undefined}>{props.title}</h3>
        {props.summary && <p class="summary">{props.summary}</p>}
      </figcaption>
      {props.children}
      <details class="table-behind">
        <summary>Table: {props.title.toLowerCase()}</summary>
        <div class="table-scroll">{props.table}</div>
      </details>
    </figure>
  );
}

export interface Column<T> {
  label: string;
  value: (row: T) => ComponentChildren;
  numeric?: boolean;
}

export function DataTable<T>(props: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T, index: number) => string;
  empty?: string;
}) {
  if (props.rows.length === 0) return <p class="muted">{props.empty ?? 'Nothing to show.'}</p>;
  // Wide tables scroll inside their own box, so the page never scrolls sideways on a phone.
  return (
    <div class="table-scroll">
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col" class={column.numeric ? 'num' : undefined}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, index) => (
            <tr key={props.rowKey(row, index)}>
              {props.columns.map((column, c) =>
                c === 0 ? (
                  <th scope="row">{column.value(row)}</th>
                ) : (
                  <td class={column.numeric ? 'num' : undefined}>{column.value(row)}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import { useEffect, useId, useRef, useState } from 'react';

export interface StackSeries<K extends string> {
  key: K;
  label: string;
  /** A CSS class giving the segment its fill (and the legend swatch its colour). */
  className: string;
}

export interface StackedDatum<K extends string> {
  key: string;
  /** Under the bar; a few characters. Shown only on some bars when they are narrow. */
  axisLabel: string;
  /** In the tooltip and the data table. */
  label: string;
  values: Record<K, number>;
}

interface StackedBarChartProps<K extends string> {
  title: string;
  /** A one-sentence summary for screen readers (e.g. the total). */
  summary: string;
  series: readonly StackSeries<K>[];
  data: StackedDatum<K>[];
  labelHeader: string;
  unit: string;
  minHeight?: number;
}

const MARGIN = { top: 22, right: 4, bottom: 30, left: 34 };
/** The room an axis label needs, in pixels. */
const LABEL_ROOM = 52;

function ticks(max: number): number[] {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough;
  const result = [0];
  while (result[result.length - 1]! < max) result.push(Number((result.length * step).toPrecision(6)));
  return result;
}

/**
 * An SVG chart of stacked bars (e.g. answers per day by rating), drawn at the width of its container. Like
 * BarChart, it is an image with a title and summary to assistive technology, with the numbers in a visually
 * hidden table, and a legend for sighted readers.
 */
export function StackedBarChart<K extends string>({
  title,
  summary,
  series,
  data,
  labelHeader,
  unit,
  minHeight = 220,
}: StackedBarChartProps<K>) {
  const id = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: minHeight });

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const observer = new ResizeObserver((entries) => {
      const rect = entries[0]?.contentRect;
      if (!rect) return;
      const next = { width: Math.floor(rect.width), height: Math.max(minHeight, Math.floor(rect.height)) };
      setSize((prev) => (prev.width === next.width && prev.height === next.height ? prev : next));
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, [minHeight]);

  const total = (d: StackedDatum<K>) => series.reduce((sum, s) => sum + d.values[s.key], 0);
  const { width, height } = size;
  const max = Math.max(4, ...data.map(total));
  const scaleTicks = ticks(max);
  const top = scaleTicks[scaleTicks.length - 1] ?? max;
  const plotW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const slot = data.length > 0 ? plotW / data.length : 0;
  const barW = Math.max(1.5, Math.min(24, slot * 0.7));
  const labelEvery = slot > 0 ? Math.max(1, Math.ceil(LABEL_ROOM / slot)) : 1;
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;

  return (
    <figure className="chart">
      <ul className="chart-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.key}>
            <span className={`chart-swatch ${s.className}`} />
            {s.label}
          </li>
        ))}
      </ul>
      <div ref={boxRef} className="chart-box" style={{ minHeight }}>
        {width > 0 && (
          <svg
            width={width}
            height={height}
            viewBox={`0 0 ${width} ${height}`}
            role="img"
            aria-labelledby={`${id}-title ${id}-desc`}
          >
            <title id={`${id}-title`}>{title}</title>
            <desc id={`${id}-desc`}>{summary}</desc>
            <text x={MARGIN.left - 8} y={MARGIN.top - 10} className="chart-unit" textAnchor="end">
              {unit}
            </text>
            {scaleTicks.map((t) => (
              <g key={t}>
                <line
                  x1={MARGIN.left}
                  x2={width - MARGIN.right}
                  y1={y(t)}
                  y2={y(t)}
                  className={t === 0 ? 'chart-axis' : 'chart-grid'}
                />
                <text x={MARGIN.left - 8} y={y(t)} dy="0.32em" textAnchor="end" className="chart-tick">
                  {t}
                </text>
              </g>
            ))}
            {data.map((d, i) => {
              const cx = MARGIN.left + slot * i + slot / 2;
              const showLabel = (data.length - 1 - i) % labelEvery === 0;
              let base = 0;
              const tooltip = `${d.label}: ${series.map((s) => `${d.values[s.key]} ${s.label.toLowerCase()}`).join(', ')}`;
              return (
                <g key={d.key}>
                  <title>{tooltip}</title>
                  {series.map((s) => {
                    const v = d.values[s.key];
                    if (v <= 0) return null;
                    const y0 = y(base);
                    base += v;
                    const y1 = y(base);
                    return (
                      <rect
                        key={s.key}
                        x={cx - barW / 2}
                        y={y1}
                        width={barW}
                        height={Math.max(1, y0 - y1)}
                        className={s.className}
                      />
                    );
                  })}
                  {showLabel && (
                    <text x={cx} y={height - MARGIN.bottom + 18} textAnchor="middle" className="chart-label">
                      {d.axisLabel}
                    </text>
                  )}
                </g>
              );
            })}
          </svg>
        )}
      </div>
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{labelHeader}</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.key}>
                <th scope="row">{d.label}</th>
                {series.map((s) => (
                  <td key={s.key}>{d.values[s.key]}</td>
                ))}
                <td>{total(d)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

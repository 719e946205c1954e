import { useEffect, useId, useRef, useState } from 'react';

export interface BarDatum {
  key: string;
  /** Under the bar; keep it to a few characters. */
  axisLabel: string;
  /** In the tooltip and the data table. */
  label: string;
  value: number;
  /** The value in words ("12 min"). */
  valueLabel: string;
  highlight?: boolean;
}

interface BarChartProps {
  title: string;
  /** A one-sentence summary for screen readers (e.g. the total). */
  summary: string;
  data: BarDatum[];
  labelHeader: string;
  valueHeader: string;
  /** The unit of the value axis, shown above it. */
  unit: string;
  /** The value axis reaches at least this, so a tiny value does not fill the chart. */
  minScale?: number;
  /** The chart grows to fill its container's height, but is never shorter than this. */
  minHeight?: number;
  /** Which bar always has its axis label when only some do: the last (e.g. today in a history) or the first. */
  labelFrom?: 'start' | 'end';
  /** Pixels between axis labels at the least; without it, every bar or every other bar is labelled. */
  minLabelSpacing?: number;
  /** How a value-axis tick reads (e.g. "0.005"); the axis widens to fit the longest. Default: the number. */
  formatTick?: (value: number) => string;
}

const MARGIN = { top: 22, right: 4, bottom: 30, left: 34 };
/** Roughly the width of one tick-label character at 12 px, and the gap between the labels and the plot. */
const TICK_CHAR_WIDTH = 7;
const TICK_GAP = 8;

/** Round tick values from 0 to at least `max`: steps of 1, 2 or 5 × 10^n, about four of them. */
function ticks(max: number): number[] {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough;
  const result = [0];
  while (result[result.length - 1]! < max) result.push(Number((result.length * step).toPrecision(6)));
  return result;
}

/**
 * An SVG bar chart that is an image with a title and summary to assistive technology, with the numbers in a
 * visually hidden table. It draws at the width of its container, so labels stay legible on a phone.
 */
export function BarChart({
  title,
  summary,
  data,
  labelHeader,
  valueHeader,
  unit,
  minScale = 1,
  minHeight = 220,
  labelFrom = 'end',
  minLabelSpacing,
  formatTick = String,
}: BarChartProps) {
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

  const { width, height } = size;
  const max = Math.max(minScale, ...data.map((d) => d.value));
  const scaleTicks = ticks(max);
  const top = scaleTicks[scaleTicks.length - 1] ?? max;
  const tickLabels = scaleTicks.map(formatTick);
  const left = Math.max(MARGIN.left, TICK_GAP + 4 + Math.max(...tickLabels.map((t) => t.length)) * TICK_CHAR_WIDTH);
  const plotW = Math.max(0, width - left - MARGIN.right);
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const slot = data.length > 0 ? plotW / data.length : 0;
  const barW = Math.max(2, Math.min(40, slot * 0.64));
  const labelEvery = minLabelSpacing ? Math.max(1, Math.ceil(minLabelSpacing / Math.max(slot, 1))) : slot >= 26 ? 1 : 2;
  const showValues = slot >= 44;
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;

  return (
    <figure className="chart">
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
            <text x={left - TICK_GAP} y={MARGIN.top - 10} className="chart-unit" textAnchor="end">
              {unit}
            </text>
            {scaleTicks.map((t, i) => (
              <g key={t}>
                <line
                  x1={left}
                  x2={width - MARGIN.right}
                  y1={y(t)}
                  y2={y(t)}
                  className={t === 0 ? 'chart-axis' : 'chart-grid'}
                />
                <text x={left - TICK_GAP} y={y(t)} dy="0.32em" textAnchor="end" className="chart-tick">
                  {tickLabels[i]}
                </text>
              </g>
            ))}
            {data.map((d, i) => {
              const cx = left + slot * i + slot / 2;
              const h = d.value > 0 ? Math.max(3, (d.value / top) * plotH) : 0;
              const showLabel = (labelFrom === 'start' ? i : data.length - 1 - i) % labelEvery === 0;
              return (
                <g key={d.key}>
                  {h > 0 && (
                    <rect
                      x={cx - barW / 2}
                      y={MARGIN.top + plotH - h}
                      width={barW}
                      height={h}
                      rx={Math.min(4, barW / 3)}
                      className={d.highlight ? 'chart-bar chart-bar-highlight' : 'chart-bar'}
                    >
                      <title>{`${d.label}: ${d.valueLabel}`}</title>
                    </rect>
                  )}
                  {showValues && d.value > 0 && (
                    <text x={cx} y={MARGIN.top + plotH - h - 6} textAnchor="middle" className="chart-value">
                      {d.valueLabel}
                    </text>
                  )}
                  {showLabel && (
                    <text
                      x={cx}
                      y={height - MARGIN.bottom + 18}
                      textAnchor="middle"
                      className={d.highlight ? 'chart-label chart-label-highlight' : 'chart-label'}
                    >
                      {d.axisLabel}
                    </text>
                  )}
                </g>
              );
            })}
          </svg>
        )}
      </div>
      {/* A table ignores width: 1px, so the wrapper is what is visually hidden. */}
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{labelHeader}</th>
              <th scope="col">{valueHeader}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.key}>
                <th scope="row">{d.label}</th>
                <td>{d.valueLabel}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

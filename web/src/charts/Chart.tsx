import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: number[];
  color: string;
}

export interface ChartProps {
  /** Names the figure; also the hidden table's caption. */
  title: string;
  /** x values: unix seconds for `time`, else 0..n-1 with `categories` naming them. */
  x: number[];
  categories?: string[];
  series: ChartSeries[];
  kind?: 'line' | 'bars';
  height?: number;
}

/**
 * A uPlot chart (canvas) sized to its container, with the same numbers in a visually hidden table
 * so screen readers and axe get text, not a picture.
 */
export function Chart({ title, x, categories, series, kind = 'line', height = 220 }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    // Several bar series share each x value side by side: the first left of it, the next right.
    const barsFor = (index: number) =>
      uPlot.paths.bars?.({
        size: [series.length > 1 ? 0.35 : 0.6, 48],
        align: series.length > 1 ? (index === 0 ? -1 : 1) : 0,
      });
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height,
      // The legend below is the app's own (uPlot's hover legend is a wide table on a phone).
      legend: { show: false },
      scales: {
        x: categories
          ? { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }
          : { time: true },
      },
      axes: [
        categories
          ? {
              values: (_u, splits) => splits.map((split) => categories[split] ?? ''),
              splits: () => categories.map((_, index) => index),
            }
          : {},
        {},
      ],
      series: [
        {
          label: categories ? 'Period' : 'Time',
          value: categories ? (_u, value) => categories[value] ?? '' : undefined,
        },
        ...series.map((one, index) => ({
          label: one.label,
          stroke: one.color,
          fill: kind === 'bars' ? `${one.color}cc` : `${one.color}22`,
          width: kind === 'bars' ? 1 : 2,
          paths: kind === 'bars' ? barsFor(index) : undefined,
          points: kind === 'bars' ? { show: false } : undefined,
        })),
      ],
    };
    const data: uPlot.AlignedData = [x, ...series.map((one) => one.values)];
    const plot = new uPlot(options, data, element);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(element.clientWidth, 200), height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, categories, series, kind, height]);

  const labelOf = (value: number, index: number) =>
    categories?.[index] ?? new Date(value * 1000).toLocaleString();
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={container} className="chart-canvas" aria-hidden="true" />
      <ul className="chart-legend" aria-hidden="true">
        {series.map((one) => (
          <li key={one.label}>
            <span className="swatch" style={{ background: one.color }} />
            {one.label}
          </li>
        ))}
      </ul>
      <div className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">{categories ? 'Period' : 'Time'}</th>
              {series.map((one) => (
                <th scope="col" key={one.label}>
                  {one.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {x.map((value, index) => (
              <tr key={value}>
                <th scope="row">{labelOf(value, index)}</th>
                {series.map((one) => (
                  <td key={one.label}>{one.values[index] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

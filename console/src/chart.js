// Time-series plots (uPlot: ~45 KB minified, canvas, no dependencies). One helper so every view's
// plot looks the same and follows the light/dark setting.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom.js';
import { timeRange } from './plot-range.js';

function colors() {
  const style = getComputedStyle(document.documentElement);
  return {
    line: style.getPropertyValue('--accent').trim() || '#2f6fde',
    grid: style.getPropertyValue('--grid').trim() || '#8884',
    text: style.getPropertyValue('--muted').trim() || '#888',
  };
}

/**
 * A plot of one series over time. points: [{ t (ms since epoch), v (number) }].
 * Returns { el, destroy }; the plot resizes with its box.
 */
export function timePlot(title, points, { unit = '', height = 180, empty = 'No data yet.' } = {}) {
  const box = h('figure', { class: 'plot' }, h('figcaption', {}, title));
  const area = h('div', { class: 'plot-area' });
  box.appendChild(area);
  if (points.length === 0) {
    area.appendChild(h('p', { class: 'empty' }, empty));
    return { el: box, destroy() {} };
  }
  const c = colors();
  const axis = { stroke: c.text, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid } };
  const data = [points.map((p) => p.t / 1000), points.map((p) => p.v)];
  let plot = null;
  const make = (width) => {
    plot?.destroy();
    plot = new uPlot(
      {
        width: Math.max(240, Math.floor(width)),
        height,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true, range: (_u, min, max) => timeRange(min, max) } },
        axes: [axis, { ...axis, label: unit, size: 60 }],
        series: [{}, { label: title, stroke: c.line, width: 2, points: { show: points.length < 60 } }],
      },
      data,
      area,
    );
  };
  let lastWidth = 0;
  const observer = new ResizeObserver(([entry]) => {
    const w = entry.contentRect.width;
    if (Math.abs(w - lastWidth) > 8) {
      lastWidth = w;
      make(w);
    }
  });
  observer.observe(area);
  return {
    el: box,
    destroy() {
      observer.disconnect();
      plot?.destroy();
    },
  };
}

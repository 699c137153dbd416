// Chart.js, registered piece by piece so the bundle carries only the bar and line charts
// used here. Every chart is drawn without animation (it is there at once, also for people
// who prefer reduced motion) and comes with a table of the same figures (ui.chartSection).

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import { onLeave } from "./lifecycle";
import type { ChartData } from "./shape";
import { wrapLabel } from "./shape-lists";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);
Chart.defaults.animation = false;
Chart.defaults.font.family = "inherit";
// No text under 14 px, also on a phone (axis ticks, legend, tooltips).
Chart.defaults.font.size = 14;
Chart.defaults.color = "#1f1f1f";
Chart.defaults.maintainAspectRatio = false;

// Dark, distinct colours: each has at least 3:1 contrast on white (WCAG 1.4.11), and the
// second series is also dashed/patterned where it matters, not told apart by colour alone.
export const COLORS = ["#1d4f91", "#a34a00", "#2e7d32", "#6a1b9a", "#5b5b5b", "#00707e"];

export interface ChartSpec {
  type: "bar" | "line";
  data: ChartData;
  /** dataset labels as shown (the series' keys translated) */
  seriesLabels: string[];
  horizontal?: boolean;
  stacked?: boolean;
  percent?: boolean;
  /** index of a series drawn as a dashed line (capacity against occupancy) */
  dashed?: number;
}

export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec): Chart {
  const datasets = spec.data.series.map((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    return {
      label: spec.seriesLabels[i] ?? s.label,
      data: s.data,
      backgroundColor: color,
      borderColor: color,
      borderWidth: spec.type === "line" ? 2 : 0,
      borderDash: spec.dashed === i ? [6, 4] : undefined,
      pointRadius: 0,
      stepped: spec.type === "line" && spec.dashed === i ? ("before" as const) : false,
    };
  });
  const valueAxis = {
    beginAtZero: true,
    stacked: spec.stacked ?? false,
    max: spec.percent ? 100 : undefined,
    ticks: spec.percent ? { callback: (v: string | number) => `${v}%` } : { precision: 0 },
  };
  const config: ChartConfiguration = {
    type: spec.type,
    data: { labels: spec.data.labels, datasets },
    options: {
      indexAxis: spec.horizontal ? "y" : "x",
      responsive: true,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { position: "bottom" } },
      scales: spec.horizontal
        ? {
            x: valueAxis,
            // Names on lines of their own rather than cut off or squeezed at 360 px.
            y: {
              stacked: spec.stacked ?? false,
              ticks: {
                autoSkip: false,
                callback(value: string | number) {
                  return wrapLabel(this.getLabelForValue(Number(value)), 16);
                },
              },
            },
          }
        : {
            x: { stacked: spec.stacked ?? false, ticks: { maxTicksLimit: 12, autoSkip: true } },
            y: valueAxis,
          },
    },
  };
  const chart = new Chart(canvas, config);
  onLeave(() => chart.destroy());
  return chart;
}

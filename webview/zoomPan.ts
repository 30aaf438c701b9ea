/**
 * Zoom and pan for a chart.js chart without a plugin dependency: the wheel zooms around the pointer
 * (Shift: x only, Alt: y only), dragging pans, double-click resets. The window is written into the
 * scales' min/max options, so it survives data updates until reset.
 */
import type { Chart } from 'chart.js';

export interface ZoomTarget {
  readonly chart: Chart<'line' | 'bar', unknown[]>;
  resetZoom(): void;
  /** Called after the user changed the window. */
  zoomed(): void;
}

type Scale = { type: string; min: number; max: number; getValueForPixel(px: number): number | undefined };
type ScaleOptions = { min?: number; max?: number };

const AXES = ['x', 'y', 'y1'] as const;
/** Pointer travel (px) above which a press is a drag, not a click. */
const DRAG_THRESHOLD = 4;

export function attachZoomPan(canvas: HTMLCanvasElement, target: ZoomTarget): void {
  const chart = target.chart;
  const scale = (axis: string) => chart.scales[axis] as unknown as Scale | undefined;
  const opts = () => chart.options.scales as Record<string, ScaleOptions>;
  const isHorizontal = (axis: string) => axis === 'x';
  // A logarithmic axis zooms and pans in log10 of its values (the window stays above 0).
  const isLog = (s: Scale) => s.type === 'logarithmic';
  const to = (s: Scale, v: number) => (isLog(s) ? Math.log10(v) : v);
  const from = (s: Scale, v: number) => (isLog(s) ? 10 ** v : v);

  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const factor = Math.exp(Math.sign(e.deltaY) * Math.min(Math.abs(e.deltaY), 200) * 0.002);
      const rect = canvas.getBoundingClientRect();
      const px = e.clientX - rect.left;
      const py = e.clientY - rect.top;
      for (const axis of AXES) {
        const s = scale(axis);
        if (!s || (axis === 'y1' && !opts().y1)) continue;
        if ((e.shiftKey && !isHorizontal(axis)) || (e.altKey && isHorizontal(axis))) continue;
        const at = s.getValueForPixel(isHorizontal(axis) ? px : py);
        if (at === undefined || !Number.isFinite(at)) continue;
        const a = to(s, at);
        opts()[axis].min = from(s, a + (to(s, s.min) - a) * factor);
        opts()[axis].max = from(s, a + (to(s, s.max) - a) * factor);
      }
      chart.update('none');
      target.zoomed();
    },
    { passive: false },
  );

  let drag: { x: number; y: number; windows: Record<string, [number, number]>; moved: boolean } | undefined;
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const windows: Record<string, [number, number]> = {};
    for (const axis of AXES) {
      const s = scale(axis);
      if (s) windows[axis] = [to(s, s.min), to(s, s.max)];
    }
    drag = { x: e.clientX, y: e.clientY, windows, moved: false };
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
    if (!drag.moved) canvas.setPointerCapture?.(e.pointerId);
    drag.moved = true;
    const area = chart.chartArea;
    for (const axis of AXES) {
      const w = drag.windows[axis];
      if (!w) continue;
      const span = w[1] - w[0];
      const shift = isHorizontal(axis)
        ? (-dx / (area.right - area.left)) * span
        : (dy / (area.bottom - area.top)) * span;
      const s = scale(axis);
      if (!s) continue;
      opts()[axis].min = from(s, w[0] + shift);
      opts()[axis].max = from(s, w[1] + shift);
    }
    chart.update('none');
  });
  // The click that ends a drag must not reveal a query: mark it for the chart's onClick handler.
  let suppressClick = false;
  const end = (e: PointerEvent) => {
    if (!drag) return;
    const moved = drag.moved;
    drag = undefined;
    suppressClick = moved;
    if (moved) {
      canvas.releasePointerCapture?.(e.pointerId);
      target.zoomed();
    }
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener(
    'click',
    (e) => {
      if (suppressClick) (e as MouseEvent & { alignLabDragged?: boolean }).alignLabDragged = true;
      suppressClick = false;
    },
    { capture: true },
  );
  canvas.addEventListener('dblclick', () => target.resetZoom());
}

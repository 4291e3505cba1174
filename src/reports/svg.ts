/** Small inline SVG charts drawn by hand: no scripts, no external assets, print-friendly. */

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface Bar {
  label: string;
  value: number;
  color?: string;
}

/** Horizontal bars with labels and values; empty input draws a "no data" note. */
export function barChart(bars: readonly Bar[], options: { width?: number; title: string }): string {
  const width = options.width ?? 640;
  const rowHeight = 22;
  const labelWidth = Math.round(width * 0.42);
  const height = Math.max(1, bars.length) * rowHeight + 30;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const rows = bars.map((bar, i) => {
    const y = 24 + i * rowHeight;
    const w = Math.round(((width - labelWidth - 60) * bar.value) / max);
    const label = bar.label.length > 48 ? `${bar.label.slice(0, 47)}…` : bar.label;
    return `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end" font-size="11">${escapeXml(label)}</text><rect x="${labelWidth}" y="${y + 3}" width="${Math.max(w, bar.value > 0 ? 2 : 0)}" height="${rowHeight - 8}" fill="${bar.color ?? '#3b6ea8'}"/><text x="${labelWidth + w + 6}" y="${y + 14}" font-size="11">${bar.value}</text>`;
  });
  const empty = bars.length === 0 ? `<text x="${width / 2}" y="40" text-anchor="middle" font-size="12" fill="#666">no data in this period</text>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(options.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><text x="0" y="14" font-size="12" font-weight="bold">${escapeXml(options.title)}</text>${rows.join('')}${empty}</svg>`;
}

export interface Series {
  name: string;
  color: string;
  values: readonly number[];
}

/** Stacked columns per time bucket, with a legend and a y axis of three ticks. */
export function stackedColumns(labels: readonly string[], series: readonly Series[], options: { width?: number; height?: number; title: string }): string {
  const width = options.width ?? 680;
  const height = options.height ?? 220;
  const left = 40;
  const top = 40;
  const bottom = 30;
  const plotW = width - left - 10;
  const plotH = height - top - bottom;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const colW = plotW / Math.max(1, labels.length);
  const parts: string[] = [`<text x="0" y="14" font-size="12" font-weight="bold">${escapeXml(options.title)}</text>`];
  series.forEach((s, i) => parts.push(`<rect x="${left + i * 90}" y="22" width="10" height="10" fill="${s.color}"/><text x="${left + i * 90 + 14}" y="31" font-size="11">${escapeXml(s.name)}</text>`));
  for (const fraction of [0, 0.5, 1]) {
    const y = top + plotH - fraction * plotH;
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${left - 4}" y="${y + 4}" text-anchor="end" font-size="10">${Math.round(max * fraction)}</text>`);
  }
  labels.forEach((_, i) => {
    let y = top + plotH;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v === 0) continue;
      const h = (v / max) * plotH;
      y -= h;
      parts.push(`<rect x="${(left + i * colW + colW * 0.1).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, colW * 0.8).toFixed(1)}" height="${h.toFixed(1)}" fill="${s.color}"/>`);
    }
  });
  const step = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((label, i) => {
    if (i % step === 0) parts.push(`<text x="${(left + i * colW).toFixed(1)}" y="${height - 10}" font-size="10">${escapeXml(label)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(options.title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

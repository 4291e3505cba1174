/** Renders a compliance report as one self-contained HTML page: inline CSS and SVG, no scripts, no external assets. */
import type { ReportData } from './collect.ts';
import { barChart, escapeXml as esc, stackedColumns } from './svg.ts';

const css = `
  @page { size: A4; margin: 14mm; }
  body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #1d2330; font-size: 12px; margin: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; border-bottom: 2px solid #3b6ea8; padding-bottom: 3px; margin-top: 26px; }
  .meta { color: #555; } .tiles { display: flex; gap: 10px; flex-wrap: wrap; margin: 14px 0; }
  .tile { border: 1px solid #ccd5e2; border-radius: 6px; padding: 8px 12px; min-width: 110px; }
  .tile b { display: block; font-size: 20px; } table { border-collapse: collapse; width: 100%; margin: 8px 0; }
  th, td { border: 1px solid #d6dbe3; padding: 4px 6px; text-align: left; vertical-align: top; } th { background: #eef2f8; }
  td.n { text-align: right; } .ok { color: #17753a; font-weight: bold; } .bad { color: #b3261e; font-weight: bold; }
  .muted { color: #777; } .status-in-force { color: #17753a; } .status-not-covered { color: #b3261e; } .status-evidence-only { color: #8a5a00; }
  .note { background: #f6f7f9; border-left: 3px solid #99a; padding: 6px 10px; color: #444; } section { break-inside: avoid-page; }
`;

const decisionColors: Record<string, string> = { allow: '#8fb8de', flag: '#e0a526', redact: '#7b5ea7', block: '#c0392b', error: '#555555' };

function td(value: string | number, numeric = false): string {
  return `<td${numeric ? ' class="n"' : ''}>${esc(String(value))}</td>`;
}

function bucketLabel(iso: string, bucketMs: number): string {
  return bucketMs < 86_400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 13)}h` : iso.slice(0, 10);
}

export function renderReportHtml(data: ReportData): string {
  const { framework, totals } = data;
  const chainOk = 'ok' in data.chain ? data.chain.ok : false;
  const chainText = 'error' in data.chain ? `not verified: ${data.chain.error}` : data.chain.ok ? 'verified, no problems' : `${data.chain.problems.length} partition(s) with problems`;
  const parts: string[] = [];
  parts.push(`<header><h1>${esc(framework.title)}: gateway controls report</h1>
    <div class="meta">${esc(framework.reference)} · period ${esc(data.from)} to ${esc(data.to)} (end exclusive) · policy <b>${esc(data.policy.name)}</b>${data.packs.length ? ` with packs ${esc(data.packs.map((p) => `${p.name} ${p.version}`).join(', '))}` : ''}</div></header>`);
  parts.push(`<div class="tiles">
    <div class="tile"><b>${totals.events}</b>events</div><div class="tile"><b>${totals.byDecision.block}</b>blocked</div>
    <div class="tile"><b>${totals.byDecision.flag}</b>flagged</div><div class="tile"><b>${totals.byDecision.redact}</b>redacted</div>
    <div class="tile"><b>${totals.findings}</b>findings</div><div class="tile"><b class="${chainOk ? 'ok' : 'bad'}">${chainOk ? 'intact' : 'check'}</b>audit chain</div></div>`);
  if (data.truncated) parts.push('<p class="note">The period held more events than one report reads; counts cover the newest events only. Narrow --from/--to.</p>');

  // Controls of the framework and how the configured policy answers them.
  parts.push(`<section><h2>Controls</h2><table><tr><th>control</th><th>title</th><th>status</th><th>answered by</th><th>findings</th></tr>${data.controls
    .map((row) => {
      const evidence = (row.control.evidence ?? []).map((kind) => ({ audit: 'audit chain', review: 'review queue', policy: 'policy configuration' })[kind]);
      const by = [...row.instances, ...evidence].join(', ') || '—';
      return `<tr>${td(row.control.group ? `${row.control.id} (${row.control.group})` : row.control.id)}${td(row.control.title)}<td class="status-${row.status.replace(' ', '-')}">${esc(row.status)}</td>${td(by)}${td(row.findings, true)}</tr>`;
    })
    .join('')}</table><p class="note">Mapping of scanner families to controls is Bulwark's reading of the framework, as evidence for an assessor; it is not a statement of compliance.</p></section>`);

  parts.push(`<section><h2>Scanner instances in force</h2><table><tr><th>instance</th><th>scanner</th><th>action</th><th>phases</th><th>pack</th><th>controls</th></tr>${data.instances
    .map((i) => `<tr>${td(i.enabled ? i.id : `${i.id} (disabled)`)}${td(i.scanner)}${td(i.action)}${td(i.phases.join(', '))}${td(i.pack ?? '—')}${td(i.controls.join(', ') || '—')}</tr>`)
    .join('')}</table>${data.packs.length ? `<p>Packs: ${data.packs.map((p) => `${esc(p.title)} (${esc(p.name)} ${esc(p.version)})`).join('; ')}.</p>` : ''}</section>`);

  const labels = data.series.buckets.map((b) => bucketLabel(b.start, data.series.bucketMs));
  const series = (['allow', 'flag', 'redact', 'block', 'error'] as const).map((d) => ({ name: d, color: decisionColors[d]!, values: data.series.buckets.map((b) => b[d]) }));
  parts.push(`<section><h2>Activity</h2>${stackedColumns(labels, series, { title: `Events by decision per ${data.series.bucketMs < 86_400_000 ? 'hour' : data.series.bucketMs === 86_400_000 ? 'day' : 'week'}` })}</section>`);

  parts.push(`<section><h2>What fired, by rule</h2>${barChart(data.byRule.slice(0, 15).map((r) => ({ label: `${r.instance}: ${r.ruleId}`, value: r.findings })), { title: 'Findings by rule (top 15)' })}
    <table><tr><th>instance</th><th>rule</th><th>family</th><th>findings</th><th>blocked</th></tr>${data.byRule.map((r) => `<tr>${td(r.instance)}${td(r.ruleId)}${td(r.family)}${td(r.findings, true)}${td(r.blocked, true)}</tr>`).join('') || '<tr><td colspan="5" class="muted">no findings in this period</td></tr>'}</table>
    ${totals.allowListed ? `<p>${totals.allowListed} finding(s) matched a review allow-list entry and were only logged.</p>` : ''}</section>`);

  parts.push(`<section><h2>What fired, by clause</h2><table><tr><th>clause</th><th>findings</th></tr>${data.byClause.map((c) => `<tr>${td(c.clause)}${td(c.findings, true)}</tr>`).join('') || '<tr><td colspan="2" class="muted">no finding cited a clause in this period</td></tr>'}</table></section>`);

  const r = data.review;
  parts.push(`<section><h2>Review outcomes</h2>${barChart([
    { label: 'true positive', value: r.truePositive, color: '#17753a' },
    { label: 'false positive', value: r.falsePositive, color: '#c0392b' },
    { label: 'needs policy change', value: r.needsPolicyChange, color: '#e0a526' },
    { label: 'unlabelled', value: r.unlabelled, color: '#999999' },
  ], { title: 'Queued events in the period by label' })}<p>Precision of labelled items (TP / (TP + FP)): ${r.precision === null ? 'n/a (nothing labelled)' : r.precision.toFixed(3)}.</p></section>`);

  const chainRows = 'error' in data.chain ? '' : `<table><tr><th>partitions</th><th>records</th><th>checkpoints</th><th>signatures checked</th><th>problems</th></tr><tr>${td(data.chain.partitions.join(', ') || '—')}${td(data.chain.records, true)}${td(data.chain.checkpoints, true)}${td(data.chain.signaturesChecked ? 'yes' : 'no (no public key)')}${td(data.chain.problems.map((p) => `${p.partition}@${p.position} ${p.kind}`).join('; ') || 'none')}</tr></table>`;
  parts.push(`<section><h2>Audit chain verification</h2><p class="${chainOk ? 'ok' : 'bad'}">${esc(chainText)}</p>${chainRows}<p class="muted">Whole partitions (tenants) that have events in the period are verified from their first record, so an edit before the period is found too.</p></section>`);

  const g = data.generated;
  parts.push(`<section><h2>Generation</h2><table><tr><th>generated at</th>${td(g.at)}</tr><tr><th>by</th>${td(g.by)}</tr><tr><th>Bulwark</th>${td(g.version)}</tr><tr><th>event store</th>${td(g.store)}</tr><tr><th>tenants in period</th>${td(totals.tenants.join(', ') || '—')}</tr><tr><th>framework map</th>${td(`${framework.id}: ${framework.controls.length} controls`)}</tr></table></section>`);

  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(framework.title)} report ${esc(data.from.slice(0, 10))} to ${esc(data.to.slice(0, 10))}</title><style>${css}</style></head><body>${parts.join('\n')}</body></html>\n`;
}

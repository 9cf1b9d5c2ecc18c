// Shared presentation: relative times, severity chips, deep links.
import { h } from './dom.js';

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const STEPS = [
  ['year', 365 * 24 * 3600], ['month', 30 * 24 * 3600], ['week', 7 * 24 * 3600],
  ['day', 24 * 3600], ['hour', 3600], ['minute', 60],
];

/** "3 minutes ago", "in 2 days", "now". */
export function relative(iso, now = Date.now()) {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of STEPS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return 'now';
}

export function dateTime(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function severityChip(severity) {
  if (!severity) return null;
  return h('span', { class: `chip sev-${severity}` }, severity);
}

const INBOX_LINKS = [
  ['finding_id', 'findings'], ['scan_id', 'scans'], ['approval_request_id', 'approvals'],
  ['report_id', 'reports'], ['project_id', 'projects'], ['asset_id', 'assets'],
];

/** The web UI page for an inbox row, on the server's origin. */
export function inboxLink(origin, row) {
  const data = row.data || {};
  for (const [key, path] of INBOX_LINKS) {
    if (data[key]) return `${origin}/${path}/${encodeURIComponent(data[key])}`;
  }
  return `${origin}/notifications`;
}

const ENTITY_PATHS = { finding: 'findings', scan: 'scans', project: 'projects', asset: 'assets', report: 'reports' };

/** The web UI page for a calendar item, or null when there is none. */
export function entityLink(origin, type, id) {
  const path = ENTITY_PATHS[type];
  return path && id ? `${origin}/${path}/${encodeURIComponent(id)}` : null;
}

/** Acronyms that sentence case would spoil ("Sla deadline"). */
const ACRONYMS = { sla: 'SLA', ci: 'CI', vcs: 'VCS' };

/** `sla_deadline` → "SLA deadline", `finding_assigned` → "Finding assigned". */
export function label(snake) {
  const words = String(snake).split('_').map((w) => ACRONYMS[w] ?? w);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

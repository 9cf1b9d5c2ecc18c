// Shared presentation: relative times and severity chips. Labels and
// links come from Rust with the data (`label`, `url`), never from here.
import { h } from './dom.js';
import { severityLabel } from './catalog.js';

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
  return h('span', { class: `chip sev-${severity}` }, severityLabel(severity));
}

// Calendar: a month grid with a marker per item, coloured by kind (the
// legend says which), and an agenda of the month's items. Personal
// deadlines (SLA due, retest due) by default; a toggle shows the full
// operations calendar of the user's companies; a filter narrows either to
// one company.
import { invoke, listen } from './tauri.js';
import { h, clear, plain } from './dom.js';
import { dateTime, relative, severityChip } from './format.js';

const DAY_MS = 24 * 3600 * 1000;

/** Local yyyy-mm-dd, the key days are grouped by. */
function dayKey(date) {
  const d = new Date(date);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A personal deadline (Rust says which kinds are) that has passed. */
export function isOverdue(item, now = Date.now()) {
  return item.deadline && new Date(item.at).getTime() < now;
}

/** The kinds, in the legend's order, with the words it uses. */
const KINDS = [
  ['sla_deadline', 'SLA deadline'], ['retest_due', 'Retest due'],
  ['scan_scheduled', 'Scan'], ['scan_running', 'Scan running'],
  ['project_start', 'Project start'], ['project_end', 'Project end'],
  ['agreement_expiry', 'Agreement expiry'], ['other', 'Other'],
];
const KNOWN = new Set(KINDS.map(([kind]) => kind));
const kindClass = (kind) => `kind-${KNOWN.has(kind) ? kind : 'other'}`;

export async function mount(root, app) {
  const today = new Date();
  let month = new Date(today.getFullYear(), today.getMonth(), 1);
  const allKinds = h('input', { type: 'checkbox', id: 'all-kinds' });
  const companies = app?.status?.account?.companies ?? [];
  const company = h('select', { id: 'company-filter', 'aria-label': 'Company' },
    h('option', { value: '' }, 'All companies'),
    companies.map((c) => h('option', { value: c.id }, c.name)));
  const legend = h('ul', { id: 'calendar-legend', class: 'legend', 'aria-label': 'Legend' });
  const title = h('h2', { id: 'month-title', 'aria-live': 'polite' });
  const grid = h('div', { id: 'month-grid', class: 'month', role: 'grid', 'aria-labelledby': 'month-title' });
  const agenda = h('ol', { id: 'agenda', class: 'rows', 'aria-label': 'Agenda' });
  const error = h('p', { class: 'empty', hidden: true });
  const step = (delta) => { month = new Date(month.getFullYear(), month.getMonth() + delta, 1); load(); };

  root.append(
    h('div', { class: 'toolbar' },
      h('h1', {}, 'Calendar'),
      h('button', { class: 'secondary', 'aria-label': 'Previous month', onclick: () => step(-1) }, '‹'),
      title,
      h('button', { class: 'secondary', 'aria-label': 'Next month', onclick: () => step(1) }, '›'),
      h('label', { class: 'inline' }, allKinds, ' All kinds (operations view)'),
      companies.length > 1 && company),
    h('div', { class: 'calendar' }, h('div', {}, grid, legend), h('section', { 'aria-label': 'Agenda' }, agenda)),
    error);

  allKinds.addEventListener('change', () => load());
  company.addEventListener('change', () => load());

  async function load() {
    const first = new Date(month);
    const gridStart = new Date(first.getTime() - ((first.getDay() + 6) % 7) * DAY_MS);
    const gridEnd = new Date(gridStart.getTime() + 42 * DAY_MS);
    title.textContent = first.toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
    let items = [];
    try {
      const page = await invoke('calendar', {
        from: gridStart.toISOString(), to: gridEnd.toISOString(), mine: !allKinds.checked,
        companyId: company.value || null,
      });
      items = page.items;
      error.hidden = true;
    } catch (e) {
      error.textContent = plain(`Could not load the calendar: ${e}`);
      error.hidden = false;
    }
    renderGrid(gridStart, first, items);
    renderAgenda(items.filter((i) => new Date(i.at).getMonth() === first.getMonth()));
    renderLegend();
  }

  /** The kinds this view can show, and what the overdue ring means. */
  function renderLegend() {
    clear(legend);
    const shown = allKinds.checked ? KINDS : KINDS.filter(([kind]) => kind === 'sla_deadline' || kind === 'retest_due');
    for (const [kind, label] of shown) {
      legend.append(h('li', { 'data-kind': kind }, h('span', { class: `marker ${kindClass(kind)}` }), label));
    }
    legend.append(h('li', { 'data-kind': 'overdue' }, h('span', { class: 'marker kind-sla_deadline overdue' }), 'Overdue'));
  }

  function renderGrid(start, first, items) {
    clear(grid);
    for (const name of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']) {
      grid.append(h('div', { class: 'weekday', role: 'columnheader' }, name));
    }
    const byDay = new Map();
    for (const item of items) {
      const key = dayKey(item.at);
      byDay.set(key, [...(byDay.get(key) ?? []), item]);
    }
    for (let i = 0; i < 42; i++) {
      const day = new Date(start.getTime() + i * DAY_MS);
      const key = dayKey(day);
      const dayItems = byDay.get(key) ?? [];
      const classes = ['day'];
      if (day.getMonth() !== first.getMonth()) classes.push('outside');
      if (key === dayKey(today)) classes.push('today');
      const more = dayItems.length > 4 ? h('span', { class: 'more' }, `+${dayItems.length - 4}`) : null;
      const dots = h('span', { class: 'dots' }, dayItems.slice(0, 4).map((item) =>
        h('span', { class: `marker ${kindClass(item.kind)}${isOverdue(item) ? ' overdue' : ''}`, title: item.kind_label })), more);
      grid.append(h('button', {
        class: classes.join(' '), 'data-day': key, role: 'gridcell',
        'aria-label': `${day.toDateString()}: ${dayItems.length} item(s)`,
        onclick: () => agenda.querySelector(`[data-day="${key}"]`)?.scrollIntoView({ block: 'nearest' }),
      }, h('span', { class: 'num' }, day.getDate()), dots));
    }
  }

  function renderAgenda(items) {
    clear(agenda);
    if (!items.length) agenda.append(h('li', { class: 'empty' }, 'No deadlines this month.'));
    for (const item of items) {
      const overdue = isOverdue(item);
      agenda.append(h('li', { class: `row${overdue ? ' overdue' : ''}`, 'data-day': dayKey(item.at), 'data-id': item.id },
        h('button', { class: 'row-main', disabled: !item.url, onclick: () => invoke('open_link', { url: item.url }) },
          h('span', { class: 'row-title' }, item.title),
          h('span', { class: 'row-meta' },
            severityChip(item.severity),
            h('span', { class: 'chip' }, item.kind_label),
            item.company_name && h('span', { class: 'chip' }, item.company_name),
            h('time', { datetime: item.at, title: dateTime(item.at) },
              overdue ? `overdue, ${relative(item.at)}` : `${dateTime(item.at)} (${relative(item.at)})`)))));
    }
  }

  const unlisten = await listen('calendar-changed', () => load());
  await load();
  return () => unlisten();
}

// Inbox: newest first, cursor paging on scroll, unread/type filters,
// click to open and mark read, live updates from the stream.
import { invoke, listen } from './tauri.js';
import { h, clear, plain } from './dom.js';
import { relative, severityChip } from './format.js';
import { catalog } from './catalog.js';

const PAGE = 25;

/** One option per catalog type, under its group's heading. */
function typeOptions() {
  const groups = new Map();
  for (const t of catalog().event_types) {
    if (!groups.has(t.group)) groups.set(t.group, h('optgroup', { label: t.group }));
    groups.get(t.group).append(h('option', { value: t.id }, t.label));
  }
  return [...groups.values()];
}

export async function mount(root) {
  const state = { cursor: null, done: false, loading: false, ids: new Set(), generation: 0 };
  const list = h('ul', { id: 'inbox-list', class: 'rows', 'aria-label': 'Notifications' });
  const unreadOnly = h('input', { type: 'checkbox', id: 'filter-unread' });
  const typeSelect = h('select', { id: 'filter-type', 'aria-label': 'Event type' },
    h('option', { value: '' }, 'All event types'), typeOptions());
  const more = h('button', { id: 'load-more', class: 'secondary', onclick: () => loadPage() }, 'Load more');
  const empty = h('p', { class: 'empty', hidden: true }, 'Nothing here.');
  const markAll = h('button', {
    id: 'mark-all-read',
    onclick: async () => {
      await invoke('mark_all_read');
      for (const row of list.querySelectorAll('li.unread')) row.classList.remove('unread');
    },
  }, 'Mark all read');

  root.append(
    h('div', { class: 'toolbar' },
      h('h1', {}, 'Inbox'),
      h('label', { class: 'inline' }, unreadOnly, ' Unread only'),
      typeSelect, markAll),
    list, empty, more);

  function rowFor(item) {
    const open = async () => {
      li.classList.remove('unread');
      if (!item.read) await invoke('mark_read', { id: item.id });
      item.read = true;
      await invoke('open_link', { url: item.url });
    };
    const li = h('li', { class: item.read ? 'row' : 'row unread', 'data-id': item.id },
      h('button', { class: 'row-main', onclick: open },
        h('span', { class: 'row-title' }, item.title || item.event_label),
        h('span', { class: 'row-body' }, item.body),
        h('span', { class: 'row-meta' },
          severityChip(item.data?.severity),
          h('span', { class: 'chip' }, item.event_label),
          h('time', { datetime: item.created_at, title: item.created_at }, relative(item.created_at)))));
    return li;
  }

  function query(cursor) {
    return invoke('inbox', {
      cursor, unreadOnly: unreadOnly.checked, eventType: typeSelect.value || null, limit: PAGE,
    });
  }

  async function loadPage() {
    if (state.loading || state.done) return;
    state.loading = true;
    const generation = state.generation;
    try {
      const page = await query(state.cursor);
      if (generation !== state.generation) return;
      for (const item of page.items) {
        if (state.ids.has(item.id)) continue;
        state.ids.add(item.id);
        list.append(rowFor(item));
      }
      state.cursor = page.next_cursor;
      state.done = !page.next_cursor;
    } catch (error) {
      empty.textContent = plain(`Could not load the inbox: ${error}`);
      empty.hidden = false;
      state.done = true;
    } finally {
      state.loading = false;
      more.hidden = state.done;
      if (!state.ids.size && empty.hidden) {
        empty.textContent = 'Nothing here.';
        empty.hidden = false;
      }
      // A scroll that reached the button while this page was loading was
      // ignored above; observing again reports where the button is now,
      // after the new rows, so the next page loads only if it is still seen.
      if (!state.done) {
        sentinel.unobserve(more);
        sentinel.observe(more);
      }
    }
  }

  function reset() {
    Object.assign(state, { cursor: null, done: false, loading: false, ids: new Set() });
    state.generation += 1;
    clear(list);
    empty.hidden = true;
    loadPage();
  }

  // New rows arrive at the head; rows already shown keep their place.
  async function refreshHead() {
    const page = await query(null);
    const known = new Map([...list.children].map((li) => [li.dataset.id, li]));
    const fresh = [];
    for (const item of page.items) {
      const li = known.get(item.id);
      if (li) li.classList.toggle('unread', !item.read);
      else if (!state.ids.has(item.id)) fresh.push(item);
    }
    for (const item of fresh.reverse()) {
      state.ids.add(item.id);
      list.prepend(rowFor(item));
    }
    if (fresh.length) empty.hidden = true;
  }

  unreadOnly.addEventListener('change', reset);
  typeSelect.addEventListener('change', reset);
  const sentinel = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) loadPage();
  });
  sentinel.observe(more);
  const unlisten = await listen('inbox-changed', () => refreshHead());
  await loadPage();
  return () => { unlisten(); sentinel.disconnect(); };
}

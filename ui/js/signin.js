// Sign-in: server URL and personal API token. The token goes to Rust once;
// Rust checks it with /api/v1/me, keeps it in the OS keyring, and never
// sends it back here. The field is cleared as soon as the call returns.
import { invoke } from './tauri.js';
import { h, plain } from './dom.js';

export async function mount(root, app) {
  const server = h('input', {
    id: 'server', type: 'url', required: true, autocomplete: 'url',
    placeholder: 'https://pmap.example.com', value: app.status?.account?.server ?? app.status?.server ?? '',
  });
  const token = h('input', { id: 'token', type: 'password', required: true, autocomplete: 'off', spellcheck: 'false' });
  const caFile = h('input', {
    id: 'ca-file', type: 'text', autocomplete: 'off', spellcheck: 'false',
    placeholder: '/path/to/company-ca.pem (only behind a company CA)',
  });
  const message = h('p', { id: 'sign-in-message', role: 'status', 'aria-live': 'polite' });
  // Tokens saved for other servers: the user says whether this sign-in
  // forgets them (the default) or keeps them beside the new one.
  const stored = await invoke('stored_servers').catch(() => []);
  const othersList = h('span', { id: 'other-servers' });
  const forget = h('input', { id: 'others-forget', type: 'radio', name: 'others', value: 'forget', checked: true });
  const keep = h('input', { id: 'others-keep', type: 'radio', name: 'others', value: 'keep' });
  const others = h('fieldset', { class: 'others', hidden: true },
    h('legend', {}, 'Also saved: a token for ', othersList),
    h('label', {}, forget, ' Forget it once I am signed in here'),
    h('label', {}, keep, ' Keep it'));
  const otherOrigins = () => stored.filter((origin) => origin !== originOf(server.value));
  const showOthers = () => {
    const list = otherOrigins();
    othersList.textContent = plain(list.join(', '));
    others.hidden = list.length === 0;
  };
  server.addEventListener('input', showOthers);
  showOthers();
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', {
    class: 'sign-in',
    onsubmit: async (event) => {
      event.preventDefault();
      submit.disabled = true;
      message.textContent = 'Checking…';
      try {
        const choice = otherOrigins().length ? (keep.checked ? 'keep' : 'forget') : null;
        const result = await invoke('sign_in', {
          server: server.value, token: token.value, others: choice, caFile: caFile.value || null,
        });
        message.textContent = plain(`Signed in as ${result.account.name}.` + (result.notice ? ` ${result.notice}` : ''));
      } catch (error) {
        message.textContent = plain(error);
      } finally {
        token.value = '';
        submit.disabled = false;
      }
    },
  },
  h('label', { for: 'server' }, 'Server URL'), server,
  h('label', { for: 'token' }, 'Personal API token'), token,
  h('p', { class: 'hint' }, 'Create a token in PMAP under Profile → API tokens. It is stored in your system keyring.'),
  h('label', { for: 'ca-file' }, 'Company CA certificate (optional)'), caFile,
  h('p', { class: 'hint' }, 'A PEM file, trusted on top of the system store, if your PMAP sits behind a company certificate authority.'),
  others, submit, message);
  root.append(h('div', { class: 'toolbar' }, h('h1', {}, 'Sign in')), form);
  (app.status?.account ? token : server).focus();
}

function originOf(text) {
  try {
    return new URL(text).origin;
  } catch {
    return '';
  }
}

// The customer portal: sign in, my requests (and my organization's when it
// shares them), a new request, a request's public conversation with a reply
// box, and its status. It uses the /requests API, which never returns
// internal notes; every customer-supplied string is set as text.

import {
    api, t, h, mount, toast, lang, loadLanguage, chooseLanguage, setZone, fmtTime, fmtAgo, languageSwitcher, loginForm, attachmentPicker,
    attachmentLinks,
} from './core.mjs';

const root = document.getElementById('app');
let me = null;
const names = new Map();

const statusLabel = (s) =>
    ({ new: t('Open'), open: t('Open'), pending: t('Awaiting your reply'), hold: t('Open'), solved: t('Solved'), closed: t('Closed') })[s] || s;

// Draws the header and a fresh <main> holding content, and returns that <main>.
// A page that loads something mounts its result into the <main> it got, never
// into the root: when the customer has moved on meanwhile, that <main> is no
// longer on screen and the late result lands nowhere.
function shell(...content) {
    const main = h('main', { class: 'content' }, ...content);
    mount(
        root,
        h(
            'header',
            { class: 'top' },
            h('a', { href: '#/', class: 'brand' }, t('Help centre')),
            h('nav', {}, h('a', { href: '#/' }, t('My requests')), h('a', { href: '#/new', 'data-testid': 'new-request' }, t('New request'))),
            h('span', { class: 'grow' }),
            languageSwitcher(async (code) => {
                api.put('users/me.json', { user: { locale: code } }).catch(() => {});
                route();
            }),
            h(
                'button',
                {
                    onclick: async () => {
                        await api.logout().catch(() => {});
                        me = null;
                        start();
                    },
                },
                t('Sign out'),
            ),
        ),
        main,
    );
    return main;
}

async function pageList() {
    const main = shell(h('p', { class: 'loading' }, t('Loading…')));
    let requests;
    try {
        requests = (await api.get('requests.json?per_page=100')).requests;
    } catch (e) {
        mount(main, h('p', { class: 'error' }, e.message));
        return;
    }
    requests.sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1));
    mount(
        main,
        h('div', { class: 'row' }, h('h1', { class: 'grow' }, t('My requests')), h('a', { href: '#/new' }, t('New request'))),
        requests.length
            ? h(
                  'table',
                  { class: 'list', 'data-testid': 'request-list' },
                  h('thead', {}, h('tr', {}, h('th', {}, t('Subject')), h('th', {}, t('Status')), h('th', { class: 'wide' }, t('Updated')))),
                  h(
                      'tbody',
                      {},
                      requests.map((r) =>
                          h(
                              'tr',
                              { onclick: () => (location.hash = `#/request/${r.id}`) },
                              h(
                                  'td',
                                  {},
                                  h('a', { href: `#/request/${r.id}` }, r.subject || t('(no subject)')),
                                  r.requester_id !== me.id ? h('div', { class: 'muted' }, t('From your organization')) : null,
                              ),
                              h('td', {}, h('span', { class: `pill status-${r.status}` }, statusLabel(r.status))),
                              h('td', { class: 'wide', title: fmtTime(r.updated_at) }, fmtAgo(Date.parse(r.updated_at))),
                          ),
                      ),
                  ),
              )
            : h('p', { class: 'muted' }, t('You have no requests yet.')),
    );
}

function pageNew() {
    const subject = h('input', { required: true, maxlength: 255, 'data-testid': 'subject' });
    const body = h('textarea', { required: true, 'data-testid': 'description' });
    const files = attachmentPicker();
    shell(
        h('h1', {}, t('New request')),
        h(
            'form',
            {
                class: 'card',
                onsubmit: async (e) => {
                    e.preventDefault();
                    try {
                        const uploads = await files.uploadAll();
                        const r = await api.post('requests.json', { request: { subject: subject.value, comment: { body: body.value, uploads } } });
                        toast(t('Request sent'));
                        location.hash = `#/request/${r.request.id}`;
                    } catch (ex) {
                        toast(ex.message, 'error');
                    }
                },
            },
            h('label', {}, t('Subject'), subject),
            h('label', {}, t('How can we help?'), body),
            files.el,
            h('button', { type: 'submit', class: 'primary' }, t('Send')),
        ),
    );
    subject.focus();
}

async function pageRequest(id) {
    const main = shell(h('p', { class: 'loading' }, t('Loading…')));
    let request, comments, users;
    try {
        const [r, c] = await Promise.all([api.get(`requests/${id}.json`), api.get(`requests/${id}/comments.json`)]);
        request = r.request;
        comments = c.comments;
        users = c.users || [];
    } catch (e) {
        mount(main, h('p', { class: 'error' }, e.status === 404 ? t('This request does not exist or you cannot see it.') : e.message));
        return;
    }
    for (const u of users) {
        names.set(u.id, u.name);
    }
    const reply = h('textarea', { 'data-testid': 'reply', 'aria-label': t('Reply'), placeholder: t('Write a reply…') });
    const solved = h('input', { type: 'checkbox', 'data-testid': 'solved' });
    const files = attachmentPicker();
    const closed = request.status === 'closed';
    mount(
        main,
        h(
            'div',
            { class: 'row' },
            h('h1', { class: 'grow', 'data-testid': 'request-subject' }, request.subject || t('(no subject)')),
            h('span', { class: `pill status-${request.status}`, 'data-testid': 'request-status' }, statusLabel(request.status)),
        ),
        h('p', { class: 'muted' }, t('Request #{id} · opened {when}', { id: request.id, when: fmtTime(request.created_at) })),
        h(
            'div',
            { class: 'conversation', 'data-testid': 'conversation' },
            comments.map((c) =>
                h(
                    'article',
                    { class: 'comment public', 'data-testid': 'public-comment' },
                    h('div', { class: 'meta' }, h('strong', {}, c.author_id === me.id ? t('You') : names.get(c.author_id) || t('Support')), h('span', {}, fmtTime(c.created_at))),
                    h('div', { class: 'body' }, c.body),
                    attachmentLinks(c.attachments),
                ),
            ),
        ),
        closed
            ? h('p', { class: 'muted' }, t('This request is closed. Open a new request if you need more help.'))
            : h(
                  'form',
                  {
                      class: 'composer',
                      onsubmit: async (e) => {
                          e.preventDefault();
                          const change = {};
                          if (files.files().length && !reply.value.trim()) {
                              toast(t('Write a few words to go with the files.'), 'error');
                              return;
                          }
                          if (reply.value.trim()) {
                              change.comment = { body: reply.value };
                          }
                          if (solved.checked) {
                              change.solved = true;
                          }
                          if (!Object.keys(change).length) {
                              return;
                          }
                          try {
                              if (change.comment) {
                                  change.comment.uploads = await files.uploadAll();
                              }
                              await api.put(`requests/${id}.json`, { request: change });
                              toast(t('Reply sent'));
                              pageRequest(id);
                          } catch (ex) {
                              toast(ex.message, 'error');
                          }
                      },
                  },
                  reply,
                  files.el,
                  h(
                      'div',
                      { class: 'row' },
                      request.status !== 'solved' && request.can_be_solved_by_me !== false
                          ? h('label', { class: 'row' }, solved, t('My problem is solved'))
                          : null,
                      h('span', { class: 'grow' }),
                      h('button', { type: 'submit', class: 'primary', 'data-testid': 'send' }, t('Send')),
                  ),
              ),
    );
}

function route() {
    if (!me) {
        return;
    }
    const [page, arg] = location.hash.replace(/^#\/?/, '').split('/');
    if (page === 'new') {
        pageNew();
    } else if (page === 'request' && /^\d+$/.test(arg || '')) {
        pageRequest(arg);
    } else {
        pageList();
    }
}

async function signedIn(session) {
    me = session.user;
    names.set(me.id, me.name);
    setZone(me.time_zone);
    const want = chooseLanguage(me.locale);
    if (want !== lang) {
        await loadLanguage(want);
    }
    route();
}

async function start() {
    await loadLanguage(chooseLanguage(null));
    api.onUnauthorized = () => {
        me = null;
        start();
    };
    // A one-time link from the sign-in mail: #/link/TOKEN (a fragment, so the token reaches
    // no server log and no Referer). It is traded for a session once, then leaves the address bar.
    const link = /^#\/link\/([A-Za-z0-9_-]{20,128})$/.exec(location.hash);
    let notice = '';
    if (link) {
        history.replaceState(null, '', `${location.pathname}#/`);
        try {
            signedIn(await api.loginLink(link[1]));
            return;
        } catch (ex) {
            notice = ex.status === 429 ? t('Too many failed attempts. Try again later.') : t('This sign-in link was already used or has expired. Ask for a new one below.');
        }
    }
    let session = null;
    try {
        session = await api.session();
    } catch (e) {
        mount(root, h('p', { class: 'error' }, e.message));
        return;
    }
    if (session) {
        signedIn(session);
    } else {
        loginForm(root, { title: () => t('Sign in to the help centre'), onDone: signedIn, emailLink: true, notice });
    }
}

window.addEventListener('hashchange', route);
start();

// The agent and supervisor console: views, the ticket page (conversation,
// requester, reply with macros and spell-check), the live wall and macro
// management. Routing is in the URL fragment (#/views/mine, #/ticket/5,
// #/wall, #/macros). Every customer-supplied string is set as text.

import {
    api, t, tn, h, mount, select, toast, lang, loadLanguage, chooseLanguage, setZone, fmtTime, fmtAgo,
    fmtWait, fmtNumber, languageName, localTimeIn, languageSwitcher, loginForm, LANGUAGES, attachmentPicker, attachmentLinks,
} from './core.mjs';

const root = document.getElementById('app');
const state = {
    me: null,
    groups: [],
    myGroupIds: [],
    users: new Map(), // id → user (names for lists and comments)
    staff: [],
    live: null, // EventSource
    liveHandlers: new Set(),
    cursor: 0,
    listIds: [],
    pendingKey: null,
};

const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const statusLabel = (s) =>
    ({ new: t('New'), open: t('Open'), pending: t('Pending'), hold: t('On hold'), solved: t('Solved'), closed: t('Closed') })[s] || s || '';
const priorityLabel = (p) => ({ low: t('Low'), normal: t('Normal'), high: t('High'), urgent: t('Urgent') })[p] || '—';
const channelLabel = (c) =>
    ({ api: t('API'), web: t('Web'), email: t('Email'), chat: t('Chat'), voice: t('Phone'), portal: t('Portal'), rule: t('Rule'), cli: t('Command line') })[c] || c;
const availabilityLabel = (a) => ({ online: t('Online'), away: t('Away'), busy: t('Busy'), offline: t('Offline') })[a] || a;
const isSupervisor = () => state.me && ['supervisor', 'admin'].includes(state.me.desk_role);

// ---- people ----------------------------------------------------------------

async function loadUsers(ids) {
    const missing = [...new Set(ids.filter((id) => id && !state.users.has(id)))];
    for (let i = 0; i < missing.length; i += 100) {
        const chunk = missing.slice(i, i + 100);
        try {
            const r = await api.get(`users/show_many.json?ids=${chunk.join(',')}`);
            for (const u of r.users) {
                state.users.set(u.id, u);
            }
        } catch {
            /* names fall back to ids */
        }
    }
}

const userName = (id) => (id ? (state.users.get(id) || {}).name || `#${id}` : '—');
const groupName = (id) => {
    const g = state.groups.find((x) => String(x.id) === String(id));
    return g ? g.name : id && String(id) !== '0' ? `#${id}` : t('No group');
};

// ---- shell -------------------------------------------------------------------

function shell(active, ...content) {
    const nav = [
        ['views', '#/views/mine', t('Views')],
        isSupervisor() && ['wall', '#/wall', t('Live wall')],
        isSupervisor() && ['macros', '#/macros', t('Macros')],
        isSupervisor() && ['admin', '#/admin', t('Admin')],
    ].filter(Boolean);
    const search = h('input', {
        type: 'search',
        placeholder: t('Search tickets'),
        'aria-label': t('Search tickets'),
        'data-testid': 'search',
        onkeydown: (e) => {
            if (e.key === 'Enter' && search.value.trim()) {
                location.hash = `#/search/${encodeURIComponent(search.value.trim())}`;
            }
        },
    });
    return mount(
        root,
        h(
            'header',
            { class: 'top' },
            h('span', { class: 'brand' }, 'desk'),
            h('nav', {}, nav.map(([key, href, label]) => h('a', { href, class: key === active ? 'active' : '' }, label))),
            h('div', { class: 'search' }, search),
            languageSwitcher((code) => {
                api.put('users/me.json', { user: { locale: code } }).catch(() => {});
                route();
            }),
            h('span', { class: 'me', 'data-testid': 'me' }, state.me.name),
            h('button', { onclick: signOut }, t('Sign out')),
        ),
        ...content,
    );
}

async function signOut() {
    try {
        await api.logout();
    } catch {
        /* the cookie is cleared below anyway */
    }
    stopLive();
    state.me = null;
    start();
}

// ---- live events -----------------------------------------------------------------

function startLive() {
    if (state.live) {
        return;
    }
    const es = new EventSource('/api/v2/live');
    state.live = es;
    for (const type of ['snapshot', 'ticket', 'viewing', 'floor']) {
        es.addEventListener(type, (e) => {
            let data;
            try {
                data = JSON.parse(e.data);
            } catch {
                return;
            }
            for (const fn of state.liveHandlers) {
                fn(type, data);
            }
        });
    }
    es.onopen = () => document.querySelectorAll('.live-dot').forEach((d) => d.classList.add('on'));
    es.onerror = () => document.querySelectorAll('.live-dot').forEach((d) => d.classList.remove('on'));
}

function stopLive(keepHandlers = false) {
    if (state.live) {
        state.live.close();
        state.live = null;
    }
    if (!keepHandlers) {
        state.liveHandlers.clear();
    }
}

// ---- views -------------------------------------------------------------------------

function builtInViews() {
    const views = [{ key: 'mine', title: t('My open tickets'), query: 'assignee:me status<solved' }];
    const groups = isSupervisor() ? state.groups : state.groups.filter((g) => state.myGroupIds.includes(g.id));
    if (groups.length) {
        views.push({
            key: 'unassigned',
            title: t('Unassigned in my groups'),
            queries: groups.map((g) => `group:${g.id} assignee:none status<solved`),
        });
    } else {
        views.push({ key: 'unassigned', title: t('Unassigned'), query: 'assignee:none status<solved' });
    }
    views.push({ key: 'sla', title: t('SLA at risk'), special: 'sla' });
    views.push({ key: 'drafts', title: t('Pending drafts'), special: 'drafts' });
    for (const g of groups) {
        views.push({ key: `group-${g.id}`, title: g.name, query: `group:${g.id} status<solved`, group: true });
    }
    return views;
}

async function runQuery(query) {
    const r = await api.get(`search.json?query=${encodeURIComponent(`type:ticket ${query}`)}&sort_by=updated_at&sort_order=desc&per_page=100`);
    return { tickets: r.results.filter((x) => x.result_type === 'ticket'), count: r.count };
}

// SLA at risk: unsolved tickets with a running target past its policy's at-risk share or
// breached (the SLA capability's clocks on the ticket JSON), the soonest deadline first.
async function slaTickets() {
    const r = await api.get(`search.json?query=${encodeURIComponent('type:ticket status<solved')}&include=slas&sort_by=updated_at&sort_order=desc&per_page=100`);
    const out = [];
    for (const x of r.results.filter((y) => y.result_type === 'ticket')) {
        const running = ((x.slas && x.slas.policy_metrics) || []).filter((m) => m.stage === 'active' && (m.at_risk || m.breached));
        if (running.length) {
            running.sort((a, b) => (a.breach_at < b.breach_at ? -1 : 1));
            const m = running[0];
            x._due = Date.parse(m.breach_at);
            x._note = m.breached
                ? t('Breached {when}', { when: fmtAgo(x._due) })
                : t('At risk: due {when}', { when: fmtAgo(x._due) });
            x._noteClass = m.breached ? 'badge breached' : 'badge at-risk';
            out.push(x);
        }
    }
    out.sort((a, b) => a._due - b._due);
    return { tickets: out, count: out.length };
}

// Pending drafts: trainees' replies waiting for approval (the team capability's drafts).
async function draftTickets() {
    const drafts = (await api.get('drafts.json?state=pending')).drafts || [];
    const ids = [...new Set(drafts.map((d) => d.ticket_id))].slice(0, 100);
    if (!ids.length) {
        return { tickets: [], count: 0 };
    }
    await loadUsers(drafts.map((d) => d.author_id));
    const tickets = (await api.get(`tickets/show_many.json?ids=${ids.join(',')}`)).tickets;
    for (const x of tickets) {
        const mine = drafts.filter((d) => d.ticket_id === x.id);
        x._note = tn('Draft by {names}', 'Drafts by {names}', mine.length, { names: [...new Set(mine.map((d) => userName(d.author_id)))].join(', ') });
        x._noteClass = 'badge draft';
    }
    return { tickets, count: drafts.length };
}

async function viewTickets(view) {
    if (view.special === 'sla') {
        return slaTickets();
    }
    if (view.special === 'drafts') {
        return draftTickets();
    }
    if (view.saved) {
        const r = await api.get(`views/${view.id}/tickets.json?per_page=100`);
        return { tickets: r.tickets, count: r.count };
    }
    if (view.queries) {
        const parts = await Promise.all(view.queries.map(runQuery));
        const seen = new Set();
        const tickets = parts.flatMap((p) => p.tickets).filter((x) => !seen.has(x.id) && seen.add(x.id));
        tickets.sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1));
        return { tickets, count: tickets.length };
    }
    return runQuery(view.query);
}

async function pageViews(key, searchText) {
    // The shell goes up before anything is fetched, and each result is mounted into this
    // page's own elements: when the agent has moved on meanwhile they are off screen, and
    // a late answer neither redraws over the newer page nor touches the shared state.
    const side = h('aside', { class: 'side' });
    const main = h('main', { class: 'content' }, h('p', { class: 'loading' }, t('Loading…')));
    shell('views', h('div', { class: 'layout' }, side, main));
    const current = () => document.body.contains(main);
    let saved = [];
    try {
        saved = (await api.get('views/active.json')).views;
    } catch {
        saved = [];
    }
    const views = builtInViews();
    for (const v of saved) {
        views.push({ key: `saved-${v.id}`, id: v.id, title: v.title, query: v.query, saved: true, shared: !v.restriction });
    }
    let view = views.find((v) => v.key === key) || views[0];
    if (searchText !== undefined) {
        view = { key: 'search', title: t('Search: {q}', { q: searchText }), query: searchText };
    }
    mount(
        side,
        h('h3', {}, t('Views')),
        views.filter((v) => !v.saved && !v.group).map((v) => h('a', { href: `#/views/${v.key}`, class: v.key === view.key ? 'active' : '' }, v.title)),
        views.some((v) => v.group) && h('h3', {}, t('Group queues')),
        views.filter((v) => v.group).map((v) => h('a', { href: `#/views/${v.key}`, class: v.key === view.key ? 'active' : '' }, v.title)),
        h('h3', {}, t('Saved views')),
        views.filter((v) => v.saved).map((v) => h('a', { href: `#/views/${v.key}`, class: v.key === view.key ? 'active' : '' }, v.title)),
        newViewForm(),
    );
    let result;
    try {
        result = await viewTickets(view);
    } catch (e) {
        mount(main, h('h1', {}, view.title), h('p', { class: 'error' }, e.message));
        return;
    }
    await loadUsers(result.tickets.flatMap((x) => [x.requester_id, x.assignee_id]));
    if (!current()) {
        return;
    }
    state.listIds = result.tickets.map((x) => x.id);
    state.cursor = 0;
    const rows = result.tickets.map((x, i) =>
        h(
            'tr',
            { 'data-id': x.id, class: i === 0 ? 'cursor' : '', onclick: () => (location.hash = `#/ticket/${x.id}`) },
            h('td', { class: 'num' }, `#${x.id}`),
            h('td', {}, h('a', { href: `#/ticket/${x.id}`, class: 'subject' }, x.subject || t('(no subject)')), x._note && h('div', { class: x._noteClass, 'data-testid': 'view-note' }, x._note)),
            h('td', { class: 'wide' }, userName(x.requester_id)),
            h('td', {}, h('span', { class: `pill status-${x.status}` }, statusLabel(x.status))),
            h('td', { class: 'wide' }, priorityLabel(x.priority)),
            h('td', { class: 'wide' }, x.language ? languageName(x.language) : '—'),
            h('td', { class: 'wide', title: fmtTime(x.updated_at) }, fmtAgo(Date.parse(x.updated_at))),
        ),
    );
    mount(
        main,
        h(
            'div',
            { class: 'row' },
            h('h1', { class: 'grow' }, view.title),
            h('span', { class: 'muted', 'data-testid': 'view-count' }, view.special === 'drafts' ? tn('{n} draft', '{n} drafts', result.count) : tn('{n} ticket', '{n} tickets', result.count)),
            view.saved && h('button', { class: 'danger', onclick: () => deleteView(view) }, t('Delete view')),
        ),
        view.query && h('p', { class: 'muted' }, h('code', {}, view.query)),
        rows.length
            ? h(
                  'table',
                  { class: 'list', 'data-testid': 'ticket-list' },
                  h(
                      'thead',
                      {},
                      h(
                          'tr',
                          {},
                          h('th', {}, t('ID')),
                          h('th', {}, t('Subject')),
                          h('th', { class: 'wide' }, t('Requester')),
                          h('th', {}, t('Status')),
                          h('th', { class: 'wide' }, t('Priority')),
                          h('th', { class: 'wide' }, t('Language')),
                          h('th', { class: 'wide' }, t('Updated')),
                      ),
                  ),
                  h('tbody', {}, rows),
              )
            : h('p', { class: 'muted' }, t('No tickets here.')),
    );
}

function newViewForm() {
    const title = h('input', { placeholder: t('Title'), 'aria-label': t('Title') });
    const query = h('input', { placeholder: 'status<solved tags:vip', 'aria-label': t('Search query') });
    const shared = h('input', { type: 'checkbox' });
    return h(
        'details',
        {},
        h('summary', {}, t('New view')),
        h(
            'form',
            {
                onsubmit: async (e) => {
                    e.preventDefault();
                    try {
                        const body = { view: { title: title.value, query: query.value } };
                        if (isSupervisor()) {
                            body.view.restriction = shared.checked ? null : { type: 'User', id: state.me.id };
                        }
                        const r = await api.post('views.json', body);
                        location.hash = `#/views/saved-${r.view.id}`;
                    } catch (ex) {
                        toast(ex.message, 'error');
                    }
                },
            },
            title,
            query,
            isSupervisor() && h('label', { class: 'row' }, shared, t('Share with all agents')),
            h('button', { type: 'submit' }, t('Save view')),
        ),
    );
}

async function deleteView(view) {
    if (!confirm(t('Delete the view “{title}”?', { title: view.title }))) {
        return;
    }
    try {
        await api.del(`views/${view.id}.json`);
        location.hash = '#/views/mine';
    } catch (e) {
        toast(e.message, 'error');
    }
}

// ---- ticket page -------------------------------------------------------------------

/** Renders any JSON value as text (objects as a definition list); customer text stays text. */
// The fields other capabilities put on a ticket, named in the viewer's language. A key
// not listed here shows as written; prose the server wrote (a routing reason) is English
// and sits behind "Details (in English)" for other languages.
const FIELD_LABELS = () => ({
    state: t('State'), status: t('Status'), reason: t('Reason'), agent_id: t('Agent'), language_unmatched: t('Language not matched'),
    decided_at: t('Decided'), score: t('Score'), label: t('Mood'), abusive: t('Abusive'), triggers: t('Triggers'), trend: t('Trend'),
    abusive_messages: t('Abusive messages'), supervisor_request: t('Asked for a supervisor'), history: t('History'), at: t('Time'),
    open: t('Open'), done: t('Kept'), missed: t('Missed'), cancelled: t('Cancelled'), next: t('Next'), id: t('ID'), ticket_id: t('Ticket'),
    created_at: t('Created'), updated_at: t('Updated'), due_at: t('Due'), kind: t('Kind'), message: t('Message'), owner_id: t('Owner'),
    complaint: t('Complaint'), complaint_agent_id: t('Complaint about'), about_user_id: t('About'), resolution: t('Resolution'),
    concession: t('Concession'), unread: t('Unread'), read: t('Read'), read_at: t('Read'), recipient_id: t('Recipient'),
    commitment_id: t('Commitment'), group_id: t('Group'), supervisor_id: t('Supervisor'), accepted_at: t('Accepted'), closed_at: t('Closed'),
    priority: t('Priority'), amount: t('Amount'), currency: t('Currency'), type: t('Type'), note: t('Note'), source: t('Source'),
    assignee_id: t('Assignee'), requested_by: t('Requested by'), accepted_by: t('Accepted by'), closed_by: t('Closed by'),
    outcome: t('Outcome'), title: t('Title'), body: t('Text'), user_id: t('Person'), author_id: t('Author'),
    requested_by_id: t('Requested by'), previous_assignee_id: t('Previous assignee'), previous_priority: t('Previous priority'),
    accepted_by_id: t('Accepted by'), time_to_accept_seconds: t('Accepted after (seconds)'), closed_by_id: t('Closed by'),
    escalation_id: t('Escalation'), outcome_note: t('Note'), decided_by_id: t('Decided by'), amount_minor: t('Amount (minor units)'),
    approval_level: t('Approval by'), decision_note: t('Note'), expires_at: t('Expires'), expires_in: t('Expires in'),
    granted_amount: t('Granted amount'), granted_minor: t('Granted (minor units)'), held_reply: t('Held reply'),
    proposed_by_id: t('Proposed by'),
});
const VALUE_LABELS = () => ({
    calm: t('Calm'), negative: t('Negative'), irate: t('Irate'), steady: t('Steady'), worsening: t('Worsening'), improving: t('Improving'),
    assigned: t('Assigned'), no_agent: t('No agent available'), language_unmatched: t('No agent speaks the language'),
    skills_unmatched: t('No agent has the skills'), at_capacity: t('Agents at capacity'), manual: t('Assigned by hand'), paused: t('Paused'),
    accepted: t('Accepted'), resolved: t('Resolved'), returned: t('Returned'), agent: t('Agent'), customer: t('Customer'),
    sentiment: t('Sentiment'), rule: t('Rule'), difficult_customer: t('Difficult customer'), policy_exception: t('Policy exception'),
    legal: t('Legal'), technical: t('Technical'), customer_request: t('Customer request'), sla_risk: t('SLA at risk'),
    complaint: t('Complaint'), upheld: t('Upheld'), not_upheld: t('Not upheld'), coaching: t('Coaching'), formal_warning: t('Formal warning'),
    pending: t('Pending'), open: t('Open'), approved: t('Approved'), denied: t('Denied'), question: t('Question'), incident: t('Incident'), problem: t('Problem'), task: t('Task'), granted: t('Granted'), countered: t('Countered'),
    expired: t('Expired'), done: t('Kept'), missed: t('Missed'), cancelled: t('Cancelled'),
});
// One audit event as a line in the viewer's language ("Stav: Nový → Otevřený").
const AUDIT_FIELDS = () => ({
    ...FIELD_LABELS(),
    subject: t('Subject'), tags: t('Tags'), language: t('Language'), deleted: t('Deleted'), requester_id: t('Requester'),
    submitter_id: t('Submitter'), is_public: t('Public'), collaborator_ids: t('Followers'), organization_id: t('Organization'),
    external_id: t('External ID'), problem_id: t('Problem'), description: t('Description'),
});
function auditValue(field, v) {
    if (v === null || v === undefined || v === '') {
        return '—';
    }
    if (Array.isArray(v)) {
        return v.map((x) => auditValue(field, x)).join(', ');
    }
    if (field === 'status') {
        return statusLabel(v);
    }
    if (field === 'priority') {
        return priorityLabel(v);
    }
    if (field === 'group_id') {
        return groupName(v);
    }
    if (field === 'language') {
        return languageName(v);
    }
    if (/_ids?$/.test(field) && /^\d+$/.test(String(v)) && !['problem_id', 'organization_id'].includes(field)) {
        return userName(Number(v));
    }
    if (v === true || v === 'true') {
        return t('Yes');
    }
    if (v === false || v === 'false') {
        return t('No');
    }
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v)) {
        return fmtTime(v);
    }
    return VALUE_LABELS()[v] || String(v);
}
function auditLine(ev) {
    if (!ev.field_name) {
        return ev.type === 'Notification' ? h('div', {}, t('Notification sent')) : null;
    }
    const name = AUDIT_FIELDS()[ev.field_name] || ev.field_name.replace(/_/g, ' ');
    return h('div', {}, ev.type === 'Create' ? `${name}: ${auditValue(ev.field_name, ev.value)}` : `${name}: ${auditValue(ev.field_name, ev.previous_value)} → ${auditValue(ev.field_name, ev.value)}`);
}

const PROSE_KEYS = new Set(['reason', 'explanation']); // written by desk itself, in English

function renderValue(v, depth = 0, key = '') {
    if (v === null || v === undefined || v === '') {
        return h('span', { class: 'muted' }, '—');
    }
    if (typeof v === 'boolean') {
        return h('span', {}, v ? t('Yes') : t('No'));
    }
    if (typeof v === 'number' && key === 'group_id') {
        return h('span', {}, groupName(v));
    }
    if (typeof v === 'number' && /(^|_)(id|by)$/.test(key) && !['id', 'ticket_id', 'commitment_id', 'escalation_id'].includes(key)) {
        return h('span', {}, userName(v));
    }
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v)) {
        return h('span', { title: v }, fmtTime(v));
    }
    if (typeof v === 'string' && VALUE_LABELS()[v]) {
        return h('span', {}, VALUE_LABELS()[v]);
    }
    if (typeof v === 'string' && PROSE_KEYS.has(key) && lang !== 'en' && /[a-z]{3,} [a-z]{3,}/i.test(v)) {
        return h('details', { class: 'prose-en' }, h('summary', {}, t('Details (in English)')), h('span', { lang: 'en' }, v));
    }
    if (typeof v !== 'object') {
        return h('span', {}, typeof v === 'number' ? fmtNumber(v) : String(v));
    }
    if (depth > 3) {
        return h('span', {}, JSON.stringify(v));
    }
    if (Array.isArray(v)) {
        return v.length ? h('ul', {}, v.map((x) => h('li', {}, renderValue(x, depth + 1, key)))) : h('span', { class: 'muted' }, '—');
    }
    const labels = FIELD_LABELS();
    return h(
        'dl',
        {},
        Object.entries(v)
            .filter(([k]) => k !== 'url')
            .flatMap(([k, x]) => [h('dt', {}, labels[k] || k.replace(/_/g, ' ')), h('dd', {}, renderValue(x, depth + 1, k))]),
    );
}

// Fields other capabilities add to the ticket JSON, shown when present.
const metricLabel = (m) =>
    ({ first_reply_time: t('First reply'), next_reply_time: t('Next reply'), periodic_update_time: t('Periodic update'), requester_wait_time: t('Requester wait'), agent_work_time: t('Agent work'), pausable_update_time: t('Pausable update') })[m] || m;

/** The SLA capability's clocks (`slas`, with ?include=slas) as lines a person reads. */
function slaCard(v) {
    const ms = (v && v.policy_metrics) || [];
    if (!ms.length) {
        return null;
    }
    return h(
        'section',
        { class: 'card', 'data-testid': 'ext-slas' },
        h('h3', {}, t('SLA')),
        h(
            'ul',
            { class: 'sla' },
            ms.map((m) =>
                h(
                    'li',
                    { class: m.breached ? 'badge breached' : m.at_risk ? 'badge at-risk' : '' },
                    `${metricLabel(m.metric)}: `,
                    m.stage === 'achieved' ? t('achieved') : m.stage === 'paused' ? t('paused') : m.breached ? t('breached') : m.at_risk ? t('at risk') : t('running'),
                    m.breach_at && m.stage !== 'achieved' ? ` · ${t('due {when}', { when: fmtTime(m.breach_at) })}` : '',
                ),
            ),
        ),
    );
}

/** Trainees' replies waiting on this ticket, with Approve and Return (the API decides who may). */
async function draftsCard(ticketId, reload) {
    let drafts;
    try {
        drafts = (await api.get(`drafts.json?state=pending&ticket_id=${ticketId}`)).drafts || [];
    } catch {
        return null;
    }
    if (!drafts.length) {
        return null;
    }
    await loadUsers(drafts.map((d) => d.author_id));
    return h(
        'section',
        { class: 'card', 'data-testid': 'drafts' },
        h('h3', {}, t('Drafts waiting for approval')),
        drafts.map((d) => {
            const text = h('textarea', { rows: 4, 'aria-label': t('Draft') }, d.body);
            const why = h('input', { placeholder: t('Why it goes back (for Return)'), 'aria-label': t('Why it goes back (for Return)') });
            const act = async (path, body) => {
                try {
                    await api.post(path, body);
                    toast(t('Done'));
                    reload();
                } catch (ex) {
                    toast(ex.message, 'error');
                }
            };
            return h(
                'div',
                { class: 'draft', 'data-testid': 'draft' },
                h('div', { class: 'muted' }, `${userName(d.author_id)} · ${fmtTime(d.created_at)}`),
                text,
                h(
                    'div',
                    { class: 'row' },
                    h('button', { class: 'primary', 'data-testid': 'draft-approve', onclick: () => act(`drafts/${d.id}/approve.json`, text.value !== d.body ? { draft: { body: text.value } } : { draft: {} }) }, t('Approve and send')),
                    why,
                    h('button', { 'data-testid': 'draft-return', onclick: () => (why.value.trim() ? act(`drafts/${d.id}/return.json`, { draft: { comment: why.value.trim() } }) : why.focus()) }, t('Return')),
                ),
            );
        }),
    );
}

const EXTENSIONS = [
    ['sla', () => t('SLA')],
    ['sla_policy', () => t('SLA policy')],
    ['sla_clocks', () => t('SLA clocks')],
    ['routing', () => t('Routing')],
    ['routing_reasons', () => t('Routing')],
    ['escalation', () => t('Escalation')],
    ['escalations', () => t('Escalation')],
    ['sentiment', () => t('Sentiment')],
    ['concessions', () => t('Concessions')],
    ['commitments', () => t('Commitments')],
];

async function pageTicket(id) {
    const main = h('main', { class: 'content' }, h('p', { class: 'loading' }, t('Loading…')));
    shell('views', main);
    let ticket, comments, audits, macros;
    try {
        [ticket, comments, audits, macros] = await Promise.all([
            api.get(`tickets/${id}.json?include=slas`).then((r) => r.ticket),
            api.get(`tickets/${id}/comments.json`).then((r) => r.comments),
            api.get(`tickets/${id}/audits.json`).then((r) => r.audits),
            api.get('macros/active.json').then((r) => r.macros).catch(() => []),
        ]);
    } catch (e) {
        mount(main, h('p', { class: 'error' }, e.status === 404 ? t('This ticket does not exist or you cannot see it.') : e.message));
        return;
    }
    const auditIds = audits.flatMap((a) => a.events.filter((ev) => /_ids?$/.test(ev.field_name || '') && !['problem_id', 'organization_id', 'group_id'].includes(ev.field_name)).flatMap((ev) => [ev.value, ev.previous_value].flat()));
    await loadUsers([ticket.requester_id, ticket.assignee_id, ...comments.map((c) => c.author_id), ...audits.map((a) => a.author_id), ...auditIds.map(Number).filter(Boolean)]);
    if (!document.body.contains(main)) {
        return; // the agent moved on while it loaded
    }
    const requester = state.users.get(ticket.requester_id) || { name: `#${ticket.requester_id}` };
    const banner = h('div', {});
    const presence = h('div', { 'data-testid': 'presence' });

    const conversation = h(
        'div',
        { class: 'conversation', 'data-testid': 'conversation' },
        comments.map((c) =>
            h(
                'article',
                { class: c.public ? 'comment public' : 'comment note', 'data-testid': c.public ? 'public-comment' : 'internal-note' },
                h(
                    'div',
                    { class: 'meta' },
                    h('strong', {}, userName(c.author_id)),
                    h('span', { class: 'kind' }, c.public ? t('Public reply') : t('Internal note')),
                    h('span', { title: c.created_at }, fmtTime(c.created_at)),
                    h('span', {}, channelLabel(c.via && c.via.channel)),
                ),
                h('div', { class: 'body' }, c.body),
                attachmentLinks(c.attachments),
            ),
        ),
    );

    // Properties: status, priority, group, assignee, tags.
    const staffOptions = [['', '—'], ...state.staff.map((u) => [u.id, u.name])];
    const fStatus = select(
        STATUSES.filter((s) => s !== 'new' || ticket.status === 'new').map((s) => [s, statusLabel(s)]),
        ticket.status,
        { 'data-testid': 'status', 'aria-label': t('Status') },
    );
    const fPriority = select([['', '—'], ...PRIORITIES.map((p) => [p, priorityLabel(p)])], ticket.priority, { 'aria-label': t('Priority') });
    const fGroup = select([['', '—'], ...state.groups.map((g) => [g.id, g.name])], ticket.group_id, { 'aria-label': t('Group') });
    const fAssignee = select(staffOptions, ticket.assignee_id, { 'data-testid': 'assignee', 'aria-label': t('Assignee') });
    const fTags = h('input', { value: (ticket.tags || []).join(' '), 'aria-label': t('Tags') });

    // Composer.
    let mode = 'public';
    const body = h('textarea', { 'data-testid': 'reply', 'aria-label': t('Reply'), placeholder: t('Write a reply…') });
    const spellBox = h('div', { class: 'spell', hidden: true, 'data-testid': 'spell' });
    const files = attachmentPicker();
    let checkedText = null;
    const composer = h('section', { class: 'composer' });
    const tabPublic = h('button', { type: 'button', class: 'active', 'data-testid': 'mode-public', onclick: () => setMode('public') }, t('Public reply'));
    const tabNote = h('button', { type: 'button', 'data-testid': 'mode-note', onclick: () => setMode('note') }, t('Internal note'));
    function setMode(m) {
        mode = m;
        composer.classList.toggle('note', m === 'note');
        tabPublic.classList.toggle('active', m === 'public');
        tabNote.classList.toggle('active', m === 'note');
        body.placeholder = m === 'note' ? t('Write an internal note (customers never see it)…') : t('Write a reply…');
    }
    const macroSelect = select([['', t('Apply macro…')], ...macros.map((m) => [m.id, m.title])], '', {
        'data-testid': 'macro',
        'aria-label': t('Apply macro…'),
        onchange: async (e) => {
            if (!e.target.value) {
                return;
            }
            try {
                const r = await api.get(`tickets/${id}/macros/${e.target.value}/apply.json`);
                const res = r.result;
                if (res.comment) {
                    body.value = body.value ? `${body.value}\n\n${res.comment.body}` : res.comment.body;
                    setMode(res.comment.public ? 'public' : 'note');
                }
                const tk = res.ticket || {};
                if (tk.status) {
                    fStatus.value = tk.status;
                }
                if (tk.priority) {
                    fPriority.value = tk.priority;
                }
                if (tk.group_id) {
                    fGroup.value = tk.group_id;
                }
                if (tk.assignee_id) {
                    fAssignee.value = tk.assignee_id;
                }
                if (tk.tags) {
                    fTags.value = tk.tags.join(' ');
                }
                toast(res.comment && res.comment.language ? t('Macro applied ({language})', { language: languageName(res.comment.language) }) : t('Macro applied'));
            } catch (ex) {
                toast(ex.message, 'error');
            }
            e.target.value = '';
        },
    });

    async function spellcheck() {
        const text = body.value;
        const r = await api.post('spellcheck.json', { text, ticket_id: Number(id), language: ticket.language || undefined });
        checkedText = text;
        const misses = r.spellcheck.misspellings;
        spellBox.hidden = false;
        if (!misses.length) {
            mount(spellBox, h('span', { class: 'muted' }, t('No spelling mistakes found.')));
            return 0;
        }
        const parts = [h('div', { class: 'muted' }, tn('{n} possible misspelling', '{n} possible misspellings', misses.length))];
        let pos = 0;
        for (const m of misses) {
            parts.push(text.slice(pos, m.utf16_offset));
            const word = text.slice(m.utf16_offset, m.utf16_offset + m.utf16_length);
            const sugg = h('span', { class: 'suggest', hidden: true });
            const span = h('span', { class: 'miss', 'data-testid': 'misspelling', title: t('Suggestions'), onclick: () => (sugg.hidden = !sugg.hidden) }, word);
            for (const s of m.suggestions) {
                sugg.appendChild(
                    h(
                        'button',
                        {
                            type: 'button',
                            'data-testid': 'suggestion',
                            onclick: () => {
                                const at = body.value.indexOf(word, Math.max(0, m.utf16_offset - 2));
                                if (at >= 0) {
                                    body.value = body.value.slice(0, at) + s + body.value.slice(at + word.length);
                                }
                                spellcheck().catch((ex) => toast(ex.message, 'error'));
                            },
                        },
                        s,
                    ),
                );
            }
            parts.push(span, sugg);
            pos = m.utf16_offset + m.utf16_length;
        }
        parts.push(text.slice(pos));
        mount(spellBox, ...parts);
        return misses.length;
    }

    const send = h('button', { class: 'primary', type: 'submit', 'data-testid': 'send' }, t('Send'));
    const form = h(
        'form',
        {
            onsubmit: async (e) => {
                e.preventDefault();
                const text = body.value.trim();
                // A public reply is spell-checked before it goes out; sending the same text again sends it.
                if (text && mode === 'public' && checkedText !== body.value) {
                    try {
                        if ((await spellcheck()) > 0) {
                            send.textContent = t('Send anyway');
                            return;
                        }
                    } catch (ex) {
                        toast(t('Spell-check unavailable: {reason}', { reason: ex.message }), 'error');
                    }
                }
                const change = {};
                if (files.files().length && !text) {
                    toast(t('Write a few words to go with the files.'), 'error');
                    return;
                }
                if (text) {
                    change.comment = { body: text, public: mode === 'public' };
                }
                if (fStatus.value !== ticket.status) {
                    change.status = fStatus.value;
                }
                if ((fPriority.value || null) !== (ticket.priority || null)) {
                    change.priority = fPriority.value || null;
                }
                if (String(fGroup.value || '') !== String(ticket.group_id || '')) {
                    change.group_id = fGroup.value ? Number(fGroup.value) : null;
                }
                if (String(fAssignee.value || '') !== String(ticket.assignee_id || '')) {
                    change.assignee_id = fAssignee.value ? Number(fAssignee.value) : null;
                }
                const tags = fTags.value.split(/\s+/).filter(Boolean);
                if (tags.join(' ') !== (ticket.tags || []).join(' ')) {
                    change.tags = tags;
                }
                if (!Object.keys(change).length) {
                    toast(t('Nothing to send.'));
                    return;
                }
                send.disabled = true;
                try {
                    if (change.comment && files.files().length) {
                        change.comment.uploads = await files.uploadAll();
                    }
                    await api.put(`tickets/${id}.json`, { ticket: change });
                    toast(text ? (mode === 'public' ? t('Reply sent') : t('Note added')) : t('Ticket updated'));
                    pageTicket(id);
                } catch (ex) {
                    toast(ex.message, 'error');
                    send.disabled = false;
                }
            },
        },
        h('div', { class: 'row tabs' }, tabPublic, tabNote, h('span', { class: 'grow' }), macroSelect),
        body,
        spellBox,
        files.el,
        h(
            'div',
            { class: 'row' },
            h('button', { type: 'button', 'data-testid': 'spellcheck', onclick: () => spellcheck().catch((ex) => toast(ex.message, 'error')) }, t('Check spelling')),
            h('span', { class: 'grow' }),
            h('label', { class: 'row' }, t('Status'), fStatus),
            send,
        ),
    );
    mount(composer, form);
    body.addEventListener('input', () => {
        send.textContent = t('Send');
    });
    body.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            form.requestSubmit();
        }
    });

    // Side cards.
    const lang = ticket.language || requester.locale;
    const cards = [
        h(
            'section',
            { class: 'card', 'data-testid': 'requester' },
            h('h3', {}, t('Requester')),
            h(
                'dl',
                {},
                h('dt', {}, t('Name')),
                h('dd', { 'data-testid': 'requester-name' }, requester.name),
                h('dt', {}, t('Email')),
                h('dd', {}, requester.email || '—'),
                h('dt', {}, t('Language')),
                h('dd', {}, lang ? languageName(lang) : '—'),
                h('dt', {}, t('Time zone')),
                h('dd', {}, requester.time_zone || '—'),
                h('dt', {}, t('Local time')),
                h('dd', {}, requester.time_zone ? localTimeIn(requester.time_zone) : '—'),
            ),
        ),
        h(
            'section',
            { class: 'card' },
            h('h3', {}, t('Properties')),
            h('label', {}, t('Priority'), fPriority),
            h('label', {}, t('Group'), fGroup),
            h('label', {}, t('Assignee'), fAssignee),
            h('label', {}, t('Tags'), fTags),
            h('p', { class: 'muted' }, t('Changes are saved with Send.')),
        ),
    ];
    // People the capabilities' fields name (an escalation's supervisor, a routing decision's agent).
    const ids = [];
    const collect = (v, k = '') => {
        if (Array.isArray(v)) {
            v.forEach((x) => collect(x, k));
        } else if (v && typeof v === 'object') {
            Object.entries(v).forEach(([kk, x]) => collect(x, kk));
        } else if (typeof v === 'number' && /(^|_)(id|by)$/.test(k) && !['id', 'ticket_id', 'commitment_id', 'escalation_id', 'group_id'].includes(k)) {
            ids.push(v);
        }
    };
    EXTENSIONS.forEach(([key]) => collect(ticket[key]));
    await loadUsers(ids);
    const sla = slaCard(ticket.slas);
    if (sla) {
        cards.push(sla);
    }
    if (ticket.pending_drafts) {
        const dc = await draftsCard(id, () => pageTicket(id));
        if (dc) {
            cards.unshift(dc);
        }
    }
    for (const [key, title] of EXTENSIONS) {
        if (ticket[key] !== undefined && ticket[key] !== null) {
            cards.push(h('section', { class: 'card', 'data-testid': `ext-${key}` }, h('h3', {}, title()), renderValue(ticket[key])));
        }
    }
    cards.push(
        h(
            'section',
            { class: 'card' },
            h('details', {}, h('summary', {}, t('History')), audits.map((a) =>
                h(
                    'div',
                    { class: 'audit' },
                    h('div', { class: 'muted' }, `${fmtTime(a.created_at)} · ${userName(a.author_id)}`),
                    a.events.filter((ev) => ev.type !== 'Comment').map(auditLine),
                    a.events.some((ev) => ev.type === 'Comment') && h('div', {}, a.events.some((ev) => ev.type === 'Comment' && ev.public === false) ? t('Internal note') : t('Public reply')),
                ),
            )),
        ),
    );
    if (!document.body.contains(main)) {
        return;
    }

    mount(
        main,
        banner,
        presence,
        h(
            'div',
            { class: 'row' },
            h('h1', { class: 'grow', 'data-testid': 'ticket-subject' }, ticket.subject || t('(no subject)')),
            h('span', { class: `pill status-${ticket.status}`, 'data-testid': 'ticket-status' }, statusLabel(ticket.status)),
            h('span', { class: 'muted' }, `#${ticket.id} · ${channelLabel(ticket.via && ticket.via.channel)} · ${fmtTime(ticket.created_at)}`),
        ),
        h('div', { class: 'ticket' }, h('div', {}, conversation, composer), h('div', { class: 'side-cards' }, cards)),
    );

    // Who else is on this ticket: each console announces itself every 15 s and when its
    // agent starts typing; a notice older than 40 s is forgotten.
    const others = new Map(); // user id → {seen, typed}
    const announce = (typing) => api.put(`tickets/${id}/viewing.json`, { viewing: { typing } }).catch(() => {});
    const drawPresence = () => {
        const now = Date.now();
        const here = [...others.entries()].filter(([, v]) => now - v.seen < 40000);
        mount(
            presence,
            here.length
                ? h(
                      'div',
                      { class: 'banner' },
                      here.map(([uid, v]) =>
                          h('div', {}, now - v.typed < 15000 ? t('{name} is writing a reply.', { name: userName(uid) }) : t('{name} is also viewing this ticket.', { name: userName(uid) })),
                      ),
                  )
                : null,
        );
    };
    let lastTyping = 0;
    body.addEventListener('input', () => {
        if (Date.now() - lastTyping > 5000) {
            lastTyping = Date.now();
            announce(true);
        }
    });
    const beat = setInterval(() => {
        if (!document.body.contains(presence)) {
            clearInterval(beat);
            return;
        }
        announce(false);
        drawPresence();
    }, 15000);

    // Someone else changing this ticket while it is open: say so.
    state.liveHandlers.clear();
    state.liveHandlers.add((type, ev) => {
        if (type === 'viewing' && ev.ticket_id === Number(id) && ev.user_id !== state.me.id) {
            const o = others.get(ev.user_id) || { seen: 0, typed: 0 };
            o.seen = Date.now();
            if (ev.typing) {
                o.typed = Date.now();
            }
            if (!others.has(ev.user_id)) {
                announce(false); // so the newcomer learns about us too
            }
            others.set(ev.user_id, o);
            drawPresence();
            return;
        }
        if (type === 'ticket' && ev.id === Number(id) && ev.actor_id !== state.me.id) {
            mount(
                banner,
                h(
                    'div',
                    { class: 'banner', 'data-testid': 'changed-banner' },
                    t('{name} just changed this ticket.', { name: userName(ev.actor_id) }),
                    ' ',
                    h('button', { onclick: () => pageTicket(id) }, t('Reload')),
                ),
            );
        }
    });
    startLive();
    // Announce once the stream is open, so the answer of someone already here (they announce
    // back to a newcomer) cannot arrive before this page listens.
    if (state.live.readyState === 1) {
        announce(false);
    } else {
        state.live.addEventListener('open', () => announce(false), { once: true });
    }
}

// ---- live wall ------------------------------------------------------------------------

async function pageWall() {
    const queues = new Map(); // "dim:key" → {dim,key,waiting,open,oldest_ms}
    const loads = new Map(); // assignee_id → {open,pending}
    let attention = null; // the maintained "needs attention" counters, from the stream
    const profiles = new Map(); // user id → staff profile (capacity, availability), read once
    api.get('staff.json?state=active&per_page=100')
        .then((r) => {
            for (const p of r.staff || []) {
                profiles.set(p.user_id, p);
            }
            draw();
        })
        .catch(() => {}); // without the team capability the columns show dashes
    const dot = h('span', { class: `live-dot${state.live && state.live.readyState === 1 ? ' on' : ''}` });
    const lastEvent = h('span', { class: 'muted', 'data-testid': 'last-event' });
    const grid = h('div', { class: 'wall', 'data-testid': 'wall' });
    shell('wall', h('main', { class: 'content' }, h('div', { class: 'row' }, h('h1', { class: 'grow' }, t('Live wall')), dot, t('Live'), lastEvent), grid));
    let flashKeys = new Set();

    // Click through: a queue opens its tickets, an agent their open tickets, the last change its ticket.
    const queueHref = (dim, key) =>
        dim === 'group'
            ? `#/search/${encodeURIComponent(Number(key) ? `group:${key} status<solved` : 'group:none status<solved')}`
            : dim === 'language'
              ? null // the search language has no language field
              : `#/search/${encodeURIComponent(`via:${['api', 'web', 'email', 'chat', 'voice', 'portal', 'rule', 'cli'][Number(key)] || key} status<solved`)}`;
    const label = (dim, key) =>
        dim === 'group' ? groupName(key) : dim === 'language' ? (key ? languageName(key) : t('Unknown')) : channelLabel(['api', 'web', 'email', 'chat', 'voice', 'portal', 'rule', 'cli'][Number(key)] || key);

    function table(dim, title) {
        const rows = [...queues.values()].filter((q) => q.dim === dim && q.open > 0).sort((a, b) => b.waiting - a.waiting || b.open - a.open);
        const total = rows.reduce((s, q) => s + q.waiting, 0);
        return h(
            'section',
            { class: 'card', 'data-testid': `wall-${dim}` },
            h('h2', {}, title),
            h('div', { class: 'big', 'data-testid': `wall-${dim}-waiting` }, fmtNumber(total)),
            h('div', { class: 'muted' }, tn('{n} waiting', '{n} waiting', total)),
            h(
                'table',
                { class: 'list' },
                h('thead', {}, h('tr', {}, h('th', {}, t('Queue')), h('th', { class: 'num' }, t('Waiting')), h('th', { class: 'num' }, t('Open')), h('th', { class: 'num' }, t('Oldest wait')))),
                h(
                    'tbody',
                    {},
                    rows.map((q) =>
                        h(
                            'tr',
                            { class: flashKeys.has(`${q.dim}:${q.key}`) ? 'flash' : '', 'data-queue': `${q.dim}:${q.key}` },
                            h('td', {}, queueHref(q.dim, q.key) ? h('a', { href: queueHref(q.dim, q.key) }, label(q.dim, q.key)) : label(q.dim, q.key)),
                            h('td', { class: 'num', 'data-testid': 'waiting' }, fmtNumber(q.waiting)),
                            h('td', { class: 'num' }, fmtNumber(q.open)),
                            h('td', { class: `num${q.oldest_ms && Date.now() - q.oldest_ms > 3600e3 ? ' overdue' : ''}`, 'data-oldest': q.oldest_ms || '' }, q.oldest_ms ? fmtWait(Date.now() - q.oldest_ms) : '—'),
                        ),
                    ),
                ),
            ),
        );
    }

    function agents() {
        const staff = state.staff.filter((u) => u.active !== false);
        return h(
            'section',
            { class: 'card', 'data-testid': 'wall-agents' },
            h('h2', {}, t('Agents')),
            h(
                'table',
                { class: 'list' },
                h(
                    'thead',
                    {},
                    h(
                        'tr',
                        {},
                        h('th', {}, t('Agent')),
                        h('th', {}, t('Status')),
                        h('th', {}, t('In status for')),
                        h('th', { class: 'num' }, t('Open / capacity')),
                        h('th', { class: 'num' }, t('Pending')),
                    ),
                ),
                h(
                    'tbody',
                    {},
                    staff.map((u) => {
                        const l = loads.get(u.id) || { open: 0, pending: 0 };
                        // Presence comes from the team capability's staff profile when it is installed.
                        const prof = profiles.get(u.id);
                        const presence = (prof && prof.availability) || (u.staff && u.staff.availability) || u.presence || u.agent_status || u.availability;
                        const p = presence && typeof presence === 'object' ? presence.status || presence.state : presence;
                        const since = presence && typeof presence === 'object' && presence.since ? Date.parse(presence.since) : 0;
                        const cap = prof && prof.capacity && prof.capacity.default !== undefined ? prof.capacity.default : null;
                        return h(
                            'tr',
                            { 'data-agent': u.id },
                            h('td', {}, h('a', { href: `#/search/${encodeURIComponent(`assignee:${u.id} status<solved`)}` }, u.name)),
                            h('td', { 'data-testid': 'agent-status' }, p ? availabilityLabel(p) : h('span', { class: 'muted' }, '—')),
                            h('td', since ? { 'data-since': since } : {}, since ? fmtWait(Date.now() - since) : '—'),
                            h('td', { class: `num${cap !== null && l.open >= cap ? ' overdue' : ''}` }, cap !== null ? `${fmtNumber(l.open)} / ${fmtNumber(cap)}` : fmtNumber(l.open)),
                            h('td', { class: 'num' }, fmtNumber(l.pending)),
                        );
                    }),
                ),
            ),
        );
    }

    // What needs a supervisor now, from counters the store keeps (never a count per refresh).
    function needs() {
        const a = attention || {};
        const item = (key, label, href) =>
            h(
                'div',
                { class: `attention-item${a[key] ? ' hot' : ''}`, 'data-testid': `attention-${key}` },
                h('div', { class: 'big' }, href && a[key] ? h('a', { href }, fmtNumber(a[key] || 0)) : fmtNumber(a[key] || 0)),
                h('div', { class: 'muted' }, label),
            );
        return h(
            'section',
            { class: 'card attention', 'data-testid': 'wall-attention' },
            h('h2', {}, t('Needs attention')),
            h(
                'div',
                { class: 'attention-row' },
                item('sla_at_risk', t('SLA targets at risk'), '#/views/sla'),
                item('sla_breached', t('SLA targets breached'), '#/views/sla'),
                item('escalations', t('Escalations waiting'), null),
                item('approvals', t('Approvals waiting'), null),
                item('irate', t('Irate customers'), null),
                item('drafts', t('Trainee drafts waiting'), '#/views/drafts'),
            ),
        );
    }

    function draw() {
        mount(grid, needs(), table('group', t('By group')), table('language', t('By language')), table('channel', t('By channel')), agents());
        flashKeys = new Set();
    }

    state.liveHandlers.clear();
    state.liveHandlers.add(async (type, data) => {
        if (type === 'viewing') {
            return;
        }
        if (type === 'floor') {
            // No ticket changed: the attention counters moved, or someone's availability did.
            attention = data.attention;
            if (data.agent) {
                const prof = profiles.get(data.agent.id) || { user_id: data.agent.id };
                prof.availability = { ...(prof.availability || {}), status: data.agent.status, since: new Date(data.agent.since_ms).toISOString() };
                profiles.set(data.agent.id, prof);
            }
            draw();
            return;
        }
        if (type === 'snapshot') {
            queues.clear();
            loads.clear();
            for (const q of data.queues) {
                queues.set(`${q.dim}:${q.key}`, q);
            }
            for (const l of data.loads) {
                loads.set(l.assignee_id, l);
            }
            attention = data.attention || null;
        } else {
            if (data.attention) {
                attention = data.attention;
            }
            for (const q of data.queues) {
                queues.set(`${q.dim}:${q.key}`, q);
                flashKeys.add(`${q.dim}:${q.key}`);
            }
            for (const l of data.loads) {
                loads.set(l.assignee_id, l);
            }
            mount(lastEvent, ' · ', h('a', { href: `#/ticket/${data.id}`, 'data-testid': 'last-event-link' }, data.deleted ? t('#{id} deleted', { id: data.id }) : t('last change #{id}', { id: data.id })));
            lastEvent.dataset.ticket = data.id;
            if (data.group_id && !state.groups.some((g) => g.id === data.group_id)) {
                await loadGroups();
            }
        }
        dot.classList.add('on');
        draw();
    });
    draw();
    // A fresh stream brings a fresh snapshot, also when one was open for another page.
    stopLive(true);
    startLive();
    const timer = setInterval(() => {
        if (!document.body.contains(grid)) {
            clearInterval(timer);
            return;
        }
        grid.querySelectorAll('td[data-since]').forEach((td) => {
            td.textContent = fmtWait(Date.now() - Number(td.dataset.since));
        });
        grid.querySelectorAll('td[data-oldest]').forEach((td) => {
            const ms = Number(td.dataset.oldest);
            if (ms) {
                td.textContent = fmtWait(Date.now() - ms);
            }
        });
    }, 1000);
}

// ---- macros ----------------------------------------------------------------------------

async function pageMacros(editId) {
    const main = h('main', { class: 'content' }, h('p', { class: 'loading' }, t('Loading…')));
    shell('macros', main);
    let macros;
    try {
        macros = (await api.get('macros.json')).macros;
    } catch (e) {
        mount(main, h('p', { class: 'error' }, e.message));
        return;
    }
    const editing = editId === 'new' ? {} : macros.find((m) => String(m.id) === String(editId));
    mount(
        main,
        h('div', { class: 'row' }, h('h1', { class: 'grow' }, t('Macros')), h('a', { href: '#/macros/new' }, t('New macro'))),
        editing ? macroForm(editing) : null,
        h(
            'table',
            { class: 'list', 'data-testid': 'macro-list' },
            h('thead', {}, h('tr', {}, h('th', {}, t('Title')), h('th', {}, t('Languages')), h('th', {}, t('Active')))),
            h(
                'tbody',
                {},
                macros.map((m) =>
                    h(
                        'tr',
                        { onclick: () => (location.hash = `#/macros/${m.id}`) },
                        h('td', {}, m.title),
                        h('td', {}, [t('Default'), ...m.variants.map((v) => languageName(v.language))].join(', ')),
                        h('td', {}, m.active ? t('Yes') : t('No')),
                    ),
                ),
            ),
        ),
    );
}

function macroForm(m) {
    const action = (f) => ((m.actions || []).find((a) => a.field === f) || {}).value;
    const title = h('input', { value: m.title || '', required: true, 'data-testid': 'macro-title' });
    const comment = h('textarea', { 'data-testid': 'macro-comment' });
    comment.value = action('comment_value') || '';
    const isPublic = h('input', { type: 'checkbox', checked: action('comment_mode_is_public') !== 'false' });
    const active = h('input', { type: 'checkbox', checked: m.active !== false });
    const status = select([['', '—'], ...STATUSES.filter((s) => s !== 'new').map((s) => [s, statusLabel(s)])], action('status'));
    const tags = h('input', { value: action('current_tags') || '' });
    const variants = h('div', {});
    const addVariant = (language = '', text = '') => {
        const l = select(
            [...LANGUAGES.filter(([c]) => c !== 'en').map(([c, n]) => [c, n]), ['en', 'English']],
            language || 'cs',
            { 'aria-label': t('Language') },
        );
        const c = h('textarea', { 'aria-label': t('Reply text') });
        c.value = text;
        const row = h('div', { class: 'card variant' }, h('div', { class: 'row' }, l, h('button', { type: 'button', class: 'danger', onclick: () => row.remove() }, t('Remove'))), c);
        variants.appendChild(row);
    };
    for (const v of m.variants || []) {
        addVariant(v.language, v.comment);
    }
    return h(
        'form',
        {
            class: 'card',
            'data-testid': 'macro-form',
            onsubmit: async (e) => {
                e.preventDefault();
                const actions = [{ field: 'comment_value', value: comment.value }, { field: 'comment_mode_is_public', value: isPublic.checked ? 'true' : 'false' }];
                if (status.value) {
                    actions.push({ field: 'status', value: status.value });
                }
                if (tags.value.trim()) {
                    actions.push({ field: 'current_tags', value: tags.value.trim() });
                }
                const vs = [...variants.querySelectorAll('.variant')].map((row) => ({
                    language: row.querySelector('select').value,
                    comment: row.querySelector('textarea').value,
                }));
                const body = { macro: { title: title.value, active: active.checked, actions, variants: vs } };
                try {
                    if (m.id) {
                        await api.put(`macros/${m.id}.json`, body);
                    } else {
                        await api.post('macros.json', body);
                    }
                    toast(t('Macro saved'));
                    location.hash = '#/macros';
                } catch (ex) {
                    toast(ex.message, 'error');
                }
            },
        },
        h('h2', {}, m.id ? t('Edit macro') : t('New macro')),
        h('label', {}, t('Title'), title),
        h('label', {}, t('Reply text (default language)'), comment),
        h('p', { class: 'muted' }, t('Placeholders: {{ticket.requester.name}}, {{ticket.id}}, {{current_user.name}}')),
        h('label', { class: 'row' }, isPublic, t('Public reply')),
        h('label', {}, t('Set status'), status),
        h('label', {}, t('Add tags'), tags),
        h('label', { class: 'row' }, active, t('Active')),
        h('h3', {}, t('Language variants')),
        variants,
        h('button', { type: 'button', onclick: () => addVariant() }, t('Add language')),
        h(
            'div',
            { class: 'row' },
            h('span', { class: 'grow' }),
            m.id &&
                h(
                    'button',
                    {
                        type: 'button',
                        class: 'danger',
                        onclick: async () => {
                            if (confirm(t('Delete the macro “{title}”?', { title: m.title }))) {
                                await api.del(`macros/${m.id}.json`).catch((ex) => toast(ex.message, 'error'));
                                location.hash = '#/macros';
                            }
                        },
                    },
                    t('Delete'),
                ),
            h('button', { type: 'submit', class: 'primary' }, t('Save')),
        ),
    );
}

// ---- keyboard --------------------------------------------------------------------------

function showHelp() {
    const keys = [
        ['/', t('Search')],
        ['j / k', t('Next / previous ticket in a list')],
        ['o, Enter', t('Open the selected ticket')],
        ['r', t('Reply')],
        ['n', t('Internal note')],
        ['Ctrl+Enter', t('Send')],
        ['g v', t('Go to views')],
        ['g w', t('Go to the live wall')],
        ['u', t('Back to the list')],
        ['?', t('This help')],
    ];
    const box = h(
        'div',
        { class: 'card help', role: 'dialog', 'aria-label': t('Keyboard shortcuts'), onclick: () => box.remove() },
        h('h2', {}, t('Keyboard shortcuts')),
        h('table', {}, keys.map(([k, d]) => h('tr', {}, h('td', {}, h('kbd', {}, k)), h('td', {}, d)))),
    );
    document.body.appendChild(box);
}

document.addEventListener('keydown', (e) => {
    const target = e.target;
    if (!state.me || e.ctrlKey || e.metaKey || e.altKey || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) {
        if (e.key === 'Escape' && target.blur) {
            target.blur();
        }
        return;
    }
    const rows = [...document.querySelectorAll('table[data-testid="ticket-list"] tbody tr')];
    const moveTo = (i) => {
        if (!rows.length) {
            return;
        }
        state.cursor = Math.max(0, Math.min(rows.length - 1, i));
        rows.forEach((r, k) => r.classList.toggle('cursor', k === state.cursor));
        rows[state.cursor].scrollIntoView({ block: 'nearest' });
    };
    if (state.pendingKey === 'g') {
        state.pendingKey = null;
        if (e.key === 'v') {
            location.hash = '#/views/mine';
        } else if (e.key === 'w') {
            location.hash = '#/wall';
        }
        return;
    }
    switch (e.key) {
        case '/':
            e.preventDefault();
            document.querySelector('[data-testid="search"]')?.focus();
            break;
        case 'j':
            moveTo(state.cursor + 1);
            break;
        case 'k':
            moveTo(state.cursor - 1);
            break;
        case 'o':
        case 'Enter':
            if (rows[state.cursor]) {
                location.hash = `#/ticket/${rows[state.cursor].dataset.id}`;
            }
            break;
        case 'r':
        case 'n': {
            const mode = document.querySelector(`[data-testid="mode-${e.key === 'r' ? 'public' : 'note'}"]`);
            if (mode) {
                e.preventDefault();
                mode.click();
                document.querySelector('[data-testid="reply"]')?.focus();
            }
            break;
        }
        case 'u':
            history.back();
            break;
        case 'g':
            state.pendingKey = 'g';
            break;
        case '?':
            showHelp();
            break;
        default:
            break;
    }
});

// ---- routing and start -------------------------------------------------------------------

async function loadGroups() {
    try {
        state.groups = (await api.get('groups.json')).groups;
        state.myGroupIds = (await api.get(`users/${state.me.id}/group_memberships.json`)).group_memberships.map((m) => m.group_id);
    } catch {
        state.groups = state.groups || [];
    }
}

async function loadStaff() {
    try {
        const [agents, admins] = await Promise.all([api.get('users.json?role=agent&per_page=100'), api.get('users.json?role=admin&per_page=100')]);
        state.staff = [...agents.users, ...admins.users].filter((u) => u.active);
        for (const u of state.staff) {
            state.users.set(u.id, u);
        }
    } catch {
        state.staff = [];
    }
}

function route() {
    if (!state.me) {
        return;
    }
    const parts = location.hash.replace(/^#\/?/, '').split('/');
    const [page, arg] = parts;
    if (page !== 'wall' && page !== 'ticket') {
        state.liveHandlers.clear();
    }
    if (page === 'ticket' && /^\d+$/.test(arg || '')) {
        pageTicket(arg);
    } else if (page === 'wall') {
        pageWall();
    } else if (page === 'macros') {
        pageMacros(arg);
    } else if (page === 'admin' && isSupervisor()) {
        // Loaded on first use, so it costs nothing on the first load (and drawn only if the
        // user is still here when it has loaded).
        const at = location.hash;
        import('./admin.mjs')
            .then((m) => location.hash === at && m.pageAdmin({ shell, state, loadUsers, userName, loadGroups, statusLabel }, parts.slice(1)))
            .catch((e) => toast(e.message, 'error'));
    } else if (page === 'search' && arg) {
        pageViews('search', decodeURIComponent(parts.slice(1).join('/')));
    } else {
        pageViews(arg || 'mine');
    }
}

async function signedIn(session) {
    state.me = session.user;
    if (state.me.role === 'end-user') {
        location.href = '/portal/';
        return;
    }
    setZone(state.me.time_zone);
    const want = chooseLanguage(state.me.locale);
    if (want !== lang) {
        await loadLanguage(want);
    }
    await Promise.all([loadGroups(), loadStaff()]);
    route();
}

// An invitation link (#/invitation/TOKEN, from the invitation mail or the admin's Staff
// screen): the new colleague chooses a password, once, then signs in with it.
function pageInvite(token) {
    const pw = h('input', { type: 'password', name: 'new-password', autocomplete: 'new-password', minlength: 10, required: true, 'data-testid': 'invite-password' });
    const again = h('input', { type: 'password', name: 'repeat-password', autocomplete: 'new-password', required: true, 'data-testid': 'invite-again' });
    const err = h('p', { class: 'error', role: 'alert' });
    const form = h(
        'form',
        {
            class: 'login card',
            onsubmit: async (e) => {
                e.preventDefault();
                err.textContent = '';
                if (pw.value !== again.value) {
                    err.textContent = t('The passwords do not match.');
                    return;
                }
                try {
                    const r = await api.post(`staff/invitations/${encodeURIComponent(token)}/accept`, { invitation: { password: pw.value } });
                    history.replaceState(null, '', `${location.pathname}#/`);
                    toast(t('Welcome! Sign in with your new password.'));
                    loginForm(root, { title: () => t('Sign in to desk'), onDone: signedIn });
                    const email = root.querySelector('input[type=email]');
                    if (email && r.user && r.user.email) {
                        email.value = r.user.email;
                        root.querySelector('input[type=password]').focus();
                    }
                } catch (ex) {
                    err.textContent = ex.status === 404 ? t('This invitation link is invalid, used or expired. Ask your supervisor for a new one.') : ex.message;
                }
            },
        },
        h('h1', {}, t('Welcome to desk')),
        h('p', { class: 'muted' }, t('Choose a password (at least 10 characters) to finish your invitation.')),
        h('label', {}, t('Password'), pw),
        h('label', {}, t('Password again'), again),
        err,
        h('button', { type: 'submit', class: 'primary' }, t('Save password')),
    );
    mount(root, h('div', { class: 'login-wrap' }, h('div', { class: 'login-top' }, languageSwitcher(() => pageInvite(token))), form));
    pw.focus();
}

async function start() {
    await loadLanguage(chooseLanguage(null));
    const invite = /^#\/invitation\/([A-Za-z0-9_-]{10,128})$/.exec(location.hash);
    if (invite) {
        pageInvite(invite[1]);
        return;
    }
    api.onUnauthorized = () => {
        stopLive();
        state.me = null;
        start();
    };
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
        loginForm(root, { title: () => t('Sign in to desk'), onDone: signedIn });
    }
}

window.addEventListener('hashchange', route);
start();

// Admin screens (#/admin/SECTION[/ID]): a list and a create/edit form for each
// setting desk has — staff, groups, skills (routing attributes), business
// hours and holidays, SLA policies, macros, mailboxes, concession limits —
// through the same API any other client uses. Loaded on first use. A section
// whose API answers 404 or 403 says it is not available, so the page degrades
// where a capability is missing or the viewer's role may not see it.

import { api, t, h, mount, toast, select, languageName, fmtTime, lang } from './core.mjs';

// ---- field kinds: how a value is shown in a form and read back ----------------------------

const DAYS = [
    [1, () => t('Monday')],
    [2, () => t('Tuesday')],
    [3, () => t('Wednesday')],
    [4, () => t('Thursday')],
    [5, () => t('Friday')],
    [6, () => t('Saturday')],
    [0, () => t('Sunday')],
];

const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Zendesk intervals (minutes from Sunday 00:00) → {day: "09:00-12:00 13:00-17:00"}. */
function intervalsToDays(intervals) {
    const out = {};
    for (const iv of intervals || []) {
        const day = Math.floor(iv.start_time / 1440) % 7;
        const text = `${hhmm(iv.start_time % 1440)}-${hhmm((iv.end_time - day * 1440) % 1440 || (iv.end_time > iv.start_time ? 1440 : 0))}`;
        out[day] = out[day] ? `${out[day]} ${text}` : text;
    }
    return out;
}

/** The inverse; throws an Error naming the day on bad text. */
function daysToIntervals(days) {
    const out = [];
    for (const [day, label] of DAYS) {
        for (const part of (days[day] || '').split(/[\s,;]+/).filter(Boolean)) {
            const m = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(part);
            if (!m) {
                throw new Error(t('{day}: write hours as 09:00-17:00', { day: label() }));
            }
            const start = Number(m[1]) * 60 + Number(m[2]);
            let end = Number(m[3]) * 60 + Number(m[4]);
            if (end <= start) {
                end += 1440; // past midnight
            }
            out.push({ start_time: day * 1440 + start, end_time: day * 1440 + end });
        }
    }
    return out;
}

const KINDS = {
    text: {
        input: (f, v) => h('input', { value: v ?? '', required: f.required, maxlength: 255 }),
        read: (el) => el.value.trim(),
    },
    email: {
        input: (f, v) => h('input', { type: 'email', value: v ?? '', required: f.required }),
        read: (el) => el.value.trim(),
    },
    password: {
        input: (f) => h('input', { type: 'password', autocomplete: 'new-password', placeholder: f.placeholder ? f.placeholder() : '' }),
        read: (el) => el.value,
        skipEmpty: true,
    },
    number: {
        input: (f, v) => h('input', { type: 'number', value: v ?? '', min: f.min, max: f.max, required: f.required }),
        read: (el) => (el.value === '' ? null : Number(el.value)),
    },
    date: {
        input: (f, v) => h('input', { type: 'date', value: v ?? '', required: f.required }),
        read: (el) => el.value,
    },
    checkbox: {
        input: (f, v) => h('input', { type: 'checkbox', checked: Boolean(v) }),
        read: (el) => el.checked,
    },
    textarea: {
        input: (f, v) => h('textarea', { rows: 3 }, v ?? ''),
        read: (el) => el.value,
    },
    select: {
        input: (f, v) => select(f.options().map(([k, label]) => [k, label]), v ?? ''),
        read: (el) => el.value || null,
    },
    json: {
        input: (f, v) => h('textarea', { rows: 6, class: 'code', spellcheck: 'false' }, JSON.stringify(v ?? f.empty ?? null, null, 2)),
        read: (el, f) => {
            try {
                return JSON.parse(el.value || 'null');
            } catch {
                throw new Error(t('{field}: not valid JSON', { field: f.label() }));
            }
        },
    },
    languages: {
        // "cs:native en:fluent" ↔ [{tag, proficiency}]
        input: (f, v) => h('input', { value: (v || []).map((l) => `${l.tag}:${l.proficiency}`).join(' '), placeholder: 'cs:native en:fluent' }),
        read: (el) =>
            el.value
                .split(/[\s,]+/)
                .filter(Boolean)
                .map((p) => {
                    const [tag, proficiency] = p.split(':');
                    return { tag, proficiency: proficiency || 'fluent' };
                }),
    },
    capacity: {
        // "default=5 email=8 chat=3" ↔ {default: 5, email: 8, chat: 3}
        input: (f, v) => h('input', { value: Object.entries(v || {}).map(([k, n]) => `${k}=${n}`).join(' '), placeholder: 'default=5 email=8 chat=3' }),
        read: (el) => Object.fromEntries(el.value.split(/[\s,]+/).filter(Boolean).map((p) => [p.split('=')[0], Number(p.split('=')[1])])),
    },
    amount: {
        input: (f, v) => h('input', { value: v ?? '', inputmode: 'decimal' }),
        read: (el) => el.value.trim() || null,
    },
    ids: {
        input: (f, v) => h('input', { value: (v || []).join(' '), placeholder: '3 7' }),
        read: (el) => el.value.split(/[\s,]+/).filter(Boolean),
    },
    week: {
        input: (f, v) => {
            const days = intervalsToDays(v);
            const box = h('div', { class: 'week' });
            for (const [day, label] of DAYS) {
                box.appendChild(h('label', { class: 'row' }, h('span', { class: 'day' }, label()), h('input', { 'data-day': day, value: days[day] || '', placeholder: t('closed') })));
            }
            return box;
        },
        read: (el) => daysToIntervals(Object.fromEntries([...el.querySelectorAll('input')].map((i) => [i.dataset.day, i.value]))),
    },
};

// ---- the sections --------------------------------------------------------------------------

const roleLabel = (r) => ({ 'end-user': t('Customer'), agent: t('Agent'), supervisor: t('Supervisor'), admin: t('Administrator') })[r] || r || '—';
const stateLabel = (s) => ({ invited: t('Invited'), active: t('Active'), suspended: t('Suspended'), offboarded: t('Offboarded') })[s] || s || '—';
const yesNo = (b) => (b ? t('Yes') : t('No'));
const priorityLabel = (p) => ({ low: t('Low'), normal: t('Normal'), high: t('High'), urgent: t('Urgent') })[p] || p;
const minutes = (n) => new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(n);
const metricLabel = (m) =>
    ({ first_reply_time: t('First reply'), next_reply_time: t('Next reply'), periodic_update_time: t('Periodic update'), requester_wait_time: t('Requester wait'), agent_work_time: t('Agent work'), pausable_update_time: t('Pausable update') })[m] || m;

const SECTIONS = [
    {
        key: 'staff',
        title: () => t('Staff'),
        list: 'staff.json?per_page=100',
        listKey: 'staff',
        id: (x) => x.user_id,
        columns: [
            [() => t('Name'), (x) => x.name],
            [() => t('Email'), (x) => x.email || '—'],
            [() => t('Role'), (x) => roleLabel(x.desk_role)],
            [() => t('State'), (x) => stateLabel(x.state)],
            [() => t('Languages'), (x) => (x.languages || []).map((l) => languageName(l.tag)).join(', ') || '—'],
            [() => t('Capacity'), (x) => (x.capacity && x.capacity.default !== undefined ? String(x.capacity.default) : '—')],
        ],
        // New staff join by invitation: they set their own password from the link.
        create: {
            path: 'staff/invitations.json',
            root: 'invitation',
            label: () => t('Invite a member of staff'),
            fields: [
                { name: 'name', label: () => t('Name'), kind: 'text', required: true },
                { name: 'email', label: () => t('Email'), kind: 'email', required: true },
                { name: 'role', label: () => t('Role'), kind: 'select', options: () => [['agent', t('Agent')], ['supervisor', t('Supervisor')]] },
                { name: 'languages', label: () => t('Languages'), kind: 'languages' },
                { name: 'capacity', label: () => t('Capacity per channel'), kind: 'capacity' },
                { name: 'trainee', label: () => t('Trainee (replies need approval)'), kind: 'checkbox' },
            ],
            // The link opens the console's page where the new colleague chooses a password.
            done: (r) =>
                r.invitation && r.invitation.token
                    ? t('Invitation created. Send this link to the new colleague: {url}', { url: `${location.origin}/console/#/invitation/${r.invitation.token}` })
                    : t('Saved'),
        },
        update: {
            path: (x) => `staff/${x.user_id}.json`,
            root: 'staff',
            fields: [
                { name: 'languages', label: () => t('Languages'), kind: 'languages' },
                { name: 'capacity', label: () => t('Capacity per channel'), kind: 'capacity' },
                { name: 'attribute_value_ids', label: () => t('Skills (value ids)'), kind: 'ids' },
                { name: 'trainee', label: () => t('Trainee (replies need approval)'), kind: 'checkbox' },
                { name: 'routing_paused', label: () => t('Routing paused'), kind: 'checkbox' },
            ],
        },
    },
    {
        key: 'groups',
        title: () => t('Groups'),
        list: 'groups.json?per_page=100',
        listKey: 'groups',
        columns: [
            [() => t('Name'), (x) => x.name],
            [() => t('Description'), (x) => x.description || '—'],
        ],
        create: { path: 'groups.json', root: 'group' },
        update: { path: (x) => `groups/${x.id}.json`, root: 'group' },
        fields: [
            { name: 'name', label: () => t('Name'), kind: 'text', required: true },
            { name: 'description', label: () => t('Description'), kind: 'textarea' },
        ],
    },
    {
        key: 'skills',
        title: () => t('Skills and languages'),
        intro: () => t('Skills are routing attributes with values (for example Product: Billing). A member of staff’s languages are set on their staff profile.'),
        list: 'routing/attributes.json',
        listKey: 'attributes',
        columns: [[() => t('Attribute'), (x) => x.name]],
        create: { path: 'routing/attributes.json', root: 'attribute' },
        update: { path: (x) => `routing/attributes/${x.id}.json`, root: 'attribute' },
        fields: [{ name: 'name', label: () => t('Name'), kind: 'text', required: true }],
        child: {
            title: () => t('Values'),
            list: (p) => `routing/attributes/${p.id}/values.json`,
            listKey: 'attribute_values',
            columns: [
                [() => t('ID'), (x) => String(x.id)],
                [() => t('Value'), (x) => x.name],
            ],
            create: { path: (p) => `routing/attributes/${p.id}/values.json`, root: 'attribute_value' },
            update: { path: (p, x) => `routing/attributes/${p.id}/values/${x.id}.json`, root: 'attribute_value' },
            fields: [{ name: 'name', label: () => t('Name'), kind: 'text', required: true }],
        },
    },
    {
        key: 'schedules',
        title: () => t('Business hours and holidays'),
        list: 'business_hours/schedules.json',
        listKey: 'schedules',
        columns: [
            [() => t('Name'), (x) => x.name],
            [() => t('Time zone'), (x) => x.time_zone],
            [() => t('Default'), (x) => yesNo(x.default)],
        ],
        create: { path: 'business_hours/schedules.json', root: 'schedule' },
        update: { path: (x) => `business_hours/schedules/${x.id}.json`, root: 'schedule' },
        fields: [
            { name: 'name', label: () => t('Name'), kind: 'text', required: true },
            { name: 'time_zone', label: () => t('Time zone (IANA, e.g. Europe/Prague)'), kind: 'text', required: true },
            { name: 'default', label: () => t('Default schedule'), kind: 'checkbox' },
            { name: 'intervals', label: () => t('Working hours'), kind: 'week' },
        ],
        child: {
            title: () => t('Holidays'),
            list: (p) => `business_hours/schedules/${p.id}/holidays.json`,
            listKey: 'holidays',
            columns: [
                [() => t('Name'), (x) => x.name],
                [() => t('From'), (x) => x.start_date],
                [() => t('To'), (x) => x.end_date],
                [() => t('Every year'), (x) => yesNo(x.yearly)],
            ],
            create: { path: (p) => `business_hours/schedules/${p.id}/holidays.json`, root: 'holiday' },
            update: { path: (p, x) => `business_hours/schedules/${p.id}/holidays/${x.id}.json`, root: 'holiday' },
            fields: [
                { name: 'name', label: () => t('Name'), kind: 'text', required: true },
                { name: 'start_date', label: () => t('From'), kind: 'date', required: true },
                { name: 'end_date', label: () => t('To'), kind: 'date', required: true },
                { name: 'yearly', label: () => t('Every year'), kind: 'checkbox' },
            ],
        },
    },
    {
        key: 'sla',
        title: () => t('SLA policies'),
        list: 'slas/policies.json',
        listKey: 'sla_policies',
        columns: [
            [() => t('Title'), (x) => x.title],
            [() => t('Targets'), (x) => (x.policy_metrics || []).map((m) => `${metricLabel(m.metric)} (${priorityLabel(m.priority)}): ${minutes(m.target)}`).join('; ') || '—'],
            [() => t('At risk at'), (x) => (x.at_risk_percent ? `${x.at_risk_percent} %` : '—')],
        ],
        create: { path: 'slas/policies.json', root: 'sla_policy' },
        update: { path: (x) => `slas/policies/${x.id}.json`, root: 'sla_policy' },
        fields: [
            { name: 'title', label: () => t('Title'), kind: 'text', required: true },
            { name: 'description', label: () => t('Description'), kind: 'textarea' },
            { name: 'at_risk_percent', label: () => t('At risk after (percent of the target)'), kind: 'number', min: 1, max: 99 },
            { name: 'schedule_id', label: () => t('Business hours schedule ID (empty: the ticket’s)'), kind: 'number' },
            { name: 'filter', label: () => t('Conditions (JSON: all, any)'), kind: 'json', empty: { all: [], any: [] } },
            {
                name: 'policy_metrics',
                label: () => t('Targets (JSON: priority, metric, target in minutes, business_hours)'),
                kind: 'json',
                empty: [{ priority: 'normal', metric: 'first_reply_time', target: 480, business_hours: true }],
            },
            { name: 'actions', label: () => t('Actions on at risk or breach (JSON)'), kind: 'json', empty: [] },
        ],
    },
    { key: 'macros', title: () => t('Macros'), href: '#/macros' },
    {
        key: 'mailboxes',
        title: () => t('Mailboxes'),
        adminOnly: true,
        list: 'mailboxes.json',
        listKey: 'mailboxes',
        columns: [
            [() => t('Name'), (x) => x.name || '—'],
            [() => t('Server'), (x) => `${x.host}:${x.port} (${x.tls})`],
            [() => t('User name'), (x) => x.username],
            [() => t('Active'), (x) => yesNo(x.active)],
            [() => t('Last success'), (x) => (x.last_success_at ? fmtTime(x.last_success_at) : '—')],
            [() => t('Last error'), (x) => x.last_error || '—'],
        ],
        create: { path: 'mailboxes.json', root: 'mailbox' },
        update: { path: (x) => `mailboxes/${x.id}.json`, root: 'mailbox' },
        fields: [
            { name: 'name', label: () => t('Name'), kind: 'text' },
            { name: 'host', label: () => t('IMAP server'), kind: 'text', required: true },
            { name: 'port', label: () => t('Port'), kind: 'number', min: 1, max: 65535, required: true },
            { name: 'tls', label: () => t('Security'), kind: 'select', options: () => [['imaps', 'IMAPS'], ['starttls', 'STARTTLS'], ['none', t('None (loopback only)')]] },
            { name: 'username', label: () => t('User name'), kind: 'text', required: true },
            { name: 'password', label: () => t('Password'), kind: 'password', placeholder: () => t('unchanged when empty') },
            { name: 'folder', label: () => t('Folder'), kind: 'text' },
            { name: 'poll_interval', label: () => t('Poll every (seconds)'), kind: 'number', min: 1 },
            { name: 'active', label: () => t('Active'), kind: 'checkbox' },
        ],
        defaults: { port: 993, tls: 'imaps', folder: 'INBOX', poll_interval: 60, active: true },
    },
    {
        key: 'limits',
        title: () => t('Concession limits'),
        intro: () => t('The most a role or a person may grant without approval, per currency. Saving a limit that exists replaces it.'),
        list: 'concession_limits.json',
        listKey: 'concession_limits',
        columns: [
            [() => t('Who'), (x, ctx) => (x.user_id ? ctx.userName(x.user_id) : roleLabel(x.role))],
            [() => t('Currency'), (x) => x.currency],
            [() => t('Amount'), (x) => (x.unlimited ? t('Unlimited') : x.amount)],
        ],
        create: { path: 'concession_limits.json', root: 'concession_limit' },
        update: { path: () => 'concession_limits.json', root: 'concession_limit', method: 'POST' },
        remove: (x) => `concession_limits/${x.id}.json`,
        fields: [
            { name: 'role', label: () => t('Role'), kind: 'select', options: () => [['', '—'], ['agent', t('Agent')], ['supervisor', t('Supervisor')], ['admin', t('Administrator')]] },
            { name: 'user_id', label: () => t('Or a person (user ID)'), kind: 'number' },
            { name: 'currency', label: () => t('Currency (ISO 4217)'), kind: 'text', required: true },
            { name: 'amount', label: () => t('Amount (empty: unlimited)'), kind: 'amount' },
        ],
        users: (items) => items.map((x) => x.user_id),
    },
];

// ---- rendering -----------------------------------------------------------------------------

const idOf = (sec, x) => (sec.id ? sec.id(x) : x.id);
let flash = null; // what the last save has to tell, shown once above the list (an invitation link)

function form(fields, item, onSave, submitLabel) {
    const inputs = fields.map((f) => [f, KINDS[f.kind].input(f, item ? item[f.name] : undefined)]);
    const err = h('p', { class: 'error', role: 'alert', 'data-testid': 'admin-error' });
    const el = h(
        'form',
        {
            class: 'card admin-form',
            'data-testid': 'admin-form',
            onsubmit: async (e) => {
                e.preventDefault();
                err.textContent = '';
                const body = {};
                try {
                    for (const [f, input] of inputs) {
                        const v = KINDS[f.kind].read(input, f);
                        if (KINDS[f.kind].skipEmpty && !v) {
                            continue;
                        }
                        if (f.kind === 'number' && v === null && !item) {
                            continue;
                        }
                        body[f.name] = v;
                    }
                    await onSave(body);
                } catch (ex) {
                    err.textContent = ex.status === 403 ? t('Your role may not change this setting.') : ex.message;
                }
            },
        },
        inputs.map(([f, input]) =>
            f.kind === 'checkbox' ? h('label', { class: 'row', 'data-field': f.name }, input, f.label()) : h('label', { 'data-field': f.name }, f.label(), input),
        ),
        err,
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'admin-save' }, submitLabel),
    );
    return el;
}

function table(columns, items, onOpen, ctx, hrefOf) {
    if (!items.length) {
        return h('p', { class: 'muted' }, t('Nothing here yet.'));
    }
    return h(
        'table',
        { class: 'list', 'data-testid': 'admin-list' },
        h('thead', {}, h('tr', {}, columns.map(([label]) => h('th', {}, label())))),
        h(
            'tbody',
            {},
            items.map((x) =>
                h(
                    'tr',
                    {},
                    columns.map(([, value], i) =>
                        h(
                            'td',
                            {},
                            i > 0
                                ? value(x, ctx)
                                : hrefOf
                                  ? h('a', { href: hrefOf(x) }, value(x, ctx))
                                  : h('button', { type: 'button', class: 'link', onclick: () => onOpen(x) }, value(x, ctx)),
                        ),
                    ),
                ),
            ),
        ),
    );
}

async function fetchList(path, key) {
    const r = await api.get(path);
    return r[key] || [];
}

function unavailable(main, sec, e) {
    mount(main, h('h1', {}, sec.title()), h('p', { class: 'muted', 'data-testid': 'admin-unavailable' }, e.status === 404 || e.status === 403 ? t('This setting is not available here.') : e.message));
}

async function pageSection(ctx, main, sec, arg) {
    const shown = arg ? null : flash;
    if (!arg) {
        flash = null;
    }
    let items;
    try {
        items = await fetchList(sec.list, sec.listKey);
    } catch (e) {
        unavailable(main, sec, e);
        return;
    }
    if (sec.users) {
        await ctx.loadUsers(sec.users(items));
    }
    const go = (x) => (location.hash = `#/admin/${sec.key}/${idOf(sec, x)}`);
    if (arg === 'new' && sec.create) {
        const c = sec.create;
        mount(
            main,
            h('p', {}, h('a', { href: `#/admin/${sec.key}` }, `← ${sec.title()}`)),
            h('h1', {}, c.label ? c.label() : t('New')),
            form(c.fields || sec.fields, sec.defaults || null, async (body) => {
                const r = await api.post(c.path, { [c.root]: body });
                if (c.done) {
                    flash = c.done(r);
                } else {
                    toast(t('Saved'));
                }
                location.hash = `#/admin/${sec.key}`;
            }, t('Create')),
        );
        return;
    }
    const item = arg ? items.find((x) => String(idOf(sec, x)) === arg) : null;
    if (item) {
        const u = sec.update;
        const parts = [
            h('p', {}, h('a', { href: `#/admin/${sec.key}` }, `← ${sec.title()}`)),
            h('h1', {}, t('Edit: {name}', { name: item.name || item.title || item.currency || String(idOf(sec, item)) })),
            form(u.fields || sec.fields, item, async (body) => {
                await api.call(u.method || 'PUT', u.path(item), { [u.root]: body });
                toast(t('Saved'));
                pageSection(ctx, main, sec, arg);
            }, t('Save')),
        ];
        if (sec.remove) {
            parts.push(
                h('button', {
                    class: 'danger',
                    onclick: async () => {
                        try {
                            await api.del(sec.remove(item));
                            toast(t('Deleted'));
                            location.hash = `#/admin/${sec.key}`;
                        } catch (ex) {
                            toast(ex.message, 'error');
                        }
                    },
                }, t('Delete')),
            );
        }
        if (sec.child) {
            parts.push(await childPanel(ctx, sec.child, item));
        }
        mount(main, ...parts);
        return;
    }
    mount(
        main,
        h('div', { class: 'row' }, h('h1', { class: 'grow' }, sec.title()), sec.create && h('a', { href: `#/admin/${sec.key}/new`, 'data-testid': 'admin-new' }, sec.create.label ? sec.create.label() : t('New'))),
        sec.intro && h('p', { class: 'muted' }, sec.intro()),
        shown && h('p', { class: 'notice card', 'data-testid': 'admin-notice' }, shown),
        table(sec.columns, items, go, ctx, (x) => `#/admin/${sec.key}/${idOf(sec, x)}`),
    );
}

async function childPanel(ctx, ch, parent) {
    const box = h('section', { class: 'card', 'data-testid': 'admin-child' });
    const draw = async (editing) => {
        let items = [];
        try {
            items = await fetchList(ch.list(parent), ch.listKey);
        } catch (e) {
            mount(box, h('h2', {}, ch.title()), h('p', { class: 'error' }, e.message));
            return;
        }
        mount(
            box,
            h('h2', {}, ch.title()),
            table(ch.columns, items, (x) => draw(x), ctx),
            editing
                ? form(ch.fields, editing, async (body) => {
                      await api.put(ch.update.path(parent, editing), { [ch.update.root]: body });
                      toast(t('Saved'));
                      draw(null);
                  }, t('Save'))
                : form(ch.fields, null, async (body) => {
                      await api.post(ch.create.path(parent), { [ch.create.root]: body });
                      toast(t('Saved'));
                      draw(null);
                  }, t('Add')),
        );
    };
    await draw(null);
    return box;
}

export async function pageAdmin(ctx, [key, arg]) {
    const isAdmin = ctx.state.me.desk_role === 'admin';
    const sections = SECTIONS.filter((s) => !s.adminOnly || isAdmin);
    const sec = sections.find((s) => s.key === key) || sections[0];
    const main = h('main', { class: 'content' }, h('p', { class: 'loading' }, t('Loading…')));
    const side = h(
        'aside',
        { class: 'side' },
        h('h3', {}, t('Settings')),
        sections.map((s) => h('a', { href: s.href || `#/admin/${s.key}`, class: s.key === sec.key ? 'active' : '', 'data-testid': `admin-${s.key}` }, s.title())),
    );
    ctx.shell('admin', h('div', { class: 'layout' }, side, main));
    await pageSection(ctx, main, sec, arg);
}

// Shared by the console and the portal: the API client (session cookie plus
// the CSRF header on writes), translations from the compiled gettext
// catalogs with their Plural-Forms, locale-aware dates and numbers in the
// viewer's time zone, and a DOM builder that only ever sets text — customer
// content never goes through innerHTML.

export const LANGUAGES = [
    ['en', 'English'],
    ['es', 'Español'],
    ['cs', 'Čeština'],
    ['pl', 'Polski'],
];

// ---- plural forms ---------------------------------------------------------

/**
 * Compiles a gettext Plural-Forms header ("nplurals=3; plural=(n==1 ? 0 :
 * ...);") into a function n → form index, with a small parser (the page's
 * Content-Security-Policy forbids eval, and the header is data anyway).
 */
export function compilePlural(header) {
    const m = /plural\s*=\s*([^;]+)/.exec(header || '');
    if (!m) {
        return (n) => (n === 1 ? 0 : 1);
    }
    const src = m[1];
    const toks = src.match(/\d+|n|\|\||&&|==|!=|<=|>=|[-+*\/%<>?:()!]/g) || [];
    if (toks.join('') !== src.replace(/\s+/g, '')) {
        throw new Error(`plural: unknown characters in ${src}`);
    }
    let i = 0;
    const peek = () => toks[i];
    const take = (t) => {
        if (toks[i] !== t) {
            throw new Error(`plural: expected ${t} at ${toks[i]}`);
        }
        i++;
    };
    const bin = (next, ops) => () => {
        let left = next();
        while (ops[peek()]) {
            const f = ops[toks[i++]];
            const l = left;
            const r = next();
            left = (n) => f(l(n), r(n));
        }
        return left;
    };
    const primary = () => {
        const t = toks[i++];
        if (t === 'n') {
            return (n) => n;
        }
        if (t === '(') {
            const e = ternary();
            take(')');
            return e;
        }
        if (t === '!') {
            const e = primary();
            return (n) => (e(n) ? 0 : 1);
        }
        if (t === '-') {
            const e = primary();
            return (n) => -e(n);
        }
        if (/^\d+$/.test(t || '')) {
            const v = Number(t);
            return () => v;
        }
        throw new Error(`plural: unexpected ${t}`);
    };
    const mul = bin(primary, { '*': (a, b) => a * b, '/': (a, b) => Math.trunc(a / b), '%': (a, b) => a % b });
    const add = bin(mul, { '+': (a, b) => a + b, '-': (a, b) => a - b });
    const rel = bin(add, { '<': (a, b) => +(a < b), '>': (a, b) => +(a > b), '<=': (a, b) => +(a <= b), '>=': (a, b) => +(a >= b) });
    const eq = bin(rel, { '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) });
    const and = bin(eq, { '&&': (a, b) => +(a && b) });
    const or = bin(and, { '||': (a, b) => +(a || b) });
    function ternary() {
        const c = or();
        if (peek() === '?') {
            i++;
            const a = ternary();
            take(':');
            const b = ternary();
            return (n) => (c(n) ? a(n) : b(n));
        }
        return c;
    }
    const f = ternary();
    if (i !== toks.length) {
        throw new Error(`plural: trailing ${toks[i]}`);
    }
    return (n) => Number(f(Math.abs(Math.trunc(n))));
}

// ---- translations -----------------------------------------------------------

let catalog = { messages: {} };
let pluralOf = (n) => (n === 1 ? 0 : 1);
export let lang = 'en';

/** Replaces {name} in text with vars[name] (numbers formatted for the locale). */
function fill(text, vars) {
    if (!vars) {
        return text;
    }
    return text.replace(/\{(\w+)\}/g, (all, k) => {
        if (!(k in vars)) {
            return all;
        }
        const v = vars[k];
        return typeof v === 'number' ? fmtNumber(v) : String(v);
    });
}

/** The translation of msgid, with {placeholders} filled. */
export function t(msgid, vars) {
    const m = catalog.messages[msgid];
    const text = typeof m === 'string' && m ? m : Array.isArray(m) && m[0] ? m[0] : msgid;
    return fill(text, vars);
}

/** The plural form for n of singular/plural, with {n} and other placeholders filled. */
export function tn(singular, plural, n, vars = {}) {
    const m = catalog.messages[singular];
    let text;
    if (Array.isArray(m)) {
        text = m[pluralOf(n)] || m[m.length - 1];
    }
    if (!text) {
        text = n === 1 ? singular : plural;
    }
    return fill(text, { n, ...vars });
}

/** Uses an already loaded catalog object (tests, or the JSON from /assets). */
export function useCatalog(code, json) {
    lang = code;
    catalog = json && json.messages ? json : { messages: {} };
    pluralOf = compilePlural(catalog.plural_forms);
}

/** The supported language closest to a BCP 47 tag, or null. */
export function matchLanguage(tag) {
    if (!tag) {
        return null;
    }
    const primary = String(tag).toLowerCase().split(/[-_]/)[0];
    return LANGUAGES.some(([c]) => c === primary) ? primary : null;
}

/** Picks the interface language: saved choice, then the user's locale, then the browser's. */
export function chooseLanguage(userLocale) {
    const saved = matchLanguage(localStorage.getItem('desk.lang'));
    if (saved) {
        return saved;
    }
    const fromUser = matchLanguage(userLocale);
    if (fromUser && !(userLocale === 'en-US' && navigator.languages && matchLanguage(navigator.languages[0]) !== 'en')) {
        return fromUser;
    }
    for (const l of navigator.languages || [navigator.language]) {
        const m = matchLanguage(l);
        if (m) {
            return m;
        }
    }
    return fromUser || 'en';
}

/** Loads and activates the catalog of code. */
export async function loadLanguage(code) {
    code = matchLanguage(code) || 'en';
    let json = null;
    try {
        const r = await fetch(`/assets/i18n.${code}.json`, { credentials: 'same-origin' });
        if (r.ok) {
            json = await r.json();
        }
    } catch {
        json = null;
    }
    useCatalog(code, json);
    document.documentElement.lang = code;
    return code;
}

// ---- locale formats -----------------------------------------------------------

let zone;

/** The viewer's time zone: their profile's when set (and valid), else the browser's. */
export function setZone(profileZone) {
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    zone = browser;
    if (profileZone && profileZone !== 'UTC') {
        try {
            new Intl.DateTimeFormat('en', { timeZone: profileZone });
            zone = profileZone;
        } catch {
            zone = browser;
        }
    }
    return zone;
}

export function fmtNumber(n) {
    return new Intl.NumberFormat(lang).format(n);
}

/** A date and time in the viewer's zone (or in tz), in the interface language. */
export function fmtTime(iso, tz) {
    if (!iso) {
        return '';
    }
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) {
        return String(iso);
    }
    return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz || zone }).format(d);
}

/** The current time in another zone ("14:05"), or '' for an unknown zone. */
export function localTimeIn(tz) {
    try {
        return new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone: tz }).format(new Date());
    } catch {
        return '';
    }
}

/** "5 minutes ago" style text for a past time. */
export function fmtAgo(ms) {
    const diff = (ms - Date.now()) / 1000;
    const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
    const abs = Math.abs(diff);
    if (abs < 60) {
        return rtf.format(Math.round(diff), 'second');
    }
    if (abs < 3600) {
        return rtf.format(Math.round(diff / 60), 'minute');
    }
    if (abs < 86400) {
        return rtf.format(Math.round(diff / 3600), 'hour');
    }
    return rtf.format(Math.round(diff / 86400), 'day');
}

/** A waiting time ("1 h 05 min", "42 s") for a duration in ms. */
export function fmtWait(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    const nf = (v, unit) => new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'narrow' }).format(v);
    if (s < 60) {
        return nf(s, 'second');
    }
    if (s < 3600) {
        return nf(Math.floor(s / 60), 'minute');
    }
    if (s < 86400) {
        return `${nf(Math.floor(s / 3600), 'hour')} ${nf(Math.floor((s % 3600) / 60), 'minute')}`;
    }
    return `${nf(Math.floor(s / 86400), 'day')} ${nf(Math.floor((s % 86400) / 3600), 'hour')}`;
}

/** The name of a language tag in the interface language ("čeština"). */
export function languageName(tag) {
    if (!tag) {
        return t('Unknown');
    }
    try {
        return new Intl.DisplayNames([lang], { type: 'language' }).of(tag) || tag;
    } catch {
        return tag;
    }
}

// ---- DOM ------------------------------------------------------------------------

/**
 * Builds an element. props: class, text, on<event> handlers, attributes
 * (set with setAttribute; never an href/src from data). Children: nodes or
 * strings (added as text nodes), arrays, null/false skipped.
 */
export function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
        if (v === null || v === undefined || v === false) {
            continue;
        }
        if (k === 'class') {
            el.className = v;
        } else if (k === 'text') {
            el.textContent = v;
        } else if (k.startsWith('on') && typeof v === 'function') {
            el.addEventListener(k.slice(2), v);
        } else if (k === 'value') {
            el.value = v;
        } else if (k === 'checked' || k === 'selected' || k === 'disabled') {
            el[k] = Boolean(v);
        } else {
            el.setAttribute(k, v === true ? '' : String(v));
        }
    }
    add(el, kids);
    return el;
}

function add(el, kids) {
    for (const k of kids) {
        if (k === null || k === undefined || k === false) {
            continue;
        }
        if (Array.isArray(k)) {
            add(el, k);
        } else if (k instanceof Node) {
            el.appendChild(k);
        } else {
            el.appendChild(document.createTextNode(String(k)));
        }
    }
}

/** Replaces el's children. */
export function mount(el, ...kids) {
    el.replaceChildren();
    add(el, kids);
    return el;
}

/** A <select> of [value, label] pairs. */
export function select(options, value, props = {}) {
    return h('select', props, options.map(([v, label]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, label)));
}

/** The interface-language switcher; onchange(code) after the catalog is loaded. */
export function languageSwitcher(onchange) {
    return select(LANGUAGES, lang, {
        class: 'lang',
        'aria-label': t('Language'),
        'data-testid': 'language',
        onchange: async (e) => {
            localStorage.setItem('desk.lang', e.target.value);
            await loadLanguage(e.target.value);
            onchange(e.target.value);
        },
    });
}

/** A short-lived message at the top of the page. */
export function toast(text, kind = 'info') {
    let box = document.getElementById('toasts');
    if (!box) {
        box = h('div', { id: 'toasts', role: 'status', 'aria-live': 'polite' });
        document.body.appendChild(box);
    }
    const el = h('div', { class: `toast ${kind}` }, text);
    box.appendChild(el);
    setTimeout(() => el.remove(), kind === 'error' ? 8000 : 4000);
}

// ---- API ------------------------------------------------------------------------

export class ApiError extends Error {
    constructor(status, json) {
        const details = json && json.details ? Object.values(json.details).flat().map((d) => d.description).join('; ') : '';
        super(details || (json && (json.description || (typeof json.error === 'string' ? json.error : ''))) || `HTTP ${status}`);
        this.status = status;
        this.json = json;
    }
}

export const api = {
    csrf: null,
    onUnauthorized: null,

    async call(method, path, body) {
        const headers = { Accept: 'application/json' };
        if (body !== undefined) {
            headers['Content-Type'] = 'application/json';
        }
        if (method !== 'GET' && this.csrf) {
            headers['X-CSRF-Token'] = this.csrf;
        }
        const r = await fetch(`/api/v2/${path}`, {
            method,
            headers,
            credentials: 'same-origin',
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        let json = null;
        if (r.status !== 204) {
            try {
                json = await r.json();
            } catch {
                json = null;
            }
        }
        if (!r.ok) {
            if (r.status === 401 && this.onUnauthorized && !path.startsWith('sessions')) {
                this.onUnauthorized();
            }
            throw new ApiError(r.status, json);
        }
        return json;
    },
    get(path) {
        return this.call('GET', path);
    },
    post(path, body) {
        return this.call('POST', path, body);
    },
    put(path, body) {
        return this.call('PUT', path, body);
    },
    del(path) {
        return this.call('DELETE', path);
    },

    /** The current session ({user, csrf_token}) or null when signed out. */
    async session() {
        try {
            const r = await this.get('sessions/current');
            this.csrf = r.session.csrf_token;
            return r.session;
        } catch (e) {
            if (e.status === 401) {
                return null;
            }
            throw e;
        }
    },
    /** Uploads one File (raw bytes) for a comment; joins token when given. Returns the upload. */
    async upload(file, token) {
        const headers = { Accept: 'application/json', 'Content-Type': 'application/binary' };
        if (this.csrf) {
            headers['X-CSRF-Token'] = this.csrf;
        }
        const q = `filename=${encodeURIComponent(file.name)}${token ? `&token=${encodeURIComponent(token)}` : ''}`;
        const r = await fetch(`/api/v2/uploads.json?${q}`, { method: 'POST', headers, credentials: 'same-origin', body: file });
        let json = null;
        try {
            json = await r.json();
        } catch {
            json = null;
        }
        if (!r.ok) {
            throw new ApiError(r.status, json);
        }
        return json.upload;
    },
    /** Signs in with the token of a one-time link from the sign-in mail. */
    async loginLink(token) {
        const r = await this.post('sessions', { session: { link_token: token } });
        this.csrf = r.session.csrf_token;
        return r.session;
    },
    async login(email, password) {
        const r = await this.post('sessions', { session: { email, password } });
        this.csrf = r.session.csrf_token;
        return r.session;
    },
    async logout() {
        try {
            await this.del('sessions/current');
        } finally {
            this.csrf = null;
        }
    },
};

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Formats a byte count ("1.2 MB") in the interface language. */
export function fmtBytes(n) {
    const units = ['B', 'kB', 'MB', 'GB'];
    let i = 0;
    while (n >= 1000 && i < units.length - 1) {
        n /= 1000;
        i++;
    }
    return `${new Intl.NumberFormat(lang, { maximumFractionDigits: i ? 1 : 0 }).format(n)} ${units[i]}`;
}

/**
 * A file picker for a comment: {el, files(), clear(), uploadAll()} where
 * uploadAll() uploads the chosen files under one token and resolves with
 * [token] (or [] when there are none). Files over the limit are refused at once.
 */
export function attachmentPicker() {
    let chosen = [];
    const list = h('ul', { class: 'files', 'data-testid': 'chosen-files' });
    const input = h('input', {
        type: 'file',
        multiple: true,
        'data-testid': 'attach',
        'aria-label': t('Attach files'),
        onchange: () => {
            for (const f of input.files) {
                if (f.size > MAX_UPLOAD_BYTES) {
                    toast(t('{name} is larger than {size}.', { name: f.name, size: fmtBytes(MAX_UPLOAD_BYTES) }), 'error');
                } else {
                    chosen.push(f);
                }
            }
            input.value = '';
            draw();
        },
    });
    function draw() {
        mount(
            list,
            chosen.map((f, i) =>
                h(
                    'li',
                    {},
                    `${f.name} (${fmtBytes(f.size)}) `,
                    h('button', { type: 'button', class: 'link', 'aria-label': t('Remove'), onclick: () => { chosen.splice(i, 1); draw(); } }, '×'),
                ),
            ),
        );
    }
    // The native control's own words follow the browser's language, not the interface's, so
    // it is hidden behind a button-like label in ours.
    const el = h('div', { class: 'attach' }, h('label', { class: 'button-like' }, t('Attach files…'), input), list);
    return {
        el,
        files: () => chosen,
        clear() {
            chosen = [];
            draw();
        },
        async uploadAll() {
            let token = null;
            for (const f of chosen) {
                token = (await api.upload(f, token)).token;
            }
            return token ? [token] : [];
        },
    };
}

/** A comment's attachments as download links (built from the attachment id only). */
export function attachmentLinks(atts) {
    if (!atts || !atts.length) {
        return null;
    }
    return h(
        'ul',
        { class: 'files', 'data-testid': 'attachments' },
        atts.map((a) =>
            h(
                'li',
                {},
                a.stored === false
                    ? `${a.file_name} (${t('only in the original email')})`
                    : h('a', { href: `/api/v2/attachments/${Number(a.id)}/content`, download: a.file_name, 'data-testid': 'attachment' }, a.file_name),
                ` ${fmtBytes(a.size)}`,
            ),
        ),
    );
}

/** The sign-in form; resolves with the session once signed in. */
export function loginForm(root, { title, onDone, emailLink = false, notice = '' }) {
    const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
    const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
    const err = h('p', { class: 'error', role: 'alert' });
    const sent = h('p', { class: 'notice', role: 'status', 'data-testid': 'link-sent' });
    const form = h(
        'form',
        {
            class: 'login card',
            onsubmit: async (e) => {
                e.preventDefault();
                err.textContent = '';
                try {
                    const s = await api.login(email.value.trim(), password.value);
                    password.value = '';
                    onDone(s);
                } catch (ex) {
                    err.textContent =
                        ex.status === 429 ? t('Too many failed attempts. Try again later.') : ex.status === 401 ? t('Wrong email or password.') : ex.message;
                }
            },
        },
        h('h1', {}, typeof title === 'function' ? title() : title),
        h('label', {}, t('Email'), email),
        h('label', {}, t('Password'), password),
        err,
        h('button', { type: 'submit', class: 'primary' }, t('Sign in')),
        emailLink &&
            h(
                'div',
                { class: 'login-link' },
                h('p', { class: 'muted' }, t('No password? We can email you a link that signs you in once.')),
                h(
                    'button',
                    {
                        type: 'button',
                        'data-testid': 'email-link',
                        onclick: async () => {
                            err.textContent = '';
                            if (!email.value.trim() || !email.checkValidity()) {
                                err.textContent = t('Enter your email address first.');
                                email.focus();
                                return;
                            }
                            try {
                                await api.post('sessions/links', { session_link: { email: email.value.trim() } });
                                mount(sent, t('If {email} has an account, a sign-in link is on its way. It works once, for 15 minutes.', { email: email.value.trim() }));
                            } catch (ex) {
                                err.textContent = ex.status === 429 ? t('Too many requests. Try again later.') : ex.message;
                            }
                        },
                    },
                    t('Email me a sign-in link'),
                ),
            ),
        sent,
    );
    if (notice) {
        err.textContent = notice;
    }
    mount(root, h('div', { class: 'login-wrap' }, h('div', { class: 'login-top' }, languageSwitcher(() => loginForm(root, { title, onDone, emailLink }))), form));
    email.focus();
}

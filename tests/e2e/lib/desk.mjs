// Harness for the end-to-end tests: runs the real desk binary (DESK_BIN, default
// build/desk) on 127.0.0.1 with a fresh database per test file, creates users and
// tokens through the CLI, and gives the tests small HTTP helpers (fetch, raw
// sockets, node-zendesk). Each test file owns one Desk and stops it in after().

import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '..', '..', '..');
export const DESK_BIN = resolve(REPO, process.env.DESK_BIN || 'build/desk');
export const ARTIFACTS = join(REPO, 'tests', 'e2e', 'artifacts');

const require = createRequire(import.meta.url);
const zendeskLib = require('node-zendesk');

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 20_000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Minutes since midnight now in the IANA time zone ZONE. */
export function localMinute(zone) {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date());
    const get = (t) => Number(parts.find((p) => p.type === t).value);
    return get('hour') * 60 + get('minute');
}

/** "HH:MM" for M minutes since midnight, wrapped into one day. */
export function hhmm(m) {
    m = ((m % 1440) + 1440) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** A work schedule in ZONE with the shift FROM..TO (minutes since midnight) on every day. */
export function everyDay(zone, from, to) {
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    return { time_zone: zone, shifts: days.map((day) => ({ day, start: hhmm(from), end: hhmm(to) })) };
}


/** Authorization header value for Basic `email/token:TOKEN`. */
export function basicToken(email, token) {
    return 'Basic ' + Buffer.from(`${email}/token:${token}`).toString('base64');
}

/** Authorization header value for Basic `email:password`. */
export function basicPassword(email, password) {
    return 'Basic ' + Buffer.from(`${email}:${password}`).toString('base64');
}

/** Authorization header value for `Bearer TOKEN`. */
export function bearer(token) {
    return `Bearer ${token}`;
}

/** Turn the `auth` option into a header value: a string is used as is, a user is token auth. */
function authHeader(auth) {
    if (auth === undefined || auth === null) {
        return undefined;
    }
    if (typeof auth === 'string') {
        return auth;
    }
    if (auth.token) {
        return basicToken(auth.email, auth.token);
    }
    if (auth.password) {
        return basicPassword(auth.email, auth.password);
    }
    throw new Error(`cannot build credentials from ${JSON.stringify(auth)}`);
}

/** Run a command; resolve {code, signal, stdout, stderr}. */
function runProcess(cmd, args, { input, timeoutMs = CLI_TIMEOUT_MS } = {}) {
    return new Promise((resolvePromise, reject) => {
        const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
        const out = [];
        const err = [];
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.stdout.on('data', (d) => out.push(d));
        child.stderr.on('data', (d) => err.push(d));
        child.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
        });
        child.on('close', (code, signal) => {
            clearTimeout(timer);
            resolvePromise({
                code,
                signal,
                stdout: Buffer.concat(out).toString('utf8'),
                stderr: Buffer.concat(err).toString('utf8'),
            });
        });
        child.stdin.on('error', () => {});
        if (input !== undefined) {
            child.stdin.end(input);
        } else {
            child.stdin.end();
        }
    });
}

function safeName(name) {
    return name.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

/**
 * One server and its database. Lifecycle: `await Desk.create(name, {demo})`, then
 * `addUser()` for each user (CLI, before or after start), `await start()`, tests,
 * `await stop()` in after(). `start()` may be called again after stop()/kill9().
 */
export class Desk {
    constructor(dir) {
        this.dir = dir;
        this.db = join(dir, 'desk.db');
        this.proc = null;
        this.url = null;
        this.logPath = null;
        this.nStarts = 0;
        this.users = {};
    }

    /** Fresh directory tests/e2e/artifacts/<name>-XXXXXX/ and `desk init`. */
    static async create(name, { demo = false } = {}) {
        if (!existsSync(DESK_BIN)) {
            throw new Error(`desk binary not found at ${DESK_BIN} (build it with make, or set DESK_BIN)`);
        }
        // A fresh directory per run (several runs may share the checkout: make test and make asan,
        // or two people); leftovers of the same file older than an hour are removed.
        mkdirSync(ARTIFACTS, { recursive: true });
        const prefix = `${safeName(name)}-`;
        for (const old of readdirSync(ARTIFACTS)) {
            const p = join(ARTIFACTS, old);
            if (old.startsWith(prefix) && Date.now() - statSync(p).mtimeMs > 3600_000) {
                rmSync(p, { recursive: true, force: true });
            }
        }
        const dir = mkdtempSync(join(ARTIFACTS, prefix));
        const desk = new Desk(dir);
        const args = ['init', '--db', desk.db];
        if (demo) {
            args.push('--demo');
        }
        await desk.cli(args);
        return desk;
    }

    /** Run `desk ARGS`; return stdout; throw with stderr on a non-zero exit. */
    async cli(args, { input } = {}) {
        const r = await runProcess(DESK_BIN, args, { input });
        if (r.code !== 0) {
            throw new Error(
                `desk ${args.join(' ')} exited with ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
            );
        }
        return r.stdout;
    }

    /**
     * Create a user through the CLI and an API token for them. Returns
     * {email, name, role, password, token}; `id` is filled in by start()
     * (or by `resolveIds()` when the server is already running).
     */
    async addUser(key, { email, name, role = 'end-user', password } = {}) {
        email = email || `${safeName(key).toLowerCase()}@e2e.example`;
        name = name || key;
        const args = ['user', 'create', '--db', this.db, '--email', email, '--name', name, '--role', role];
        if (password !== undefined) {
            args.push('--password-stdin');
        }
        await this.cli(args, { input: password !== undefined ? password + '\n' : undefined });
        const out = await this.cli(['token', 'create', '--db', this.db, '--email', email]);
        const token = out.trim();
        if (!token || /\s/.test(token)) {
            throw new Error(`desk token create printed ${JSON.stringify(out)}, expected the token alone`);
        }
        const user = { key, email, name, role, password, token, id: null };
        this.users[key] = user;
        if (this.url) {
            await this.resolveIds();
        }
        return user;
    }

    /** Look up ids of CLI-created users with GET /users/me as each of them. */
    async resolveIds() {
        for (const user of Object.values(this.users)) {
            if (user.id) {
                continue;
            }
            const r = await this.api('GET', 'users/me.json', { auth: user });
            if (r.status !== 200 || !r.json || !r.json.user || !r.json.user.id) {
                throw new Error(`GET /users/me as ${user.email}: ${r.status} ${r.text}`);
            }
            user.id = r.json.user.id;
        }
    }

    /** Start `desk serve` on a free port; resolve once it logs event=listening. */
    async start({ env = {}, extraArgs = [] } = {}) {
        if (this.proc) {
            throw new Error('server already running');
        }
        this.nStarts += 1;
        this.logPath = join(this.dir, `server-${this.nStarts}.log`);
        const logFile = createWriteStream(this.logPath);
        const args = ['serve', '--db', this.db, '--listen', '127.0.0.1:0', ...extraArgs];
        const proc = spawn(DESK_BIN, args, {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, ...env },
        });
        this.proc = proc;
        this.exited = new Promise((r) => proc.on('exit', (code, signal) => r({ code, signal })));
        this.exitInfo = null;
        this.exited.then((info) => {
            this.exitInfo = info;
            if (this.proc === proc) {
                this.proc = null;
                this.url = null;
            }
        });
        let stderrText = '';
        const ready = new Promise((resolveReady, rejectReady) => {
            let pending = '';
            const timer = setTimeout(
                () => rejectReady(new Error(`desk serve did not log event=listening within ${START_TIMEOUT_MS} ms\nstderr:\n${stderrText}`)),
                START_TIMEOUT_MS,
            );
            const onData = (d) => {
                stderrText += d.toString('utf8');
                pending += d.toString('utf8');
                let nl;
                while ((nl = pending.indexOf('\n')) >= 0) {
                    const line = pending.slice(0, nl);
                    pending = pending.slice(nl + 1);
                    if (line.includes('event=listening')) {
                        const m = line.match(/url=(http:\/\/127\.0\.0\.1:\d+)/);
                        if (m) {
                            clearTimeout(timer);
                            resolveReady(m[1]);
                        }
                    }
                }
            };
            proc.stderr.on('data', onData);
            this.exited.then(({ code, signal }) => {
                clearTimeout(timer);
                rejectReady(new Error(`desk serve exited (${code ?? signal}) before listening\nstderr:\n${stderrText}`));
            });
            proc.on('error', (e) => {
                clearTimeout(timer);
                rejectReady(e);
            });
        });
        proc.stderr.pipe(logFile);
        proc.stdout.pipe(logFile);
        try {
            this.url = await ready;
        } catch (e) {
            await this.kill9();
            throw e;
        }
        this.base = `${this.url}/api/v2`;
        await this.resolveIds();
        return this.url;
    }

    /** SIGTERM and wait for exit (SIGKILL after a timeout). Resolves {code, signal}. */
    async stop() {
        const proc = this.proc;
        if (!proc) {
            return this.exitInfo;
        }
        proc.kill('SIGTERM');
        let timer;
        const timeout = new Promise((r) => {
            timer = setTimeout(() => r('timeout'), STOP_TIMEOUT_MS);
        });
        const r = await Promise.race([this.exited, timeout]);
        clearTimeout(timer);
        if (r === 'timeout') {
            proc.kill('SIGKILL');
            await this.exited;
            throw new Error(`desk serve did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM`);
        }
        return r;
    }

    /** SIGKILL and wait for exit. */
    async kill9() {
        const proc = this.proc;
        if (!proc) {
            return this.exitInfo;
        }
        proc.kill('SIGKILL');
        return this.exited;
    }

    /** The server's stderr so far (all runs of this Desk). */
    log() {
        let text = '';
        for (let i = 1; i <= this.nStarts; i++) {
            const p = join(this.dir, `server-${i}.log`);
            if (existsSync(p)) {
                text += readFileSync(p, 'utf8');
            }
        }
        return text;
    }

    /** Absolute URL for PATH: '/x' is from the server root, 'x' is under /api/v2/. */
    urlFor(path) {
        if (/^https?:\/\//.test(path)) {
            return path;
        }
        if (!this.url) {
            throw new Error('server not running');
        }
        return path.startsWith('/') ? this.url + path : `${this.base}/${path}`;
    }

    /**
     * HTTP request with fetch. `auth`: header value string or a user object;
     * `body`: object (sent as JSON), string or Buffer (sent as is).
     * Resolves {status, headers, json, text}; json is null unless the body parses.
     */
    async api(method, path, { auth, body, headers = {} } = {}) {
        const h = { Accept: 'application/json', ...headers };
        const a = authHeader(auth);
        if (a !== undefined) {
            h.Authorization = a;
        }
        let payload;
        if (body !== undefined) {
            if (typeof body === 'string' || Buffer.isBuffer(body) || body instanceof Uint8Array) {
                payload = body;
            } else {
                payload = JSON.stringify(body);
            }
            if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
                h['Content-Type'] = 'application/json';
            }
        }
        const res = await fetch(this.urlFor(path), { method, headers: h, body: payload, redirect: 'manual' });
        const text = await res.text();
        let json = null;
        try {
            json = text.length ? JSON.parse(text) : null;
        } catch {
            json = null;
        }
        return { status: res.status, headers: res.headers, json, text };
    }

    /**
     * HTTP request with node:http (allows any Host header and copes with a server
     * that answers before it has read the whole body). Resolves
     * {status, headers, json, text} or, when no response came, {status: 0, error}.
     */
    httpRequest(method, path, { auth, body, headers = {} } = {}) {
        const url = new URL(this.urlFor(path));
        const h = { Accept: 'application/json', ...headers };
        const a = authHeader(auth);
        if (a !== undefined) {
            h.Authorization = a;
        }
        let payload;
        if (body !== undefined) {
            payload = typeof body === 'string' || Buffer.isBuffer(body) ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
            h['Content-Length'] = payload.length;
            if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
                h['Content-Type'] = 'application/json';
            }
        }
        return new Promise((resolvePromise) => {
            let settled = false;
            const done = (v) => {
                if (!settled) {
                    settled = true;
                    resolvePromise(v);
                }
            };
            const req = http.request(
                { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers: h, agent: false },
                (res) => {
                    const chunks = [];
                    res.on('data', (c) => chunks.push(c));
                    const finish = () => {
                        const text = Buffer.concat(chunks).toString('utf8');
                        let json = null;
                        try {
                            json = text.length ? JSON.parse(text) : null;
                        } catch {
                            json = null;
                        }
                        done({ status: res.statusCode, headers: new Headers(flatHeaders(res.headers)), json, text });
                    };
                    res.on('end', finish);
                    res.on('error', finish);
                    res.on('aborted', finish);
                },
            );
            req.on('error', (error) => setTimeout(() => done({ status: 0, error, text: '', json: null }), 200));
            req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
            if (payload) {
                req.end(payload);
            } else {
                req.end();
            }
        });
    }

    /**
     * Send BYTES as they are on a fresh TCP connection and read until close.
     * Resolves {status, head, text} (status 0 if no status line came back).
     */
    raw(bytes) {
        const url = new URL(this.url);
        return new Promise((resolvePromise) => {
            const sock = net.connect({ host: url.hostname, port: Number(url.port) });
            const chunks = [];
            const finish = () => {
                const all = Buffer.concat(chunks).toString('latin1');
                const m = all.match(/^HTTP\/1\.[01] (\d{3})/);
                const split = all.indexOf('\r\n\r\n');
                resolvePromise({
                    status: m ? Number(m[1]) : 0,
                    head: split >= 0 ? all.slice(0, split) : all,
                    text: split >= 0 ? Buffer.from(all.slice(split + 4), 'latin1').toString('utf8') : '',
                });
            };
            sock.setTimeout(10_000, () => sock.destroy());
            sock.on('data', (d) => chunks.push(d));
            sock.on('close', finish);
            sock.on('error', () => {});
            sock.write(bytes);
        });
    }

    /** node-zendesk 6.0.1 client for USER (token auth, or password/bearer via opts). */
    zendesk(user, opts = {}) {
        return zendesk(this.base, user, opts);
    }
}

function flatHeaders(h) {
    const out = {};
    for (const [k, v] of Object.entries(h)) {
        out[k] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    return out;
}

/**
 * node-zendesk client against BASE (…/api/v2). mode 'token' (default):
 * username + token (Basic email/token:T); 'password': username + password;
 * 'bearer': token with useOAuth. Errors are thrown as the original Error
 * carrying statusCode and result (throwOriginalException).
 */
export function zendesk(base, user, { mode = 'token', ...rest } = {}) {
    const opts = { endpointUri: base, throwOriginalException: true, ...rest };
    if (mode === 'token') {
        Object.assign(opts, { username: user.email, token: user.token });
    } else if (mode === 'password') {
        Object.assign(opts, { username: user.email, password: user.password });
    } else if (mode === 'bearer') {
        Object.assign(opts, { token: user.token, useOAuth: true });
    } else {
        throw new Error(`unknown mode ${mode}`);
    }
    return zendeskLib.createClient(opts);
}

/** Await PROMISE, expect it to reject with statusCode STATUS; return the error. */
export async function rejectsWithStatus(promise, status) {
    try {
        await promise;
    } catch (e) {
        if (e.statusCode !== status) {
            throw new Error(`expected a ${status} error, got ${e.statusCode}: ${e.message} ${JSON.stringify(e.result)}`);
        }
        return e;
    }
    throw new Error(`expected a ${status} error, the call succeeded`);
}

/** A short description of a response for assertion messages. */
export function show(r) {
    if (!r) {
        return String(r);
    }
    const text = r.text && r.text.length > 600 ? r.text.slice(0, 600) + '…' : r.text;
    return `${r.status} ${text}`;
}

/** Follow offset pagination from PATH, return every item under KEY. */
export async function allPagesOffset(desk, path, key, auth, { maxPages = 200 } = {}) {
    const items = [];
    const pages = [];
    let next = path;
    for (let i = 0; next && i < maxPages; i++) {
        const r = await desk.api('GET', next, { auth });
        if (r.status !== 200) {
            throw new Error(`GET ${next}: ${show(r)}`);
        }
        pages.push(r.json);
        items.push(...r.json[key]);
        next = r.json.next_page;
    }
    if (next) {
        throw new Error(`offset pagination of ${path} did not end after ${maxPages} pages`);
    }
    return { items, pages };
}

/** Follow cursor pagination (links.next) from PATH, return every item under KEY. */
export async function allPagesCursor(desk, path, key, auth, { maxPages = 200 } = {}) {
    const items = [];
    const pages = [];
    let next = path;
    for (let i = 0; next && i < maxPages; i++) {
        const r = await desk.api('GET', next, { auth });
        if (r.status !== 200) {
            throw new Error(`GET ${next}: ${show(r)}`);
        }
        pages.push(r.json);
        items.push(...r.json[key]);
        next = r.json.links && r.json.links.next;
    }
    if (next) {
        throw new Error(`cursor pagination of ${path} did not end after ${maxPages} pages`);
    }
    return { items, pages };
}

/** Every key a ticket must carry (ZENDESK_API.md §6.1, plus desk's language and version). */
export const TICKET_KEYS = [
    'id', 'url', 'external_id', 'via', 'created_at', 'updated_at', 'type', 'subject', 'raw_subject',
    'description', 'priority', 'status', 'recipient', 'requester_id', 'submitter_id', 'assignee_id',
    'organization_id', 'group_id', 'collaborator_ids', 'follower_ids', 'email_cc_ids', 'followup_ids',
    'sharing_agreement_ids', 'forum_topic_id', 'problem_id', 'has_incidents', 'is_public', 'due_at',
    'tags', 'custom_fields', 'fields', 'satisfaction_rating', 'ticket_form_id', 'brand_id',
    'allow_channelback', 'allow_attachments', 'from_messaging_channel', 'language', 'version',
];

/** Every key a user must carry (§6.3, plus desk_role). */
export const USER_KEYS = [
    'id', 'url', 'name', 'email', 'created_at', 'updated_at', 'time_zone', 'iana_time_zone', 'phone',
    'shared_phone_number', 'photo', 'locale', 'locale_id', 'organization_id', 'role', 'role_type',
    'custom_role_id', 'verified', 'external_id', 'tags', 'alias', 'active', 'shared', 'shared_agent',
    'last_login_at', 'two_factor_auth_enabled', 'signature', 'details', 'notes', 'moderator',
    'ticket_restriction', 'only_private_comments', 'restricted_agent', 'suspended', 'default_group_id',
    'report_csv', 'user_fields', 'desk_role',
];

export const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Keys of KEYS missing from OBJ. */
export function missingKeys(obj, keys) {
    return keys.filter((k) => !Object.hasOwn(obj, k));
}

/** Run FN over ITEMS with at most N in flight; resolve the results in order. */
export async function pool(items, n, fn) {
    const results = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
    return results;
}


/**
 * The users most files need, created through the CLI with passwords:
 * admin, supervisor, agent, agent2, customer, customer2 (end users).
 */
export async function addStandardUsers(desk) {
    const spec = [
        ['admin', 'admin', 'Ada Admin'],
        ['supervisor', 'supervisor', 'Sam Supervisor'],
        ['agent', 'agent', 'Alice Agent'],
        ['agent2', 'agent', 'Bob Agent'],
        ['customer', 'end-user', 'Carol Customer'],
        ['customer2', 'end-user', 'Dave Customer'],
    ];
    const out = {};
    for (const [key, role, name] of spec) {
        out[key] = await desk.addUser(key, { role, name, password: `Pw-${key}-e2e-Secret9!` });
    }
    return out;
}

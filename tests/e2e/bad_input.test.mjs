// A corpus of malformed and hostile requests. Each must get the documented 4xx
// with a Zendesk-shaped JSON error that names the field or the reason; none may
// write anything (ticket and user counts unchanged) or take the server down.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, basicToken, basicPassword, bearer, show } from './lib/desk.mjs';

let desk;
let u;
let ticketId;

before(async () => {
    desk = await Desk.create('bad_input');
    u = await addStandardUsers(desk);
    await desk.start();
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'target', comment: { body: 'x' } } } });
    assert.equal(r.status, 201, show(r));
    ticketId = r.json.ticket.id;
});

after(async () => {
    await desk?.stop();
});

const okTicket = (extra = {}) => ({ ticket: { subject: 'valid subject', comment: { body: 'valid body' }, ...extra } });
const okUser = (extra = {}) => ({ user: { name: 'Valid Name', email: 'valid.new.user@bad.example', ...extra } });

function nested(depth) {
    return '['.repeat(depth) + ']'.repeat(depth);
}

function nestedObjects(depth) {
    return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

// [name, method, path, body, expected statuses, what the error must mention (regexp over the body, or null), auth]
// auth defaults to the agent; 'admin' for user creation checks.
const CASES = [
    // --- malformed JSON
    ['truncated JSON', 'POST', 'tickets.json', '{"ticket": {"subject": "x", ', [400], null],
    ['trailing garbage', 'POST', 'tickets.json', '{"ticket":{"subject":"x","comment":{"body":"y"}}} xyz', [400], null],
    ['single quotes', 'POST', 'tickets.json', "{'ticket': {}}", [400], null],
    ['empty body', 'POST', 'tickets.json', '', [400, 422], null],
    ['JSON null', 'POST', 'tickets.json', 'null', [400, 422], null],
    ['top-level array', 'POST', 'tickets.json', '[{"ticket":{}}]', [400, 422], null],
    ['ticket is a string', 'POST', 'tickets.json', '{"ticket":"subject please"}', [400, 422], /ticket/],
    ['NaN literal', 'POST', 'tickets.json', '{"ticket":{"subject":"x","comment":{"body":"y"},"assignee_id":NaN}}', [400], null],
    ['1000-deep array', 'POST', 'tickets.json', `{"ticket":{"subject":"x","comment":{"body":"y"},"custom_fields":${nested(1000)}}}`, [400], null],
    ['40-deep objects', 'POST', 'tickets.json', `{"ticket":{"subject":"x","comment":{"body":"y"},"via":${nestedObjects(40)}}}`, [400], null],
    ['invalid UTF-8 in a string', 'POST', 'tickets.json', Buffer.concat([Buffer.from('{"ticket":{"subject":"bad '), Buffer.from([0xff, 0xfe]), Buffer.from('","comment":{"body":"y"}}}')]), [400], null],
    ['overlong UTF-8 encoding', 'POST', 'tickets.json', Buffer.concat([Buffer.from('{"ticket":{"subject":"x'), Buffer.from([0xc0, 0xaf]), Buffer.from('","comment":{"body":"y"}}}')]), [400], null],
    ['UTF-8 surrogate bytes', 'POST', 'tickets.json', Buffer.concat([Buffer.from('{"ticket":{"subject":"x'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","comment":{"body":"y"}}}')]), [400], null],
    ['lone surrogate escape', 'POST', 'tickets.json', '{"ticket":{"subject":"x\\ud800","comment":{"body":"y"}}}', [400, 422], null],
    ['invalid UTF-8 in a user name', 'POST', 'users.json', Buffer.concat([Buffer.from('{"user":{"name":"'), Buffer.from([0xc3]), Buffer.from('","email":"utf8@bad.example"}}')]), [400], null, 'admin'],

    // --- wrong types and values, tickets
    ['subject is a number', 'POST', 'tickets.json', okTicket({ subject: 123 }), [400, 422], /subject/],
    ['comment is a string', 'POST', 'tickets.json', { ticket: { subject: 'x', comment: 'hello' } }, [400, 422], /comment/],
    ['comment body is an object', 'POST', 'tickets.json', { ticket: { subject: 'x', comment: { body: { text: 'y' } } } }, [400, 422], /comment|body/],
    ['comment public is a string', 'POST', 'tickets.json', { ticket: { subject: 'x', comment: { body: 'y', public: 'nope' } } }, [400, 422], /public/],
    ['unknown priority', 'POST', 'tickets.json', okTicket({ priority: 'superurgent' }), [422], /priority/],
    ['unknown status', 'POST', 'tickets.json', okTicket({ status: 'frozen' }), [422], /status/],
    ['unknown type', 'POST', 'tickets.json', okTicket({ type: 'complaint-ish' }), [422], /type/],
    ['priority is a number', 'POST', 'tickets.json', okTicket({ priority: 3 }), [400, 422], /priority/],
    ['tags is an object', 'POST', 'tickets.json', okTicket({ tags: { a: 1 } }), [400, 422], /tags/],
    ['requester_id is a string', 'POST', 'tickets.json', okTicket({ requester_id: 'abc' }), [400, 422], /requester/],
    ['requester_id does not exist', 'POST', 'tickets.json', okTicket({ requester_id: 987654321 }), [422], /requester/],
    ['requester_id is huge', 'POST', 'tickets.json', okTicket({ requester_id: 1e30 }), [400, 422], /requester/],
    ['assignee_id is a string', 'POST', 'tickets.json', okTicket({ assignee_id: 'me' }), [400, 422], /assignee/],
    ['assignee is an end user', 'POST', 'tickets.json', null, [422], /assignee/],
    ['group_id does not exist', 'POST', 'tickets.json', okTicket({ group_id: 987654321 }), [422], /group/],
    ['due_at is not a date', 'POST', 'tickets.json', okTicket({ type: 'task', due_at: 'next tuesday' }), [400, 422], /due_at/],
    ['collaborator_ids is a string', 'POST', 'tickets.json', okTicket({ collaborator_ids: 'x' }), [400, 422], /collaborator/],
    ['subject of 256 characters', 'POST', 'tickets.json', okTicket({ subject: 'é'.repeat(256) }), [422], /subject/],
    ['comment body over 64 KiB', 'POST', 'tickets.json', { ticket: { subject: 'long', comment: { body: 'x'.repeat(64 * 1024 + 1) } } }, [422], /comment|body/],
    ['update: unknown status', 'PUT', 'tickets/TID.json', { ticket: { status: 'frozen' } }, [422], /status/],
    ['update: subject is a number', 'PUT', 'tickets/TID.json', { ticket: { subject: 256 } }, [400, 422], /subject/],
    ['update: additional_tags is a number', 'PUT', 'tickets/TID.json', { ticket: { additional_tags: 7 } }, [400, 422], /tags/],
    ['update: safe_update is a string', 'PUT', 'tickets/TID.json', { ticket: { safe_update: 'yes', updated_stamp: 5, priority: 'high' } }, [400, 409, 422], null],
    ['create_many is not an array', 'POST', 'tickets/create_many.json', { tickets: { subject: 'x' } }, [400, 422], /tickets/],
    ['create_many over 100 tickets', 'POST', 'tickets/create_many.json', { tickets: Array.from({ length: 101 }, () => ({ subject: 'x', comment: { body: 'y' } })) }, [400, 422], null],

    // --- wrong types and values, users
    ['user without a name', 'POST', 'users.json', { user: { email: 'noname@bad.example' } }, [422], /name/, 'admin'],
    ['user name is a number', 'POST', 'users.json', okUser({ name: 42 }), [400, 422], /name/, 'admin'],
    ['user email is invalid', 'POST', 'users.json', okUser({ email: 'not-an-email' }), [422], /email/, 'admin'],
    ['user email already used', 'POST', 'users.json', null, [422], /email/, 'admin'],
    ['user role unknown', 'POST', 'users.json', okUser({ role: 'superuser' }), [422], /role/, 'admin'],
    ['user organization does not exist', 'POST', 'users.json', okUser({ organization_id: 987654321 }), [422], /organization/, 'admin'],
    ['user is not an object', 'POST', 'users.json', { user: ['x'] }, [400, 422], /user/, 'admin'],

    // --- organizations, groups, memberships
    ['organization without a name', 'POST', 'organizations.json', { organization: { notes: 'x' } }, [422], /name/, 'admin'],
    ['organization name is a number', 'POST', 'organizations.json', { organization: { name: 5 } }, [400, 422], /name/, 'admin'],
    ['organization shared_tickets is a string', 'POST', 'organizations.json', { organization: { name: 'Typed Org', shared_tickets: 'yes' } }, [400, 422], /shared_tickets/, 'admin'],
    ['group without a name', 'POST', 'groups.json', { group: { description: 'x' } }, [422], /name/, 'admin'],
    ['group name is an array', 'POST', 'groups.json', { group: { name: ['a'] } }, [400, 422], /name/, 'admin'],
    ['membership for a missing user', 'POST', 'group_memberships.json', { group_membership: { user_id: 987654321, group_id: 1 } }, [422], /user/, 'admin'],
    ['membership for a missing group', 'POST', 'group_memberships.json', null, [422], /group/, 'admin'],
    ['membership ids are strings', 'POST', 'group_memberships.json', { group_membership: { user_id: 'me', group_id: 'all' } }, [400, 422], /user_id|group_id/, 'admin'],
    ['user update: role unknown', 'PUT', 'users/CUSTOMER.json', { user: { role: 'overlord' } }, [422], /role/, 'admin'],
    ['user update: email invalid', 'PUT', 'users/CUSTOMER.json', { user: { email: 'nope' } }, [422], /email/, 'admin'],
    ['user update: name empty', 'PUT', 'users/CUSTOMER.json', { user: { name: '' } }, [422], /name/, 'admin'],
    ['user update: organization missing', 'PUT', 'users/CUSTOMER.json', { user: { organization_id: 987654321 } }, [422], /organization/, 'admin'],
    ['request without a comment', 'POST', 'requests.json', { request: { subject: 'no comment' } }, [422], null, 'customer'],
    ['request comment is a number', 'POST', 'requests.json', { request: { subject: 'x', comment: { body: 7 } } }, [400, 422], /comment|body/, 'customer'],

    // --- paths and parameters
    ['id beyond int64', 'GET', 'tickets/99999999999999999999.json', undefined, [400, 404], null],
    ['id is not a number', 'GET', 'tickets/abc.json', undefined, [400, 404], null],
    ['negative id', 'GET', 'tickets/-1.json', undefined, [400, 404], null],
    ['id zero', 'GET', 'tickets/0.json', undefined, [404], /RecordNotFound/],
    ['unknown route', 'GET', 'no_such_resource.json', undefined, [404], /RecordNotFound/],
    ['unknown sub-route', 'GET', 'tickets/TID/no_such_thing.json', undefined, [404], /RecordNotFound/],
    ['memberships of an unknown group', 'GET', 'groups/987654321/memberships.json', undefined, [404], /RecordNotFound/],
    ['memberships of an unknown user', 'GET', 'users/987654321/group_memberships.json', undefined, [404], /RecordNotFound/],
    ['tickets of an unknown organization', 'GET', 'organizations/987654321/tickets.json', undefined, [404], /RecordNotFound/],
    ['requested tickets of an unknown user', 'GET', 'users/987654321/tickets/requested.json', undefined, [404], /RecordNotFound/],
    ['comments of an unknown ticket', 'GET', 'tickets/987654321/comments.json', undefined, [404], /RecordNotFound/],
    ['path traversal', 'GET', '/api/v2/../../etc/passwd', undefined, [400, 404], null],
    ['encoded NUL in path', 'GET', 'tickets/1%00.json', undefined, [400, 404], null],
    ['wrong method: DELETE collection', 'DELETE', 'tickets.json', undefined, [405], null],
    ['wrong method: POST users/me', 'POST', 'users/me.json', {}, [405], null],
    ['wrong method: PUT search', 'PUT', 'search.json?query=x', {}, [405], null],
    ['wrong method: PATCH ticket', 'PATCH', 'tickets/TID.json', { ticket: {} }, [405], null],
    ['per_page is not a number', 'GET', 'tickets.json?per_page=abc', undefined, [400], /per_page/],
    ['page is negative', 'GET', 'tickets.json?page=-3', undefined, [400], /page/],
    ['page[size] is not a number', 'GET', 'tickets.json?page[size]=many', undefined, [400], /page/],
    ['cursor is garbage', 'GET', 'tickets.json?page[size]=2&page[after]=%%%garbage', undefined, [400], null],
    ['show_many ids are not numbers', 'GET', 'tickets/show_many.json?ids=a,b', undefined, [400], /ids/],
    ['incremental start_time is not a number', 'GET', 'incremental/tickets.json?start_time=yesterday', undefined, [400, 422], /start_time/, 'admin'],
    ['invalid UTF-8 in the query string (percent-encoded)', 'GET', 'search.json?query=%FF%FE', undefined, [400], null],
    ['search with an unterminated quote', 'GET', 'search.json?query=%22paper+jam', undefined, [400], null],
    ['search with an unknown status value', 'GET', 'search.json?query=status%3Cmaybe', undefined, [400], null],
    ['search with an impossible date', 'GET', 'search.json?query=created%3E2024-13-45', undefined, [400], null],
    ['search query of 100000 characters', 'GET', `search.json?query=${'a'.repeat(100000)}`, undefined, [400, 413, 414, 431], null],
];

const AUTH_CASES = [
    ['Basic token, wrong token', () => basicToken(u.agent.email, 'not-the-token')],
    ['Basic token, unknown e-mail', () => basicToken('nobody@bad.example', u.agent.token)],
    ["Basic token, another user's token", () => basicToken(u.agent.email, u.admin.token)],
    ['Basic password, wrong password', () => basicPassword(u.agent.email, 'wrong password')],
    ['Basic password, empty password', () => basicPassword(u.agent.email, '')],
    ['Basic password, token given as password', () => basicPassword(u.agent.email, u.agent.token)],
    ['Basic, not base64', () => 'Basic !!!not-base64!!!'],
    ['Basic, no colon', () => 'Basic ' + Buffer.from('justausername').toString('base64')],
    ['Basic, empty', () => 'Basic '],
    ['Bearer, wrong token', () => bearer('not-a-token')],
    ['Bearer, empty', () => 'Bearer '],
    ['unknown scheme', () => `Digest username="${u.agent.email}"`],
    ['token with /token but a password user', () => basicToken(u.agent.email, u.agent.password)],
];

async function counts() {
    const t = await desk.api('GET', 'tickets.json', { auth: u.admin });
    const us = await desk.api('GET', 'users.json', { auth: u.admin });
    assert.equal(t.status, 200, show(t));
    assert.equal(us.status, 200, show(us));
    return { tickets: t.json.count, users: us.json.count };
}

function checkError(r, name, want, mention, problems) {
    if (!want.includes(r.status)) {
        problems.push(`${name}: expected ${want.join(' or ')}, got ${show(r)}`);
        return;
    }
    const ct = r.headers.get('content-type') || '';
    if (![413, 414, 431].includes(r.status) && ct !== 'application/json; charset=utf-8') {
        problems.push(`${name}: Content-Type ${JSON.stringify(ct)}`);
    }
    if (![413, 414, 431].includes(r.status) && !(r.json && r.json.error)) {
        problems.push(`${name}: error body should be JSON with "error": ${r.text}`);
    }
    if (r.status === 422 && !(r.json && r.json.error === 'RecordInvalid' && r.json.details)) {
        problems.push(`${name}: 422 body should be RecordInvalid with details: ${r.text}`);
    }
    if (mention && !mention.test(r.text)) {
        problems.push(`${name}: error should mention ${mention}: ${r.text}`);
    }
}

test('malformed and invalid requests get the documented 4xx and change nothing', async () => {
    const before = await counts();
    const initial = { ...before };
    const problems = [];
    for (const [name, method, rawPath, rawBody, want, mention, who] of CASES) {
        const path = rawPath.replace('TID', String(ticketId)).replace('CUSTOMER', String(u.customer.id));
        let body = rawBody;
        if (name === 'assignee is an end user') {
            body = okTicket({ assignee_id: u.customer.id });
        } else if (name === 'user email already used') {
            body = okUser({ email: u.customer.email });
        } else if (name === 'membership for a missing group') {
            body = { group_membership: { user_id: u.agent.id, group_id: 987654321 } };
        }
        const auth = who ? u[who] : u.agent;
        let r;
        if (path.startsWith('/api/v2/..') || path.includes('%00')) {
            const raw = await desk.raw(`GET ${path.startsWith('/') ? path : '/api/v2/' + path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basicToken(u.agent.email, u.agent.token)}\r\nConnection: close\r\n\r\n`);
            r = { status: raw.status, headers: new Headers(), json: null, text: raw.text };
            try {
                r.json = JSON.parse(raw.text);
            } catch {}
            const ctLine = raw.head.match(/^content-type:\s*(.*)$/im);
            if (ctLine) {
                r.headers.set('content-type', ctLine[1].trim());
            }
        } else {
            try {
                r = await desk.api(method, path, { auth, body });
            } catch (e) {
                problems.push(`${name} (${method} ${path.slice(0, 80)}): no HTTP response: ${e.cause?.code ?? ''} ${e.message}`);
                continue;
            }
        }
        checkError(r, `${name} (${method} ${path.slice(0, 80)})`, want, mention, problems);
        if (method !== 'GET') {
            const now = await counts();
            if (now.tickets !== before.tickets || now.users !== before.users) {
                problems.push(`${name}: it wrote something: counts ${JSON.stringify(before)} -> ${JSON.stringify(now)}`);
                Object.assign(before, now);
            }
        }
    }
    assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.join('\n')}`);
    assert.deepEqual(await counts(), initial, 'nothing was written');
    const t = await desk.api('GET', `tickets/${ticketId}.json`, { auth: u.agent });
    assert.equal(t.json.ticket.status, 'new', 'the target ticket is unchanged');
    assert.equal(t.json.ticket.subject, 'target');
    assert.deepEqual(problems, [], `${problems.length} problems:\n${problems.join('\n')}`);
});

test('bad credentials in every auth form: 401 with the Zendesk body', async () => {
    const problems = [];
    for (const [name, header] of AUTH_CASES) {
        for (const path of ['users/me.json', 'tickets.json']) {
            const r = await desk.api('GET', path, { auth: header() });
            if (r.status !== 401 || r.json?.error !== "Couldn't authenticate you") {
                problems.push(`${name} on ${path}: expected 401 {"error":"Couldn't authenticate you"}, got ${show(r)}`);
            } else if (r.headers.get('content-type') !== 'application/json; charset=utf-8') {
                problems.push(`${name}: Content-Type ${r.headers.get('content-type')}`);
            } else if (r.headers.get('retry-after')) {
                problems.push(`${name}: Retry-After on a 401 makes node-zendesk misbehave`);
            }
        }
        const w = await desk.api('POST', 'tickets.json', { auth: header(), body: okTicket() });
        if (w.status !== 401) {
            problems.push(`${name} on POST tickets.json: expected 401, got ${show(w)}`);
        }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
});

test('a 2 MiB body is refused with 400 and the server carries on', async () => {
    const before = await counts();
    const big = JSON.stringify({ ticket: { subject: 'huge', comment: { body: 'x'.repeat(2 * 1024 * 1024) } } });
    const r = await desk.httpRequest('POST', 'tickets.json', { auth: u.agent, body: big });
    assert.equal(r.status, 400, `2 MiB body: ${r.status} ${r.text?.slice(0, 300)} ${r.error ?? ''}`);
    assert.ok(r.json && r.json.error, `JSON error body: ${r.text?.slice(0, 300)}`);
    const justOver = JSON.stringify({ ticket: { subject: 'just over', comment: { body: 'y'.repeat(1024 * 1024) } } });
    const r2 = await desk.httpRequest('POST', 'tickets.json', { auth: u.agent, body: justOver });
    assert.equal(r2.status, 400, `just over 1 MiB: ${r2.status} ${r2.text?.slice(0, 300)} ${r2.error ?? ''}`);
    assert.deepEqual(await counts(), before);
    const h = await desk.api('GET', '/healthz');
    assert.equal(h.status, 200);
});

test('a body just under the limit is handled normally (422 for the long comment, not 400)', async () => {
    const body = JSON.stringify({ ticket: { subject: 'almost', comment: { body: 'z'.repeat(1000 * 1000) } } });
    const r = await desk.httpRequest('POST', 'tickets.json', { auth: u.agent, body });
    assert.equal(r.status, 422, `${r.status} ${r.text?.slice(0, 300)}`);
    assert.match(r.text, /comment|body/);
});

test('raw bytes: invalid UTF-8 in the request line, bad headers, lying Content-Length', async () => {
    const auth = basicToken(u.agent.email, u.agent.token);
    const cases = [
        ['raw 0xFF in query', Buffer.concat([Buffer.from('GET /api/v2/search.json?query='), Buffer.from([0xff, 0xc3]), Buffer.from(` HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n`)]), [400]],
        ['raw 0xFF in path', Buffer.concat([Buffer.from('GET /api/v2/tickets/'), Buffer.from([0xff]), Buffer.from(`.json HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n`)]), [400, 404]],
        ['Content-Length shorter than the body', Buffer.from(`POST /api/v2/tickets.json HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{"ticket":{"subject":"s","comment":{"body":"b"}}}`), [400]],
        ['garbage request line', Buffer.from('HELLO\r\n\r\n'), [400, 0]],
        ['huge header', Buffer.from(`GET /api/v2/users/me.json HTTP/1.1\r\nHost: x\r\nX-Junk: ${'j'.repeat(200_000)}\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n`), [400, 413, 431, 0]],
    ];
    const problems = [];
    for (const [name, bytes, want] of cases) {
        const r = await desk.raw(bytes);
        if (!want.includes(r.status)) {
            problems.push(`${name}: expected ${want}, got ${r.status} ${r.head.split('\r\n')[0]} ${r.text.slice(0, 200)}`);
        }
    }
    const h = await desk.api('GET', '/healthz');
    assert.equal(h.status, 200, 'the server still answers');
    assert.deepEqual(problems, [], problems.join('\n'));
});

test('after all that the server still answers and can write', async () => {
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: okTicket({ subject: 'still alive' }) });
    assert.equal(r.status, 201, show(r));
    assert.equal(desk.proc !== null, true, 'the server process is running');
});

test('Host and X-Forwarded-* values cannot inject into absolute URLs', async () => {
    const auth = basicToken(u.agent.email, u.agent.token);
    const problems = [];
    const hosts = ['evil.example/"><script>', 'a b', 'x.example\\@y', 'host.example:80:90', 'x.example"'];
    for (const host of hosts) {
        const r = await desk.raw(`GET /api/v2/tickets.json?per_page=1 HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n`);
        if (r.status === 200) {
            let body;
            try {
                body = JSON.parse(r.text);
            } catch {
                problems.push(`Host ${JSON.stringify(host)}: 200 with a non-JSON body`);
                continue;
            }
            const url = body.tickets[0]?.url || '';
            if (/[<>"\s\\]/.test(url) || url.includes('"><')) {
                problems.push(`Host ${JSON.stringify(host)} was copied into ${JSON.stringify(url)}`);
            }
        } else if (r.status !== 400) {
            problems.push(`Host ${JSON.stringify(host)}: expected 400 or a sanitized URL, got ${r.status}`);
        }
    }
    for (const proto of ['javascript', 'ftp', 'https://evil.example', 'http\r\nX: y']) {
        const r = await desk.httpRequest('GET', 'tickets.json?per_page=1', { auth: u.agent, headers: { 'X-Forwarded-Proto': proto.replace(/[\r\n]/g, '') } });
        const url = r.json?.tickets?.[0]?.url || '';
        if (r.status === 200 && !/^https?:\/\/[^/]+\/api\/v2\/tickets\/\d+\.json$/.test(url)) {
            problems.push(`X-Forwarded-Proto ${JSON.stringify(proto)}: url ${JSON.stringify(url)}`);
        } else if (![200, 400].includes(r.status)) {
            problems.push(`X-Forwarded-Proto ${JSON.stringify(proto)}: ${show(r)}`);
        }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
});

test('HTTP/1.0 without Host still gets absolute URLs (or a 400), never "http:///"', async () => {
    const auth = basicToken(u.agent.email, u.agent.token);
    const r = await desk.raw(`GET /api/v2/tickets.json?per_page=1 HTTP/1.0\r\nAuthorization: ${auth}\r\n\r\n`);
    assert.ok([200, 400].includes(r.status), `${r.status} ${r.head}`);
    if (r.status === 200) {
        const url = JSON.parse(r.text).tickets[0].url;
        assert.match(url, /^http:\/\/[^/]+\/api\/v2\/tickets\/\d+\.json$/);
    }
});

test('curl with Expect: 100-continue and a 2 MiB body gets a 400 without sending it all', async () => {
    const { spawnSync } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const file = `${desk.dir}/big.json`;
    writeFileSync(file, JSON.stringify({ ticket: { subject: 'huge', comment: { body: 'x'.repeat(2 * 1024 * 1024) } } }));
    const res = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', '-u', `${u.agent.email}/token:${u.agent.token}`,
        '-H', 'Content-Type: application/json', '-H', 'Expect: 100-continue', '--data-binary', `@${file}`, `${desk.base}/tickets.json`], { encoding: 'utf8' });
    if (res.error && res.error.code === 'ENOENT') {
        return; // no curl here
    }
    assert.equal(res.stdout, '400', `curl said ${res.stdout} ${res.stderr}`);
    const h = await desk.api('GET', '/healthz');
    assert.equal(h.status, 200);
});

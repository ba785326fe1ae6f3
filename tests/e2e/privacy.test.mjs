// What customers may see: their own requests with public comments only; never
// internal notes (not in /requests, not in comments, not through search), never
// another customer's ticket, and their organization's tickets only when the
// organization shares tickets.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;
let org;
let t;

const SECRET = 'zebrasecretnote';
const SECRET_FIRST = 'quokkaprivatefirst';

async function must(method, path, body, auth = u.admin) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(r.status === 200 || r.status === 201, `${method} ${path}: ${show(r)}`);
    return r.json;
}

before(async () => {
    desk = await Desk.create('privacy');
    u = await addStandardUsers(desk);
    u.sharer1 = await desk.addUser('sharer1', { role: 'end-user', name: 'Sharon One' });
    u.sharer2 = await desk.addUser('sharer2', { role: 'end-user', name: 'Sharon Two' });
    u.closed1 = await desk.addUser('closed1', { role: 'end-user', name: 'Clo One' });
    u.closed2 = await desk.addUser('closed2', { role: 'end-user', name: 'Clo Two' });
    await desk.start();

    org = {
        shared: (await must('POST', 'organizations.json', { organization: { name: 'Sharing Ltd', shared_tickets: true, shared_comments: true } })).organization.id,
        closed: (await must('POST', 'organizations.json', { organization: { name: 'Closed Ltd', shared_tickets: false } })).organization.id,
    };
    for (const [key, o] of [['sharer1', org.shared], ['sharer2', org.shared], ['closed1', org.closed], ['closed2', org.closed]]) {
        await must('PUT', `users/${u[key].id}.json`, { user: { organization_id: o } });
    }

    const mk = async (ticket) => (await must('POST', 'tickets.json', { ticket }, u.agent)).ticket.id;
    t = {};
    t.main = await mk({ subject: 'Refund question', comment: { body: 'I want my money back' }, requester_id: u.customer.id });
    await must('PUT', `tickets/${t.main}.json`, { ticket: { comment: { body: `Customer is lying, ${SECRET}`, public: false } } }, u.agent);
    await must('PUT', `tickets/${t.main}.json`, { ticket: { status: 'pending', comment: { body: 'We are looking into it', public: true } } }, u.agent);
    t.privateFirst = await mk({ subject: 'Opened with a note', comment: { body: `Internal only: ${SECRET_FIRST}`, public: false }, requester_id: u.customer.id });
    t.other = await mk({ subject: 'Dave private matter', comment: { body: 'only for Dave' }, requester_id: u.customer2.id });
    t.shared = await mk({ subject: 'Shared org ticket', comment: { body: 'visible to colleagues' }, requester_id: u.sharer1.id, organization_id: org.shared });
    await must('PUT', `tickets/${t.shared}.json`, { ticket: { comment: { body: `colleague-hidden ${SECRET}`, public: false } } }, u.agent);
    t.closedOrg = await mk({ subject: 'Closed org ticket', comment: { body: 'not for colleagues' }, requester_id: u.closed1.id, organization_id: org.closed });
});

after(async () => {
    await desk?.stop();
});

function noSecret(r, what) {
    assert.ok(!r.text.includes(SECRET), `${what} leaks the internal note: ${r.text}`);
    assert.ok(!r.text.includes(SECRET_FIRST), `${what} leaks the private first comment: ${r.text}`);
}

test('the requester sees their request with public comments only', async () => {
    let r = await desk.api('GET', 'requests.json', { auth: u.customer });
    assert.equal(r.status, 200, show(r));
    assert.ok(r.json.requests.some((x) => x.id === t.main), 'own request listed');
    assert.ok(!r.json.requests.some((x) => x.id === t.other), "another customer's request is not listed");
    noSecret(r, 'GET /requests.json');

    r = await desk.api('GET', `requests/${t.main}.json`, { auth: u.customer });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.request.id, t.main);
    assert.equal(r.json.request.subject, 'Refund question');
    assert.equal(r.json.request.description, 'I want my money back');
    noSecret(r, `GET /requests/${t.main}.json`);

    r = await desk.api('GET', `requests/${t.main}/comments.json`, { auth: u.customer });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.json.comments.map((c) => c.body), ['I want my money back', 'We are looking into it']);
    assert.ok(r.json.comments.every((c) => c.public === true));
    noSecret(r, `GET /requests/${t.main}/comments.json`);

    r = await desk.api('GET', `requests/${t.main}/comments.json?page[size]=1`, { auth: u.customer });
    assert.equal(r.status, 200, show(r));
    noSecret(r, 'cursor-paged request comments');
});

test('a ticket opened with an internal note does not leak it to the requester', async () => {
    for (const path of ['requests.json', `requests/${t.privateFirst}.json`, `requests/${t.privateFirst}/comments.json`]) {
        const r = await desk.api('GET', path, { auth: u.customer });
        assert.ok([200, 404].includes(r.status), `GET ${path}: ${show(r)}`);
        noSecret(r, `GET ${path}`);
    }
});

test('the requester cannot reach the agent views of their ticket or search', async () => {
    for (const path of [`tickets/${t.main}.json`, `tickets/${t.main}/comments.json`, `tickets/${t.main}/audits.json`, `search.json?query=${SECRET}`, `search.json?query=refund`]) {
        const r = await desk.api('GET', path, { auth: u.customer });
        assert.equal(r.status, 403, `GET ${path}: ${show(r)}`);
        noSecret(r, `GET ${path}`);
    }
    const rs = await desk.api('GET', `requests/search.json?query=${SECRET}`, { auth: u.customer });
    assert.ok([200, 403, 404].includes(rs.status), `requests/search: ${show(rs)}`);
    if (rs.status === 200) {
        assert.ok(!(rs.json.requests || []).some((x) => x.id === t.main), 'a search for the note text must not find the request');
    }
    noSecret(rs, 'GET /requests/search.json');
});

test('agents do see the internal note (so the privacy checks above are meaningful)', async () => {
    const r = await desk.api('GET', `tickets/${t.main}/comments.json`, { auth: u.agent });
    assert.ok(r.text.includes(SECRET));
    const s = await desk.api('GET', `search.json?query=${SECRET}`, { auth: u.agent });
    assert.equal(s.status, 200, show(s));
    assert.ok(s.json.results.some((x) => x.id === t.main), `agent search finds the note: ${s.text}`);
});

test('the requester replying through /requests cannot post an internal note', async () => {
    const r = await desk.api('PUT', `requests/${t.main}.json`, { auth: u.customer, body: { request: { comment: { body: 'customer says hi', public: false } } } });
    assert.equal(r.status, 200, show(r));
    const c = await desk.api('GET', `tickets/${t.main}/comments.json`, { auth: u.agent });
    const mine = c.json.comments.find((x) => x.body === 'customer says hi');
    assert.ok(mine, 'comment added');
    assert.equal(mine.public, true, 'end-user comments are always public');
    assert.equal(mine.author_id, u.customer.id);
});

test("another customer cannot see, list, comment on or find someone else's ticket", async () => {
    for (const path of [`requests/${t.main}.json`, `requests/${t.main}/comments.json`]) {
        const r = await desk.api('GET', path, { auth: u.customer2 });
        assert.equal(r.status, 404, `GET ${path} as customer2: ${show(r)}`);
    }
    const l = await desk.api('GET', 'requests.json', { auth: u.customer2 });
    assert.equal(l.status, 200, show(l));
    assert.ok(!l.json.requests.some((x) => x.id === t.main));
    assert.ok(l.json.requests.some((x) => x.id === t.other));
    const p = await desk.api('PUT', `requests/${t.main}.json`, { auth: u.customer2, body: { request: { comment: { body: 'intruder' } } } });
    assert.equal(p.status, 404, show(p));
    const c = await desk.api('GET', `tickets/${t.main}/comments.json`, { auth: u.agent });
    assert.ok(!c.text.includes('intruder'), 'nothing was written');
    const other = await desk.api('GET', `users/${u.customer.id}.json`, { auth: u.customer2 });
    assert.equal(other.status, 403, show(other));
});

test('organization colleagues see shared tickets (public comments only) when the org shares tickets', async () => {
    let r = await desk.api('GET', `requests/${t.shared}.json`, { auth: u.sharer2 });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.request.subject, 'Shared org ticket');
    noSecret(r, 'shared request');
    r = await desk.api('GET', `requests/${t.shared}/comments.json`, { auth: u.sharer2 });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.json.comments.map((c) => c.body), ['visible to colleagues']);
    noSecret(r, 'shared request comments');
    r = await desk.api('GET', `requests/${t.shared}.json`, { auth: u.customer });
    assert.equal(r.status, 404, `outsider on a shared-org ticket: ${show(r)}`);
});

test('organization colleagues do not see each other\'s tickets when the org does not share', async () => {
    for (const path of [`requests/${t.closedOrg}.json`, `requests/${t.closedOrg}/comments.json`]) {
        const r = await desk.api('GET', path, { auth: u.closed2 });
        assert.equal(r.status, 404, `GET ${path}: ${show(r)}`);
    }
    const l = await desk.api('GET', 'requests.json', { auth: u.closed2 });
    assert.ok(!l.json.requests.some((x) => x.id === t.closedOrg));
    const own = await desk.api('GET', `requests/${t.closedOrg}.json`, { auth: u.closed1 });
    assert.equal(own.status, 200, show(own));
});

test('turning shared_tickets off hides the colleague ticket again', async () => {
    await must('PUT', `organizations/${org.shared}.json`, { organization: { shared_tickets: false } });
    const r = await desk.api('GET', `requests/${t.shared}.json`, { auth: u.sharer2 });
    assert.equal(r.status, 404, show(r));
    await must('PUT', `organizations/${org.shared}.json`, { organization: { shared_tickets: true } });
});

test('a customer creating a request is its requester and cannot pick someone else', async () => {
    const r = await desk.api('POST', 'requests.json', {
        auth: u.customer2,
        body: { request: { subject: 'my own', comment: { body: 'help' }, requester_id: u.customer.id } },
    });
    if (r.status !== 201) {
        assert.ok([403, 422].includes(r.status), show(r));
        return;
    }
    const id = r.json.request.id;
    const t2 = await desk.api('GET', `tickets/${id}.json`, { auth: u.agent });
    assert.equal(t2.json.ticket.requester_id, u.customer2.id);
    assert.equal(t2.json.ticket.submitter_id, u.customer2.id);
    const seen = await desk.api('GET', `requests/${id}.json`, { auth: u.customer });
    assert.equal(seen.status, 404, show(seen));
});

test('an end user cannot set agent-only fields or another author through /requests', async () => {
    const r = await desk.api('POST', 'requests.json', {
        auth: u.customer,
        body: {
            request: {
                subject: 'sneaky',
                comment: { body: 'sneaky body', author_id: u.agent.id, public: false },
                status: 'solved',
                assignee_id: u.agent.id,
                group_id: 1,
                tags: ['vip_override'],
                submitter_id: u.agent.id,
            },
        },
    });
    assert.ok([201, 403, 422].includes(r.status), show(r));
    if (r.status !== 201) {
        return;
    }
    const id = r.json.request.id;
    const t2 = (await desk.api('GET', `tickets/${id}.json`, { auth: u.agent })).json.ticket;
    assert.notEqual(t2.status, 'solved', 'end user cannot create a solved ticket');
    assert.equal(t2.assignee_id, null, 'end user cannot assign');
    assert.equal(t2.submitter_id, u.customer.id);
    const c = (await desk.api('GET', `tickets/${id}/comments.json`, { auth: u.agent })).json.comments;
    assert.equal(c[0].author_id, u.customer.id, 'comment author is the caller');
    assert.equal(c[0].public, true);

    const p = await desk.api('PUT', `requests/${id}.json`, {
        auth: u.customer,
        body: { request: { comment: { body: 'spoofed reply', author_id: u.agent.id }, assignee_id: u.agent.id, priority: 'urgent', status: 'closed' } },
    });
    assert.ok([200, 403, 422].includes(p.status), show(p));
    const after = (await desk.api('GET', `tickets/${id}.json`, { auth: u.agent })).json.ticket;
    assert.equal(after.assignee_id, null);
    assert.notEqual(after.status, 'closed');
    const c2 = (await desk.api('GET', `tickets/${id}/comments.json`, { auth: u.agent })).json.comments;
    for (const x of c2) {
        assert.equal(x.author_id, u.customer.id, `comment "${x.body}" attributed to ${x.author_id}`);
    }
});

test('comment HTML is escaped: a script in a body never comes back as markup', async () => {
    const evil = '<script>alert("xss")</script><img src=x onerror=alert(1)>';
    const r = await desk.api('POST', 'requests.json', { auth: u.customer, body: { request: { subject: 'html <b>subject</b>', comment: { body: evil } } } });
    assert.equal(r.status, 201, show(r));
    const id = r.json.request.id;
    const c = await desk.api('GET', `tickets/${id}/comments.json`, { auth: u.agent });
    const first = c.json.comments[0];
    assert.equal(first.body, evil, 'body keeps the source text');
    assert.ok(!/<script/i.test(first.html_body), `html_body has a live script tag: ${first.html_body}`);
    assert.ok(!/<img[^>]*onerror/i.test(first.html_body), `html_body has a live onerror: ${first.html_body}`);
    const h = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'html_body in', comment: { html_body: '<p>ok</p><script>alert(2)</script>' } } } });
    if (h.status === 201) {
        const hc = await desk.api('GET', `tickets/${h.json.ticket.id}/comments.json`, { auth: u.agent });
        assert.ok(!/<script/i.test(hc.json.comments[0].html_body), `html_body input is sanitized: ${hc.json.comments[0].html_body}`);
    }
});

// Tickets through the plain HTTP API: the create response (201, Location, ticket
// and audit, every documented key), the system status rules of ZENDESK_API.md
// §6.1, tags, comments oldest first, audits with one entry per change, bulk
// updates through job statuses, deletion, and the incremental export.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show, TICKET_KEYS, ISO_SECONDS, missingKeys } from './lib/desk.mjs';

let desk;
let u;

before(async () => {
    desk = await Desk.create('tickets');
    u = await addStandardUsers(desk);
    await desk.start();
});

after(async () => {
    await desk?.stop();
});

async function create(ticket, auth = u.agent) {
    const r = await desk.api('POST', 'tickets.json', { auth, body: { ticket } });
    assert.equal(r.status, 201, `create ${JSON.stringify(ticket)}: ${show(r)}`);
    return r.json.ticket;
}

async function update(id, ticket, auth = u.agent) {
    return desk.api('PUT', `tickets/${id}.json`, { auth, body: { ticket } });
}

async function get(id, auth = u.agent) {
    const r = await desk.api('GET', `tickets/${id}.json`, { auth });
    assert.equal(r.status, 200, show(r));
    return r.json.ticket;
}

test('create answers 201 with Location, ticket and audit, and every ticket key', async () => {
    const r = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: {
            ticket: {
                subject: 'My printer is on fire!',
                comment: { body: 'The smoke is very colorful.' },
                requester_id: u.customer.id,
                priority: 'urgent',
                type: 'incident',
                tags: ['Printer', 'FIRE'],
            },
        },
    });
    assert.equal(r.status, 201, show(r));
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    const t = r.json.ticket;
    assert.ok(t, 'body has "ticket"');
    assert.ok(!Object.hasOwn(r.json, 'tickets'), 'a single-ticket response never carries "tickets"');
    assert.ok(r.json.audit && typeof r.json.audit === 'object', `body has "audit": ${r.text}`);
    assert.deepEqual(missingKeys(t, TICKET_KEYS), [], 'missing ticket keys');
    assert.equal(r.headers.get('location'), `${desk.url}/api/v2/tickets/${t.id}.json`);
    assert.equal(t.url, `${desk.url}/api/v2/tickets/${t.id}.json`);
    assert.equal(typeof t.id, 'number');
    assert.equal(t.subject, 'My printer is on fire!');
    assert.equal(t.raw_subject, 'My printer is on fire!');
    assert.equal(t.description, 'The smoke is very colorful.');
    assert.equal(t.status, 'new', 'no assignee: new');
    assert.equal(t.priority, 'urgent');
    assert.equal(t.type, 'incident');
    assert.equal(t.requester_id, u.customer.id);
    assert.equal(t.submitter_id, u.agent.id, 'submitter is the caller');
    assert.equal(t.assignee_id, null);
    assert.equal(t.group_id, null);
    assert.equal(t.external_id, null);
    assert.equal(t.due_at, null);
    assert.equal(t.is_public, true);
    assert.equal(t.via?.channel, 'api');
    assert.match(t.created_at, ISO_SECONDS);
    assert.match(t.updated_at, ISO_SECONDS);
    assert.deepEqual([...t.tags].sort(), ['fire', 'printer'], 'tags lowercased');
    for (const k of ['collaborator_ids', 'follower_ids', 'email_cc_ids', 'followup_ids', 'sharing_agreement_ids', 'custom_fields', 'fields']) {
        assert.ok(Array.isArray(t[k]), `${k} is an array`);
    }
    const audit = r.json.audit;
    assert.equal(audit.ticket_id, t.id);
    assert.equal(audit.author_id, u.agent.id);
    assert.ok(Array.isArray(audit.events) && audit.events.length > 0, 'audit has events');
});

test('without .json and by id', async () => {
    const t = await create({ subject: 'no suffix', comment: { body: 'x' } });
    const a = await desk.api('GET', `tickets/${t.id}`, { auth: u.agent });
    const b = await desk.api('GET', `tickets/${t.id}.json`, { auth: u.agent });
    assert.equal(a.status, 200, show(a));
    assert.deepEqual(a.json, b.json);
    assert.equal(t.requester_id, u.agent.id, 'requester defaults to the caller');
});

test('create needs a comment', async () => {
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'no comment' } } });
    assert.equal(r.status, 422, show(r));
    assert.equal(r.json.error, 'RecordInvalid');
    assert.ok(r.json.details && Object.keys(r.json.details).length > 0, `details name the field: ${r.text}`);
});

test('description alone is accepted as the first comment', async () => {
    const t = await create({ subject: 'described', description: 'From the description field' });
    assert.equal(t.description, 'From the description field');
    const c = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    assert.equal(c.json.comments.length, 1, show(c));
    assert.equal(c.json.comments[0].body, 'From the description field');
});

test('a ticket language is a BCP 47 tag, kept in its canonical case', async () => {
    const t = await create({ subject: 'in Portuguese', comment: { body: 'x' }, language: 'PT-br' });
    assert.equal(t.language, 'pt-BR');
    for (const bad of ['xx', 'english', 'pt_BR', 'cs-', '<b>']) {
        const r = await desk.api('POST', 'tickets.json', {
            auth: u.agent,
            body: { ticket: { subject: 'bad language', comment: { body: 'x' }, language: bad } },
        });
        assert.equal(r.status, 422, `${bad}: ${show(r)}`);
        assert.ok(r.json.details?.language, `details.language for ${bad}: ${r.text}`);
    }
    const r = await update(t.id, { language: 'ES-419' });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.ticket.language, 'es-419');
});

test('status is open when created with an assignee', async () => {
    const t = await create({ subject: 'assigned', comment: { body: 'x' }, assignee_id: u.agent2.id });
    assert.equal(t.status, 'open');
    assert.equal(t.assignee_id, u.agent2.id);
});

test('a ticket never goes back to new', async () => {
    const t = await create({ subject: 'forward only', comment: { body: 'x' } });
    let r = await update(t.id, { status: 'open' });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.ticket.status, 'open');
    r = await update(t.id, { status: 'new' });
    assert.equal(r.status, 422, show(r));
    assert.equal(r.json.error, 'RecordInvalid');
    assert.ok(r.json.details?.status, `details.status: ${r.text}`);
    assert.equal((await get(t.id)).status, 'open', 'the rejected change was not applied');
});

test('an agent solving an unassigned ticket becomes its assignee', async () => {
    const t = await create({ subject: 'solve me', comment: { body: 'x' }, requester_id: u.customer.id });
    const r = await update(t.id, { status: 'solved', comment: { body: 'Fixed it.' } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.ticket.status, 'solved');
    assert.equal(r.json.ticket.assignee_id, u.agent.id);
    assert.ok(r.json.audit, 'update answers with the audit');
});

test('closed tickets reject updates with 422', async () => {
    const t = await create({ subject: 'to close', comment: { body: 'x' }, assignee_id: u.agent.id });
    let r = await update(t.id, { status: 'solved' });
    assert.equal(r.status, 200, show(r));
    r = await update(t.id, { status: 'closed' });
    assert.equal(r.status, 200, `closing a solved ticket: ${show(r)}`);
    assert.equal(r.json.ticket.status, 'closed');
    for (const change of [{ comment: { body: 'too late' } }, { status: 'open' }, { priority: 'high' }, { additional_tags: ['late'] }]) {
        r = await update(t.id, change);
        assert.equal(r.status, 422, `update of closed ticket with ${JSON.stringify(change)}: ${show(r)}`);
        assert.equal(r.json.error, 'RecordInvalid');
    }
    const after = await get(t.id);
    assert.equal(after.status, 'closed');
    assert.equal(after.priority, null);
    assert.ok(!after.tags.includes('late'));
    const c = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    assert.equal(c.json.comments.length, 1, 'no comment was added to the closed ticket');
});

test('an end-user reply reopens pending, hold and solved tickets', async () => {
    for (const status of ['pending', 'hold', 'solved']) {
        const t = await create({ subject: `reopen from ${status}`, comment: { body: 'x' }, requester_id: u.customer.id, assignee_id: u.agent.id });
        let r = await update(t.id, { status, comment: { body: `now ${status}` } });
        assert.equal(r.status, 200, show(r));
        assert.equal(r.json.ticket.status, status);
        r = await desk.api('PUT', `requests/${t.id}.json`, { auth: u.customer, body: { request: { comment: { body: 'It is still broken.' } } } });
        assert.equal(r.status, 200, `end-user reply on ${status}: ${show(r)}`);
        const after = await get(t.id);
        assert.equal(after.status, 'open', `reply on ${status} reopens`);
    }
});

test('an agent comment does not reopen a pending ticket', async () => {
    const t = await create({ subject: 'pending stays', comment: { body: 'x' }, requester_id: u.customer.id, assignee_id: u.agent.id });
    await update(t.id, { status: 'pending' });
    const r = await update(t.id, { comment: { body: 'still waiting for you', public: true } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.ticket.status, 'pending');
});

test('tags: set, additional_tags, remove_tags, lowercased', async () => {
    const t = await create({ subject: 'tags', comment: { body: 'x' }, tags: ['Alpha', 'beta'] });
    assert.deepEqual([...t.tags].sort(), ['alpha', 'beta']);
    let r = await update(t.id, { additional_tags: ['GAMMA', 'alpha'] });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual([...r.json.ticket.tags].sort(), ['alpha', 'beta', 'gamma']);
    r = await update(t.id, { remove_tags: ['beta'] });
    assert.deepEqual([...r.json.ticket.tags].sort(), ['alpha', 'gamma']);
    r = await update(t.id, { tags: ['Only'] });
    assert.deepEqual(r.json.ticket.tags, ['only']);
});

test('comments are listed oldest first with the documented keys; private notes are marked', async () => {
    const t = await create({ subject: 'conversation', comment: { body: 'first' }, requester_id: u.customer.id });
    await update(t.id, { comment: { body: 'second (internal)', public: false } });
    await update(t.id, { comment: { body: 'third' } });
    const r = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    const c = r.json.comments;
    assert.deepEqual(c.map((x) => x.body), ['first', 'second (internal)', 'third']);
    assert.deepEqual(c.map((x) => x.public), [true, false, true]);
    assert.equal(r.json.count, 3);
    assert.equal(r.json.next_page, null);
    for (const x of c) {
        assert.deepEqual(missingKeys(x, ['id', 'type', 'author_id', 'body', 'html_body', 'plain_body', 'public', 'attachments', 'audit_id', 'via', 'created_at']), []);
        assert.equal(x.type, 'Comment');
        assert.equal(x.author_id, u.agent.id);
        assert.match(x.created_at, ISO_SECONDS);
    }
    assert.ok(c[0].id < c[1].id && c[1].id < c[2].id);
});

test('audits: one per change, oldest first, with the events', async () => {
    const t = await create({ subject: 'audited', comment: { body: 'opening words' }, requester_id: u.customer.id });
    await update(t.id, { status: 'open', priority: 'high' });
    await update(t.id, { comment: { body: 'a reply' } });
    await update(t.id, { assignee_id: u.agent2.id });
    const r = await desk.api('GET', `tickets/${t.id}/audits.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    const audits = r.json.audits;
    assert.equal(audits.length, 4, `one audit for the create and one per update: ${r.text.slice(0, 2000)}`);
    for (const a of audits) {
        assert.deepEqual(missingKeys(a, ['id', 'ticket_id', 'author_id', 'created_at', 'via', 'events']), []);
        assert.equal(a.ticket_id, t.id);
        assert.equal(a.author_id, u.agent.id);
    }
    assert.ok(audits[0].id < audits[1].id && audits[2].id < audits[3].id, 'oldest first');
    const types = (a) => a.events.map((e) => e.type);
    assert.ok(types(audits[0]).includes('Create'), `first audit has a Create event: ${JSON.stringify(audits[0].events)}`);
    assert.ok(types(audits[0]).includes('Comment'), 'first audit has the first comment');
    const comment0 = audits[0].events.find((e) => e.type === 'Comment');
    assert.equal(comment0.body, 'opening words');
    const change = (a, field) => a.events.find((e) => e.type === 'Change' && e.field_name === field);
    const st = change(audits[1], 'status');
    assert.ok(st, `status change event: ${JSON.stringify(audits[1].events)}`);
    assert.equal(st.value, 'open');
    assert.equal(st.previous_value, 'new');
    const pr = change(audits[1], 'priority');
    assert.ok(pr, 'priority change event');
    assert.equal(pr.value, 'high');
    assert.ok(types(audits[2]).includes('Comment'));
    const as = change(audits[3], 'assignee_id');
    assert.ok(as, `assignee change event: ${JSON.stringify(audits[3].events)}`);
    assert.equal(String(as.value), String(u.agent2.id));
});

test('show_many returns the tickets asked for', async () => {
    const a = await create({ subject: 'many a', comment: { body: 'x' } });
    const b = await create({ subject: 'many b', comment: { body: 'x' } });
    const r = await desk.api('GET', `tickets/show_many.json?ids=${a.id}%2C${b.id}`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.json.tickets.map((t) => t.id).sort((x, y) => x - y), [a.id, b.id]);
    const raw = await desk.api('GET', `tickets/show_many?ids=${a.id},${b.id}`, { auth: u.agent });
    assert.equal(raw.status, 200, show(raw));
    assert.equal(raw.json.tickets.length, 2);
});

test('unknown ticket: 404 RecordNotFound', async () => {
    const r = await desk.api('GET', 'tickets/987654321.json', { auth: u.agent });
    assert.equal(r.status, 404, show(r));
    assert.deepEqual(r.json, { error: 'RecordNotFound', description: 'Not found' });
    const p = await update(987654321, { status: 'open' });
    assert.equal(p.status, 404, show(p));
});

test('delete answers 204 and the ticket is gone', async () => {
    const t = await create({ subject: 'delete me', comment: { body: 'x' } });
    const r = await desk.api('DELETE', `tickets/${t.id}.json`, { auth: u.supervisor });
    assert.equal(r.status, 204, show(r));
    assert.equal(r.text, '');
    const g = await desk.api('GET', `tickets/${t.id}.json`, { auth: u.agent });
    assert.equal(g.status, 404, show(g));
    const again = await desk.api('DELETE', `tickets/${t.id}.json`, { auth: u.supervisor });
    assert.equal(again.status, 404, show(again));
});

test('update_many (same change for ids, and per-ticket changes) completes a job status', async () => {
    const a = await create({ subject: 'bulk a', comment: { body: 'x' } });
    const b = await create({ subject: 'bulk b', comment: { body: 'x' } });
    let r = await desk.api('PUT', `tickets/update_many.json?ids=${a.id},${b.id}`, { auth: u.agent, body: { ticket: { priority: 'low', additional_tags: ['bulk'] } } });
    assert.equal(r.status, 200, show(r));
    let js = r.json.job_status;
    assert.ok(js && typeof js.id === 'string', `job_status with a string id: ${r.text}`);
    assert.equal(js.url, `${desk.url}/api/v2/job_statuses/${js.id}.json`);
    assert.equal(js.status, 'completed');
    assert.equal(js.total, 2);
    assert.equal(js.results.length, 2);
    for (const item of js.results) {
        assert.equal(item.status, 'Updated');
        assert.equal(item.success, true);
    }
    const shown = await desk.api('GET', `job_statuses/${js.id}.json`, { auth: u.agent });
    assert.equal(shown.status, 200, show(shown));
    assert.equal(shown.json.job_status.status, 'completed');
    for (const id of [a.id, b.id]) {
        const t = await get(id);
        assert.equal(t.priority, 'low');
        assert.ok(t.tags.includes('bulk'));
    }
    r = await desk.api('PUT', 'tickets/update_many.json', {
        auth: u.agent,
        body: { tickets: [{ id: a.id, priority: 'high' }, { id: b.id, priority: 'urgent' }] },
    });
    assert.equal(r.status, 200, show(r));
    js = r.json.job_status;
    assert.equal(js.status, 'completed');
    assert.equal((await get(a.id)).priority, 'high');
    assert.equal((await get(b.id)).priority, 'urgent');
});

test('create_many reports ids and indexes, and a failing item does not sink the others', async () => {
    const r = await desk.api('POST', 'tickets/create_many.json', {
        auth: u.agent,
        body: { tickets: [{ subject: 'cm 0', comment: { body: 'x' } }, { subject: 'cm 1 (no comment)' }, { subject: 'cm 2', comment: { body: 'y' } }] },
    });
    assert.equal(r.status, 200, show(r));
    const js = r.json.job_status;
    assert.ok(['completed', 'failed'].includes(js.status), `job status ${js.status}`);
    assert.equal(js.results.length, 3, `one result per input: ${JSON.stringify(js.results)}`);
    const byIndex = Object.fromEntries(js.results.map((x, i) => [x.index ?? i, x]));
    assert.equal(byIndex[0].status, 'Created');
    assert.equal(byIndex[2].status, 'Created');
    assert.ok(byIndex[1].error || byIndex[1].details, `the invalid item carries an error: ${JSON.stringify(byIndex[1])}`);
    assert.equal((await get(byIndex[0].id)).subject, 'cm 0');
    assert.equal((await get(byIndex[2].id)).subject, 'cm 2');
});

test('incremental export: time based and cursor based', async () => {
    const t = await create({ subject: 'incremental one', comment: { body: 'x' } });
    let r = await desk.api('GET', 'incremental/tickets.json?start_time=0', { auth: u.admin });
    assert.equal(r.status, 200, show(r));
    assert.ok(Array.isArray(r.json.tickets));
    assert.ok(r.json.tickets.some((x) => x.id === t.id), 'the new ticket is exported');
    assert.equal(typeof r.json.end_time, 'number');
    assert.equal(typeof r.json.count, 'number');
    assert.equal(typeof r.json.end_of_stream, 'boolean');
    assert.ok(r.json.next_page === null || r.json.next_page.startsWith(`${desk.url}/api/v2/incremental/tickets`), r.json.next_page);
    for (const x of r.json.tickets) {
        assert.equal(typeof x.generated_timestamp, 'number');
    }
    const future = Math.floor(Date.now() / 1000) + 3600;
    r = await desk.api('GET', `incremental/tickets.json?start_time=${future}`, { auth: u.admin });
    assert.ok([400, 422].includes(r.status), `start_time in the future: ${show(r)}`);

    r = await desk.api('GET', 'incremental/tickets/cursor.json?start_time=0', { auth: u.admin });
    assert.equal(r.status, 200, show(r));
    assert.ok(Array.isArray(r.json.tickets));
    assert.ok(r.json.tickets.some((x) => x.id === t.id));
    for (const k of ['after_cursor', 'after_url', 'before_cursor', 'before_url', 'end_of_stream']) {
        assert.ok(Object.hasOwn(r.json, k), `cursor export has ${k}`);
    }
    // node-zendesk's first exportCursor call sends cursor=undefined: treat it as the start.
    r = await desk.api('GET', 'incremental/tickets/cursor.json?start_time=0&cursor=undefined&page[size]=100', { auth: u.admin });
    assert.equal(r.status, 200, show(r));
});

test('deleted tickets show up in the incremental export with status deleted', async () => {
    const t = await create({ subject: 'deleted then exported', comment: { body: 'x' } });
    const d = await desk.api('DELETE', `tickets/${t.id}.json`, { auth: u.admin });
    assert.equal(d.status, 204, show(d));
    const r = await desk.api('GET', 'incremental/tickets.json?start_time=0', { auth: u.admin });
    const x = r.json.tickets.find((y) => y.id === t.id);
    assert.ok(x, 'deleted ticket is in the export');
    assert.equal(x.status, 'deleted');
});

test('assignee_email and requester find-or-create', async () => {
    const t = await create({
        subject: 'new requester',
        comment: { body: 'x' },
        requester: { name: 'Erin External', email: 'erin.external@e2e.example' },
        assignee_email: u.agent2.email,
    });
    assert.equal(t.assignee_id, u.agent2.id);
    const who = await desk.api('GET', `users/${t.requester_id}.json`, { auth: u.agent });
    assert.equal(who.status, 200, show(who));
    assert.equal(who.json.user.email, 'erin.external@e2e.example');
    assert.equal(who.json.user.role, 'end-user');
    const t2 = await create({ subject: 'same requester', comment: { body: 'x' }, requester: { name: 'Erin', email: 'erin.external@e2e.example' } });
    assert.equal(t2.requester_id, t.requester_id, 'an existing e-mail is reused, not duplicated');
});

test('version increases on every change', async () => {
    const t = await create({ subject: 'versioned', comment: { body: 'x' } });
    const r1 = await update(t.id, { priority: 'low' });
    const r2 = await update(t.id, { priority: 'high' });
    assert.equal(typeof t.version, 'number');
    assert.ok(r1.json.ticket.version > t.version && r2.json.ticket.version > r1.json.ticket.version,
        `versions ${t.version}, ${r1.json.ticket.version}, ${r2.json.ticket.version}`);
});

test('limits are inclusive: 255-character subjects and 64 KiB comments are accepted', async () => {
    for (const subject of ['s'.repeat(255), 'ř'.repeat(255), '😀'.repeat(255)]) {
        const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject, comment: { body: 'x' } } } });
        assert.equal(r.status, 201, `subject of 255 × ${JSON.stringify(subject[0] + (subject[1] || ''))}: ${show(r)}`);
        assert.equal(r.json.ticket.subject, subject);
    }
    const body = 'b'.repeat(64 * 1024);
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'big comment', comment: { body } } } });
    assert.equal(r.status, 201, `64 KiB body: ${show(r)}`);
    const c = await desk.api('GET', `tickets/${r.json.ticket.id}/comments.json`, { auth: u.agent });
    assert.equal(c.json.comments[0].body.length, body.length);
});

test('text round-trips exactly: quotes, backslashes, control characters, emoji, RTL', async () => {
    const subject = 'He said "hi" \\ then\ttabbed — ünïcödé 😀 שלום';
    const body = 'line1\nline2\r\n"quoted" \\back\\ \u0007bell </div><!-- -->';
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject, comment: { body } } } });
    assert.equal(r.status, 201, show(r));
    const t = await get(r.json.ticket.id);
    assert.equal(t.subject, subject);
    const c = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    assert.ok([body, body.replace('\r\n', '\n')].includes(c.json.comments[0].body), JSON.stringify(c.json.comments[0].body));
});

test('external_id: set, filter the list by it', async () => {
    const t = await create({ subject: 'external', comment: { body: 'x' }, external_id: 'crm-4711' });
    assert.equal(t.external_id, 'crm-4711');
    const r = await desk.api('GET', 'tickets.json?external_id=crm-4711', { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.json.tickets.map((x) => x.id), [t.id]);
});

test('task due_at round-trips as ISO-8601 Z', async () => {
    const t = await create({ subject: 'task', comment: { body: 'x' }, type: 'task', due_at: '2030-05-02T09:14:57Z' });
    assert.equal(t.due_at, '2030-05-02T09:14:57Z');
    const r = await update(t.id, { due_at: '2030-06-01T00:00:00+02:00' });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.ticket.due_at, '2030-05-31T22:00:00Z', 'offsets are normalized to UTC');
});

test('an update with nothing in it changes nothing and adds no audit', async () => {
    const t = await create({ subject: 'noop', comment: { body: 'x' } });
    const r = await update(t.id, {});
    assert.ok([200, 422].includes(r.status), show(r));
    const same = await update(t.id, { subject: 'noop' });
    assert.equal(same.status, 200, show(same));
    const a = await desk.api('GET', `tickets/${t.id}/audits.json`, { auth: u.agent });
    const withEvents = a.json.audits.filter((x) => x.events.length > 0);
    assert.equal(withEvents.length, 1, `only the create audit has events: ${JSON.stringify(a.json.audits.map((x) => x.events))}`);
});

test('assigning to a group the assignee is not in is refused', async () => {
    const g = await desk.api('POST', 'groups.json', { auth: u.admin, body: { group: { name: 'Closed circle' } } });
    assert.equal(g.status, 201, show(g));
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'grp', comment: { body: 'x' }, group_id: g.json.group.id, assignee_id: u.agent2.id } } });
    assert.equal(r.status, 422, `agent2 is not in the group: ${show(r)}`);
    const m = await desk.api('POST', 'group_memberships.json', { auth: u.admin, body: { group_membership: { user_id: u.agent2.id, group_id: g.json.group.id } } });
    assert.equal(m.status, 201, show(m));
    const ok = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'grp', comment: { body: 'x' }, group_id: g.json.group.id, assignee_id: u.agent2.id } } });
    assert.equal(ok.status, 201, show(ok));
});

test('201 creates of users, organizations, groups and memberships carry Location', async () => {
    const checks = [
        ['users.json', { user: { name: 'Loc User', email: 'loc@tickets.example' } }, 'user', 'users'],
        ['organizations.json', { organization: { name: 'Loc Org' } }, 'organization', 'organizations'],
        ['groups.json', { group: { name: 'Loc Group' } }, 'group', 'groups'],
    ];
    for (const [path, body, key, coll] of checks) {
        const r = await desk.api('POST', path, { auth: u.admin, body });
        assert.equal(r.status, 201, show(r));
        assert.equal(r.headers.get('location'), `${desk.url}/api/v2/${coll}/${r.json[key].id}.json`, `${path} Location`);
        assert.equal(r.json[key].url, `${desk.url}/api/v2/${coll}/${r.json[key].id}.json`);
    }
});

test('a ticket stays workable when its assignee is deleted, demoted or leaves the group', async () => {
    const problems = [];
    const mkAgent = async (n) => (await desk.api('POST', 'users.json', { auth: u.admin, body: { user: { name: `Temp ${n}`, email: `temp-${n}@tickets.example`, role: 'agent' } } })).json.user.id;
    const scenarios = [
        ['assignee deleted', async () => {
            const a = await mkAgent('deleted');
            const t = await create({ subject: 'assignee deleted', comment: { body: 'x' }, assignee_id: a, requester_id: u.customer.id });
            const d = await desk.api('DELETE', `users/${a}.json`, { auth: u.admin });
            assert.equal(d.status, 200, show(d));
            return t.id;
        }],
        ['assignee demoted to end-user', async () => {
            const a = await mkAgent('demoted');
            const t = await create({ subject: 'assignee demoted', comment: { body: 'x' }, assignee_id: a, requester_id: u.customer.id });
            const d = await desk.api('PUT', `users/${a}.json`, { auth: u.admin, body: { user: { role: 'end-user' } } });
            assert.equal(d.status, 200, show(d));
            return t.id;
        }],
        ['assignee left the ticket group', async () => {
            const g = (await desk.api('POST', 'groups.json', { auth: u.admin, body: { group: { name: 'Left behind' } } })).json.group.id;
            const m = (await desk.api('POST', 'group_memberships.json', { auth: u.admin, body: { group_membership: { user_id: u.agent2.id, group_id: g } } })).json.group_membership.id;
            const t = await create({ subject: 'assignee left group', comment: { body: 'x' }, assignee_id: u.agent2.id, group_id: g, requester_id: u.customer.id });
            const d = await desk.api('DELETE', `group_memberships/${m}.json`, { auth: u.admin });
            assert.equal(d.status, 204, show(d));
            return t.id;
        }],
    ];
    for (const [name, setup] of scenarios) {
        const id = await setup();
        const r = await update(id, { priority: 'high', comment: { body: 'unrelated change' } });
        if (r.status !== 200) {
            problems.push(`${name}: PUT /tickets/${id} {priority, comment} -> ${show(r)}`);
        }
        const r2 = await update(id, { assignee_id: u.agent.id, group_id: null });
        if (r2.status !== 200) {
            problems.push(`${name}: reassigning -> ${show(r2)}`);
        }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
});

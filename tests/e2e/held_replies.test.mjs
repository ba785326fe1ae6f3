// "Send on approval": a public reply that promises a pending concession
// (comment.hold_for_concession_id on a ticket update) is held off the ticket
// and goes out as a normal public comment by its author only when the
// concession is approved; denied, countered or expired, it goes back to the
// agent and the customer never sees it. Checked as the customer sees it,
// through /requests.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show, sleep } from './lib/desk.mjs';

let desk;
let u;

before(async () => {
    desk = await Desk.create('held_replies');
    u = await addStandardUsers(desk);
    await desk.start({ env: { DESK_CONCESSION_SWEEP_MS: '200' } });
    for (const [role, amount] of [['agent', '50'], ['supervisor', '500']]) {
        const r = await desk.api('POST', 'concession_limits.json', {
            auth: u.admin,
            body: { concession_limit: { role, currency: 'EUR', amount } },
        });
        assert.equal(r.status, 201, show(r));
    }
});

after(async () => {
    await desk?.stop();
});

/** A request opened by the customer through /requests. */
async function customerRequest(subject) {
    const r = await desk.api('POST', 'requests.json', {
        auth: u.customer,
        body: { request: { subject, comment: { body: 'My order arrived damaged, I want my money back.' } } },
    });
    assert.equal(r.status, 201, show(r));
    return r.json.request.id;
}

async function propose(ticketId, amount, extra = {}) {
    const r = await desk.api('POST', `tickets/${ticketId}/concessions.json`, {
        auth: u.agent,
        body: { concession: { type: 'refund', amount, currency: 'EUR', reason: 'Damaged on arrival', ...extra } },
    });
    assert.equal(r.status, 201, show(r));
    return r.json.concession;
}

function reply(ticketId, body, extra = {}, auth = u.agent) {
    return desk.api('PUT', `tickets/${ticketId}.json`, {
        auth,
        body: { ticket: { comment: { body, public: true, ...extra.comment }, ...extra.ticket } },
    });
}

async function customerSees(ticketId) {
    const r = await desk.api('GET', `requests/${ticketId}/comments.json`, { auth: u.customer });
    assert.equal(r.status, 200, show(r));
    return r.json.comments;
}

async function staffComments(ticketId) {
    const r = await desk.api('GET', `tickets/${ticketId}/comments.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.comments;
}

async function held(ticketId) {
    const r = await desk.api('GET', `tickets/${ticketId}/held_replies.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.held_replies;
}

test('a 300 EUR refund waits for a supervisor and the reply that promises it goes out only once approved', async () => {
    const id = await customerRequest('Refund for my damaged order');
    const k = await propose(id, '300.00');
    assert.equal(k.state, 'pending');
    assert.equal(k.approval_level, 'supervisor');

    const outbox = async () => (await desk.api('GET', `outbox.json?ticket_id=${id}`, { auth: u.agent })).json.outbox;
    const mailBefore = (await outbox()).length;
    const promise = 'Good news: we refund you 300.00 EUR today. Zebrafinch-7731';
    const r = await reply(id, promise, { comment: { hold_for_concession_id: k.id }, ticket: { status: 'pending' } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.ticket.status, 'pending', 'the rest of the update applies');
    assert.ok(r.json.audit.events.some((e) => e.field_name === 'held_reply'), JSON.stringify(r.json.audit));
    assert.ok(!r.json.audit.events.some((e) => e.type === 'Comment'), 'no comment in the audit');

    // Held: the customer sees nothing, nor does the ticket's comment list, nor search.
    assert.ok(!(await customerSees(id)).some((c) => c.body.includes('Zebrafinch')));
    assert.ok(!(await staffComments(id)).some((c) => c.body.includes('Zebrafinch')));
    const search = await desk.api('GET', `search.json?query=${encodeURIComponent('Zebrafinch')}`, { auth: u.agent });
    assert.equal(search.json.count, 0, show(search));
    assert.equal((await outbox()).length, mailBefore, 'no mail to the customer while held');
    const h = await held(id);
    assert.equal(h.length, 1);
    assert.equal(h[0].state, 'held');
    assert.equal(h[0].body, promise);
    assert.equal(h[0].author_id, u.agent.id);
    const shown = await desk.api('GET', `concessions/${k.id}.json`, { auth: u.supervisor });
    assert.equal(shown.json.concession.held_reply.body, promise, 'the approver sees what will be sent');

    // Approved: the reply goes out as a normal public comment by its author.
    const ok = await desk.api('POST', `concessions/${k.id}/approve.json`, { auth: u.supervisor });
    assert.equal(ok.status, 200, show(ok));
    const seen = (await customerSees(id)).filter((c) => c.body === promise);
    assert.equal(seen.length, 1, 'the customer sees the reply once');
    assert.equal(seen[0].author_id, u.agent.id);
    assert.equal(seen[0].public, true);
    const mail = (await outbox()).filter((m) => m.comment_id === seen[0].id);
    assert.equal(mail.length, 1, 'the customer is mailed the reply once it is sent');
    assert.equal(mail[0].recipient_id, u.customer.id);
    const after = await held(id);
    assert.equal(after[0].state, 'sent');
    assert.equal(after[0].comment_id, seen[0].id);
    const ticket = await desk.api('GET', `tickets/${id}.json`, { auth: u.agent });
    assert.equal(ticket.json.ticket.status, 'pending', 'sending the reply does not reopen');
    const found = await desk.api('GET', `search.json?query=${encodeURIComponent('Zebrafinch')}`, { auth: u.agent });
    assert.equal(found.json.count, 1, 'once sent, it is searchable like any reply');
    const alerts = await desk.api('GET', 'concession_alerts.json', { auth: u.agent });
    assert.match(alerts.json.concession_alerts.find((a) => a.concession_id === k.id).message, /held reply was sent/);
});

for (const [name, decide] of [
    ['denied', (k) => desk.api('POST', `concessions/${k.id}/deny.json`, { auth: u.supervisor, body: { concession: { reason: 'Outside the return policy' } } })],
    ['countered', (k) => desk.api('POST', `concessions/${k.id}/counter.json`, { auth: u.supervisor, body: { concession: { amount: '100' } } })],
]) {
    test(`${name}: the held reply returns to the agent and never reaches the customer`, async () => {
        const id = await customerRequest(`Refund request (${name})`);
        const k = await propose(id, '250');
        const promise = `We refund 250 EUR right away. Marker-${name}-4417`;
        assert.equal((await reply(id, promise, { comment: { hold_for_concession_id: k.id } })).status, 200);
        const r = await decide(k);
        assert.equal(r.status, 200, show(r));
        assert.equal(r.json.concession.held_reply.state, 'returned');
        assert.ok(!(await customerSees(id)).some((c) => c.body.includes(`Marker-${name}`)), 'never shown to the customer');
        const mail = await desk.api('GET', `outbox.json?ticket_id=${id}`, { auth: u.agent });
        assert.ok(!mail.json.outbox.some((m) => m.comment_id), `never mailed: ${mail.text}`);
        // Returned to the agent: an internal note carrying the text, and an alert.
        const note = (await staffComments(id)).find((c) => c.body.includes(`Marker-${name}`));
        assert.ok(note, 'the agent finds the text in an internal note');
        assert.equal(note.public, false);
        assert.match(note.body, /returned to Alice Agent/);
        const alerts = await desk.api('GET', 'concession_alerts.json', { auth: u.agent });
        const al = alerts.json.concession_alerts.find((a) => a.concession_id === k.id);
        assert.equal(al.kind, name);
        assert.match(al.message, /returned to you/);
    });
}

test('expired: the held reply is returned when nobody decides in time', async () => {
    const id = await customerRequest('Refund request (expiry)');
    const k = await propose(id, '200', { expires_in: 1 });
    assert.equal((await reply(id, 'Refund on its way. Marker-expiry-9001', { comment: { hold_for_concession_id: k.id } })).status, 200);
    let h;
    for (let i = 0; i < 60; i++) {
        await sleep(100);
        h = await held(id);
        if (h[0].state !== 'held') break;
    }
    assert.equal(h[0].state, 'returned', JSON.stringify(h));
    assert.ok(!(await customerSees(id)).some((c) => c.body.includes('Marker-expiry')));
    const note = (await staffComments(id)).find((c) => c.body.includes('Marker-expiry'));
    assert.ok(note && !note.public, 'returned in an internal note');
    assert.match(note.body, /expired without a decision/);
    assert.equal(note.via.channel, 'rule');
});

test('two approvers at once: one wins, the reply goes out once', async () => {
    const id = await customerRequest('Refund request (race)');
    const k = await propose(id, '120');
    assert.equal((await reply(id, 'Refund approved. Marker-race-5150', { comment: { hold_for_concession_id: k.id } })).status, 200);
    const results = await Promise.all([
        desk.api('POST', `concessions/${k.id}/approve.json`, { auth: u.supervisor }),
        desk.api('POST', `concessions/${k.id}/approve.json`, { auth: u.admin }),
        desk.api('POST', `concessions/${k.id}/deny.json`, { auth: u.admin, body: { concession: { reason: 'no' } } }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 409, 409], results.map(show).join('\n'));
    const winner = results.find((r) => r.status === 200).json.concession;
    const sent = (await customerSees(id)).filter((c) => c.body.includes('Marker-race'));
    assert.equal(sent.length, winner.state === 'approved' ? 1 : 0);
});

test('bad holds are refused with the field named and nothing written', async () => {
    const id = await customerRequest('Refund request (bad holds)');
    const other = await customerRequest('Another request');
    const k = await propose(id, '300');
    const granted = await propose(id, '20');
    assert.equal(granted.state, 'granted');
    const foreign = await propose(other, '300');
    const before = (await desk.api('GET', `tickets/${id}/audits.json`, { auth: u.agent })).json.audits.length;
    const cases = [
        [{ hold_for_concession_id: granted.id }, /is granted/],
        [{ hold_for_concession_id: foreign.id }, /does not exist on this ticket/],
        [{ hold_for_concession_id: 999999 }, /does not exist/],
        [{ hold_for_concession_id: k.id, public: false }, /only a public reply/],
        [{ hold_for_concession_id: 'x' }, /must be an id/],
        [{ hold_for_concession_id: -4 }, /must be an id/],
    ];
    for (const [comment, why] of cases) {
        const r = await reply(id, 'We will refund you.', { comment });
        assert.equal(r.status, 422, `${JSON.stringify(comment)}: ${show(r)}`);
        assert.ok(r.json.details.hold_for_concession_id, r.text);
        assert.match(r.json.details.hold_for_concession_id[0].description, why);
    }
    // Holding twice for one concession: the second is refused, the first stays held.
    assert.equal((await reply(id, 'First promise', { comment: { hold_for_concession_id: k.id } })).status, 200);
    const twice = await reply(id, 'Second promise', { comment: { hold_for_concession_id: k.id } });
    assert.equal(twice.status, 422, show(twice));
    assert.match(twice.text, /already holds a reply/);
    const h = await held(id);
    assert.deepEqual(h.map((x) => x.body), ['First promise']);
    // A new ticket's first comment cannot be held.
    const create = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: { ticket: { subject: 'x', requester_id: u.customer.id, comment: { body: 'x', hold_for_concession_id: k.id } } },
    });
    assert.equal(create.status, 422, show(create));
    const after = (await desk.api('GET', `tickets/${id}/audits.json`, { auth: u.agent })).json.audits.length;
    assert.equal(after, before + 1, 'only the one accepted hold was audited');
    assert.ok(!(await customerSees(id)).some((c) => /promise|refund you/.test(c.body)));
});

// Concession approvals through the API: limits per role and per person and
// currency (set by admins), proposals granted within the proposer's limit or
// sent up the chain (supervisor, then admin as manager) with an expiry,
// approve / deny / counter with the proposer alerted, everything audited on
// the ticket, the report by agent, type and reason, and bad input refused
// with nothing half-written.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show, sleep } from './lib/desk.mjs';

let desk;
let u;

before(async () => {
    desk = await Desk.create('concessions');
    u = await addStandardUsers(desk);
    await desk.addUser('supervisor2', { role: 'supervisor', name: 'Sue Supervisor' });
    await desk.addUser('admin2', { role: 'admin', name: 'Max Manager' });
    u.supervisor2 = desk.users.supervisor2;
    u.admin2 = desk.users.admin2;
    await desk.start({ env: { DESK_CONCESSION_SWEEP_MS: '200' } });
    for (const [role, amount] of [['agent', '50'], ['supervisor', '500.00']]) {
        const r = await setLimit({ role, currency: 'EUR', amount });
        assert.equal(r.status, 201, show(r));
    }
    // One supervisor may approve less than their role: a per-person limit.
    const r = await setLimit({ user_id: u.supervisor2.id, currency: 'EUR', amount: '200' });
    assert.equal(r.status, 201, show(r));
});

after(async () => {
    await desk?.stop();
});

function setLimit(limit, auth = u.admin) {
    return desk.api('POST', 'concession_limits.json', { auth, body: { concession_limit: limit } });
}

async function newTicket(subject = 'Kettle arrived broken') {
    const r = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: { ticket: { subject, comment: { body: 'The lid is cracked.' }, requester_id: u.customer.id } },
    });
    assert.equal(r.status, 201, show(r));
    return r.json.ticket;
}

function propose(ticketId, concession, auth = u.agent) {
    return desk.api('POST', `tickets/${ticketId}/concessions.json`, { auth, body: { concession } });
}

function act(id, action, concession, auth) {
    return desk.api('POST', `concessions/${id}/${action}.json`, {
        auth,
        body: concession === undefined ? undefined : { concession },
    });
}

async function audits(ticketId) {
    const r = await desk.api('GET', `tickets/${ticketId}/audits.json`, { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    return r.json.audits;
}

function concessionEvents(list) {
    return list.flatMap((a) => a.events).filter((e) => e.field_name === 'concession');
}

test('limits: admins set them per role and per person; others may only read', async () => {
    const list = await desk.api('GET', 'concession_limits.json', { auth: u.agent });
    assert.equal(list.status, 200, show(list));
    const eur = list.json.concession_limits.filter((l) => l.currency === 'EUR');
    assert.deepEqual(
        eur.map((l) => [l.role, l.user_id, l.amount]),
        [['agent', null, '50.00'], ['supervisor', null, '500.00'], [null, u.supervisor2.id, '200.00']],
    );
    assert.equal((await setLimit({ role: 'agent', currency: 'EUR', amount: '60' }, u.supervisor)).status, 403);
    assert.equal((await setLimit({ role: 'agent', currency: 'EUR', amount: '60' }, u.agent)).status, 403);
    // Replacing an existing limit answers 200 and keeps the id.
    const again = await setLimit({ role: 'agent', currency: 'eur', amount: '50' });
    assert.equal(again.status, 200, show(again));
    assert.equal(again.json.concession_limit.id, eur[0].id);
    // Bad input: each a 422 naming the field.
    for (const [limit, field] of [
        [{ role: 'end-user', currency: 'EUR', amount: '5' }, 'role'],
        [{ role: 'agent', user_id: u.agent.id, currency: 'EUR', amount: '5' }, 'role'],
        [{ user_id: u.customer.id, currency: 'EUR', amount: '5' }, 'user_id'],
        [{ role: 'agent', currency: 'XYZ', amount: '5' }, 'currency'],
        [{ role: 'agent', currency: 'EUR', amount: '-5' }, 'amount'],
        [{ role: 'agent', currency: 'EUR', amount: 'lots' }, 'amount'],
        [{ role: 'agent', currency: 'EUR' }, 'amount'],
    ]) {
        const r = await setLimit(limit);
        assert.equal(r.status, 422, `${JSON.stringify(limit)}: ${show(r)}`);
        assert.ok(r.json.details[field], `${JSON.stringify(limit)} names ${field}: ${r.text}`);
    }
    // An explicit null is "no limit"; deleting a limit restores the default.
    const gbp = await setLimit({ role: 'supervisor', currency: 'GBP', amount: null });
    assert.equal(gbp.status, 201, show(gbp));
    assert.equal(gbp.json.concession_limit.unlimited, true);
    const del = await desk.api('DELETE', `concession_limits/${gbp.json.concession_limit.id}.json`, { auth: u.admin });
    assert.equal(del.status, 204, show(del));
});

test('within the agent limit a concession is granted at once and audited on the ticket', async () => {
    const t = await newTicket();
    const r = await propose(t.id, { type: 'refund', amount: '30', currency: 'eur', reason: 'Damaged on arrival' });
    assert.equal(r.status, 201, show(r));
    const k = r.json.concession;
    assert.equal(r.headers.get('location'), `${desk.url}/api/v2/concessions/${k.id}.json`);
    assert.equal(k.state, 'granted');
    assert.equal(k.amount, '30.00');
    assert.equal(k.amount_minor, 3000);
    assert.equal(k.currency, 'EUR');
    assert.equal(k.granted_amount, '30.00');
    assert.equal(k.approval_level, null);
    assert.equal(k.proposed_by_id, u.agent.id);
    const ev = concessionEvents(await audits(t.id));
    assert.equal(ev.length, 1);
    assert.match(ev[0].value, new RegExp(`#${k.id} refund 30.00 EUR .*granted`));
});

test('a 300 EUR refund waits for a supervisor; the agent is alerted of the approval', async () => {
    const t = await newTicket();
    const r = await propose(t.id, { type: 'refund', amount: '300.00', currency: 'EUR', reason: 'Damaged on arrival' });
    assert.equal(r.status, 201, show(r));
    const k = r.json.concession;
    assert.equal(k.state, 'pending');
    assert.equal(k.approval_level, 'supervisor');
    const wait = Date.parse(k.expires_at) - Date.parse(k.created_at);
    assert.equal(wait, 72 * 3600 * 1000, 'default expiry is 72 hours');

    // Agents cannot decide; the supervisor sees it waiting for them.
    assert.equal((await act(k.id, 'approve', undefined, u.agent2)).status, 403);
    const waiting = await desk.api('GET', 'concessions.json?awaiting=me', { auth: u.supervisor });
    assert.equal(waiting.status, 200, show(waiting));
    assert.ok(waiting.json.concessions.some((x) => x.id === k.id), show(waiting));

    const ok = await act(k.id, 'approve', { note: 'Good customer' }, u.supervisor);
    assert.equal(ok.status, 200, show(ok));
    assert.equal(ok.json.concession.state, 'approved');
    assert.equal(ok.json.concession.decided_by_id, u.supervisor.id);
    assert.equal(ok.json.concession.granted_amount, '300.00');
    assert.equal(ok.json.concession.decision_note, 'Good customer');

    const alerts = await desk.api('GET', 'concession_alerts.json?unread=true', { auth: u.agent });
    assert.equal(alerts.status, 200, show(alerts));
    const mine = alerts.json.concession_alerts.find((a) => a.concession_id === k.id);
    assert.ok(mine, show(alerts));
    assert.equal(mine.kind, 'approved');
    assert.match(mine.message, /approved by Sam Supervisor/);
    // The decision is an internal note on the ticket too, and an audit event.
    const cm = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    const note = cm.json.comments.at(-1);
    assert.equal(note.public, false);
    assert.equal(note.author_id, u.supervisor.id);
    assert.match(note.body, /approved by Sam Supervisor/);
    const ev = concessionEvents(await audits(t.id));
    assert.deepEqual(ev.map((e) => e.value.replace(/:.*/, '')), [`#${k.id} refund 300.00 EUR (Damaged on arrival)`, `#${k.id} approved`]);
    assert.equal(ev[1].previous_value, 'pending');
    // Approving again is a conflict, and nothing changes.
    const again = await act(k.id, 'approve', undefined, u.admin);
    assert.equal(again.status, 409, show(again));
    assert.match(again.json.description, /already approved/);
    assert.equal(concessionEvents(await audits(t.id)).length, 2);

    const read = await desk.api('POST', 'concession_alerts/mark_read.json', { auth: u.agent });
    assert.equal(read.status, 200, show(read));
    assert.ok(read.json.marked_read >= 1);
    const after = await desk.api('GET', 'concession_alerts.json?unread=true', { auth: u.agent });
    assert.equal(after.json.concession_alerts.length, 0);
});

test('above the supervisor limit the request goes to an admin acting as manager', async () => {
    const t = await newTicket();
    const r = await propose(t.id, { type: 'replacement', amount: '800', currency: 'EUR', reason: 'Wrong model shipped' });
    assert.equal(r.status, 201, show(r));
    const k = r.json.concession;
    assert.equal(k.approval_level, 'admin');
    const sup = await act(k.id, 'approve', undefined, u.supervisor);
    assert.equal(sup.status, 403, show(sup));
    assert.match(sup.json.description, /admin/);
    const notMine = await desk.api('GET', 'concessions.json?awaiting=me', { auth: u.supervisor });
    assert.ok(!notMine.json.concessions.some((x) => x.id === k.id));
    const ok = await act(k.id, 'approve', undefined, u.admin);
    assert.equal(ok.status, 200, show(ok));
    assert.equal(ok.json.concession.state, 'approved');
});

test('approving above one\'s own limit and approving one\'s own proposal are refused', async () => {
    const t = await newTicket();
    // supervisor2's own limit is 200 EUR, below the role's 500.
    const r = await propose(t.id, { type: 'credit', amount: '300', currency: 'EUR', reason: 'Goodwill' });
    const k = r.json.concession;
    const above = await act(k.id, 'approve', undefined, u.supervisor2);
    assert.equal(above.status, 403, show(above));
    assert.match(above.json.description, /above your own approval limit of 200.00 EUR/);
    const counterAbove = await act(k.id, 'counter', { amount: '250' }, u.supervisor2);
    assert.equal(counterAbove.status, 403, show(counterAbove));
    // Within their own limit a counter-offer is fine.
    const counter = await act(k.id, 'counter', { amount: '150.5', note: 'Half now' }, u.supervisor2);
    assert.equal(counter.status, 200, show(counter));
    assert.equal(counter.json.concession.state, 'countered');
    assert.equal(counter.json.concession.granted_amount, '150.50');
    assert.equal(counter.json.concession.amount, '300.00');

    // A supervisor above their own limit asks another supervisor, never themselves.
    const own = await propose(t.id, { type: 'refund', amount: '300', currency: 'EUR', reason: 'Late delivery' }, u.supervisor2);
    assert.equal(own.status, 201, show(own));
    assert.equal(own.json.concession.state, 'pending');
    assert.equal(own.json.concession.approval_level, 'supervisor');
    const self = await act(own.json.concession.id, 'approve', undefined, u.supervisor2);
    assert.equal(self.status, 403, show(self));
    assert.match(self.json.description, /proposed yourself/);
    const other = await act(own.json.concession.id, 'approve', undefined, u.supervisor);
    assert.equal(other.status, 200, show(other));
    // An admin's own proposal within no limit is simply granted.
    const mgr = await propose(t.id, { type: 'refund', amount: '5000', currency: 'EUR', reason: 'Late delivery' }, u.admin);
    assert.equal(mgr.json.concession.state, 'granted', show(mgr));
});

test('deny needs a reason the agent can act on; counter must differ', async () => {
    const t = await newTicket();
    const k = (await propose(t.id, { type: 'fee_waiver', amount: '75', currency: 'EUR', reason: 'Late fee' })).json.concession;
    const noReason = await act(k.id, 'deny', undefined, u.supervisor);
    assert.equal(noReason.status, 422, show(noReason));
    assert.ok(noReason.json.details.reason, show(noReason));
    const same = await act(k.id, 'counter', { amount: '75.00' }, u.supervisor);
    assert.equal(same.status, 422, show(same));
    const noAmount = await act(k.id, 'counter', { note: 'less' }, u.supervisor);
    assert.equal(noAmount.status, 422, show(noAmount));
    const bad = await act(k.id, 'counter', { amount: '-3' }, u.supervisor);
    assert.equal(bad.status, 422, show(bad));
    const denied = await act(k.id, 'deny', { reason: 'Fee was correct' }, u.supervisor);
    assert.equal(denied.status, 200, show(denied));
    assert.equal(denied.json.concession.state, 'denied');
    assert.equal(denied.json.concession.decision_note, 'Fee was correct');
    assert.equal(denied.json.concession.granted_amount, null);
    const alerts = await desk.api('GET', 'concession_alerts.json', { auth: u.agent });
    const al = alerts.json.concession_alerts.find((a) => a.concession_id === k.id);
    assert.equal(al.kind, 'denied');
    assert.match(al.message, /Fee was correct/);
});

test('a request that nobody decides in time expires; deciding it then is a conflict', async () => {
    const t = await newTicket();
    const r = await propose(t.id, { type: 'policy_exception', amount: '120', currency: 'EUR', reason: 'Return after 30 days', expires_in: 1 });
    assert.equal(r.status, 201, show(r));
    const k = r.json.concession;
    await sleep(1300);
    const late = await act(k.id, 'approve', undefined, u.supervisor);
    assert.equal(late.status, 409, show(late));
    assert.match(late.json.description, /expired/);
    // The sweeper closes it: state, an alert for the agent, an audit on the ticket.
    let got;
    for (let i = 0; i < 50; i++) {
        got = await desk.api('GET', `concessions/${k.id}.json`, { auth: u.agent });
        assert.equal(got.json.concession.state, 'expired');
        const alerts = await desk.api('GET', 'concession_alerts.json', { auth: u.agent });
        if (alerts.json.concession_alerts.some((a) => a.concession_id === k.id && a.kind === 'expired')) {
            break;
        }
        await sleep(100);
    }
    const ev = concessionEvents(await audits(t.id));
    assert.equal(ev.at(-1).value, `#${k.id} expired`);
    const report = await desk.api('GET', 'concessions/report.json?group_by=reason', { auth: u.supervisor });
    const row = report.json.report.find((x) => x.reason === 'Return after 30 days');
    assert.equal(row.expired_count, 1);
});

test('bad proposals are refused with the field named and nothing written', async () => {
    const t = await newTicket();
    const before = await audits(t.id);
    const cases = [
        [{ type: 'refund', amount: '-5', currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: '0', currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: '0.00', currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: 'ten', currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: '1e3', currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: '1,000', currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: ' 5', currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: '12.345', currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: '10.5', currency: 'JPY', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: 12.5, currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: -3, currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: '99999999999999', currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', currency: 'EUR', reason: 'x' }, 'amount'],
        [{ type: 'refund', amount: '5', currency: 'XYZ', reason: 'x' }, 'currency'],
        [{ type: 'refund', amount: '5', currency: 'EURO', reason: 'x' }, 'currency'],
        [{ type: 'refund', amount: '5', currency: '€', reason: 'x' }, 'currency'],
        [{ type: 'refund', amount: '5', reason: 'x' }, 'currency'],
        [{ type: 'bribe', amount: '5', currency: 'EUR', reason: 'x' }, 'type'],
        [{ amount: '5', currency: 'EUR', reason: 'x' }, 'type'],
        [{ type: 'refund', amount: '5', currency: 'EUR', reason: '   ' }, 'reason'],
        [{ type: 'refund', amount: '5', currency: 'EUR' }, 'reason'],
        [{ type: 'refund', amount: '5', currency: 'EUR', reason: 'x', expires_in: 0 }, 'expires_in'],
        [{ type: 'refund', amount: '5', currency: 'EUR', reason: 'x', expires_in: 99999999 }, 'expires_in'],
    ];
    for (const [body, field] of cases) {
        const r = await propose(t.id, body);
        assert.equal(r.status, 422, `${JSON.stringify(body)}: ${show(r)}`);
        assert.ok(r.json.details?.[field], `${JSON.stringify(body)} names ${field}: ${r.text}`);
    }
    // Every wrong field is named at once.
    const all = await propose(t.id, { type: 'bribe', amount: 'x', currency: 'ZZZ' });
    assert.deepEqual(Object.keys(all.json.details).sort(), ['amount', 'currency', 'reason', 'type']);
    // Nobody may approve more than the admins' own limit allows.
    const cap = await setLimit({ role: 'admin', currency: 'CZK', amount: '100000' });
    assert.equal(cap.status, 201, show(cap));
    const huge = await propose(t.id, { type: 'refund', amount: '100001', currency: 'CZK', reason: 'x' });
    assert.equal(huge.status, 422, show(huge));
    assert.match(huge.json.details.amount[0].description, /above every approval limit/);
    // Unknown tickets and concessions are 404; customers never reach these endpoints.
    assert.equal((await propose(999999, { type: 'refund', amount: '5', currency: 'EUR', reason: 'x' })).status, 404);
    assert.equal((await act(999999, 'approve', undefined, u.supervisor)).status, 404);
    assert.equal((await propose(t.id, { type: 'refund', amount: '5', currency: 'EUR', reason: 'x' }, u.customer)).status, 403);
    assert.equal((await desk.api('GET', `tickets/${t.id}/concessions.json`, { auth: u.customer })).status, 403);
    assert.equal((await propose(t.id, 'not an object')).status, 422);
    const raw = await desk.api('POST', `tickets/${t.id}/concessions.json`, { auth: u.agent, body: '{"concession": {' });
    assert.equal(raw.status, 400, show(raw));
    // Nothing was written by any of it.
    assert.equal((await audits(t.id)).length, before.length);
    const list = await desk.api('GET', `tickets/${t.id}/concessions.json`, { auth: u.agent });
    assert.equal(list.json.concessions.length, 0, show(list));
});

test('currencies use their own minor units (JPY none, BHD three)', async () => {
    const t = await newTicket();
    await setLimit({ role: 'agent', currency: 'JPY', amount: '10000' });
    const yen = await propose(t.id, { type: 'credit', amount: 5000, currency: 'jpy', reason: 'Delay' });
    assert.equal(yen.status, 201, show(yen));
    assert.equal(yen.json.concession.amount, '5000');
    assert.equal(yen.json.concession.amount_minor, 5000);
    assert.equal(yen.json.concession.state, 'granted');
    const dinar = await propose(t.id, { type: 'credit', amount: '1.005', currency: 'BHD', reason: 'Delay' });
    assert.equal(dinar.status, 201, show(dinar));
    assert.equal(dinar.json.concession.amount_minor, 1005);
    assert.equal(dinar.json.concession.state, 'pending', 'no agent limit in BHD: needs approval');
});

test('the report counts and sums per currency by agent, type and reason', async () => {
    const rt = await newTicket('Report ticket');
    const a2 = await propose(rt.id, { type: 'credit', amount: '10', currency: 'EUR', reason: 'Report reason' }, u.agent2);
    assert.equal(a2.status, 201, show(a2));
    const a3 = await propose(rt.id, { type: 'credit', amount: '20.25', currency: 'EUR', reason: 'report reason ' }, u.agent2);
    assert.equal(a3.status, 201, show(a3));
    const byAgent = await desk.api('GET', 'concessions/report.json?group_by=agent', { auth: u.supervisor });
    assert.equal(byAgent.status, 200, show(byAgent));
    const bob = byAgent.json.report.filter((r) => r.agent_id === u.agent2.id);
    assert.deepEqual(bob.map((r) => [r.agent_name, r.currency, r.count, r.granted_count, r.granted_amount]), [['Bob Agent', 'EUR', 2, 2, '30.25']]);
    const byReason = await desk.api('GET', 'concessions/report.json?group_by=reason', { auth: u.supervisor });
    const reason = byReason.json.report.filter((r) => r.reason.toLowerCase().trim() === 'report reason');
    assert.equal(reason.length, 1, 'reasons group case-insensitively');
    assert.equal(reason[0].count, 2);
    const byType = await desk.api('GET', 'concessions/report.json?group_by=type', { auth: u.supervisor });
    const types = new Set(byType.json.report.map((r) => r.type));
    for (const t of ['refund', 'credit', 'replacement', 'fee_waiver', 'policy_exception']) {
        assert.ok(types.has(t), `type ${t} in ${byType.text}`);
    }
    const jpy = byType.json.report.find((r) => r.currency === 'JPY');
    assert.equal(jpy.granted_amount, '5000');
    // Sums add exactly: every EUR row's proposed sum equals its rows' amounts.
    const eurAgent = byAgent.json.report.filter((r) => r.currency === 'EUR');
    const sum = eurAgent.reduce((s, r) => s + r.proposed_minor, 0);
    const list = await desk.api('GET', 'concessions.json?per_page=100', { auth: u.agent });
    const all = [];
    for (let page = 1; ; page++) {
        const r = await desk.api('GET', `concessions.json?per_page=100&page=${page}`, { auth: u.agent });
        all.push(...r.json.concessions);
        if (!r.json.next_page) break;
    }
    assert.equal(list.status, 200);
    assert.equal(sum, all.filter((k) => k.currency === 'EUR').reduce((s, k) => s + k.amount_minor, 0));
    assert.equal((await desk.api('GET', 'concessions/report.json?group_by=color', { auth: u.supervisor })).status, 400);
    assert.equal((await desk.api('GET', 'concessions/report.json', { auth: u.agent })).status, 403);
    // Filters on the list.
    const pending = await desk.api('GET', 'concessions.json?state=pending', { auth: u.agent });
    assert.ok(pending.json.concessions.every((k) => k.state === 'pending'));
    assert.equal((await desk.api('GET', 'concessions.json?state=maybe', { auth: u.agent })).status, 400);
});

test('the CLI sets and lists limits', async () => {
    const out = await desk.cli(['concession-limit', 'set', '--db', desk.db, '--role', 'agent', '--currency', 'PLN', '--amount', '200']);
    assert.match(out, /created limit \d+/);
    const list = await desk.cli(['concession-limit', 'list', '--db', desk.db]);
    assert.match(list, /PLN\tagent\t200\.00/);
    await assert.rejects(desk.cli(['concession-limit', 'set', '--db', desk.db, '--role', 'agent', '--currency', 'QQQ', '--amount', '5']), /not an ISO 4217/);
});

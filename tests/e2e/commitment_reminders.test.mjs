// Reminders and missed commitments, seconds apart instead of minutes: the server
// runs with a 2-second reminder lead, commitments are due a few seconds ahead,
// and the tests poll the API. A miss leaves an internal note and an audit on the
// ticket and alerts the owner and their supervisors (supervisors who share a
// group with them, else the admins); a commitment kept in time alerts nobody;
// one that fell due while the server was down is marked missed when it is back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show, sleep, ISO_SECONDS } from './lib/desk.mjs';

let desk;
let u;
const LEAD_S = 2;

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A due time `s` seconds from now, on a whole second. */
const dueIn = (s) => iso(Math.ceil(Date.now() / 1000) * 1000 + s * 1000);

before(async () => {
    desk = await Desk.create('commitment_reminders');
    u = await addStandardUsers(desk);
    await desk.start({ extraArgs: ['--commitment-reminder-lead', String(LEAD_S)] });
    // The agent and the supervisor work in one group; agent2 is in none.
    const g = await desk.api('POST', 'groups.json', { auth: u.admin, body: { group: { name: 'Callbacks' } } });
    assert.equal(g.status, 201, show(g));
    for (const who of [u.agent, u.supervisor]) {
        const m = await desk.api('POST', 'group_memberships.json', {
            auth: u.admin,
            body: { group_membership: { user_id: who.id, group_id: g.json.group.id } },
        });
        assert.equal(m.status, 201, show(m));
    }
});

after(async () => {
    await desk?.stop();
});

async function newTicket(subject) {
    const r = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: { ticket: { subject, comment: { body: 'Please call me back.' }, requester_id: u.customer.id } },
    });
    assert.equal(r.status, 201, show(r));
    return r.json.ticket;
}

async function commit(ticketId, body, auth = u.agent) {
    const r = await desk.api('POST', `tickets/${ticketId}/commitments.json`, { auth, body: { commitment: body } });
    assert.equal(r.status, 201, show(r));
    return r.json.commitment;
}

async function alerts(who, query = '') {
    const r = await desk.api('GET', `alerts.json${query}`, { auth: who });
    assert.equal(r.status, 200, show(r));
    return r.json.alerts;
}

async function waitFor(what, fn, timeoutMs = 20_000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const v = await fn();
        if (v) {
            return v;
        }
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await sleep(200);
    }
}

async function commitment(id) {
    const r = await desk.api('GET', `commitments/${id}.json`, { auth: u.supervisor });
    assert.equal(r.status, 200, show(r));
    return r.json.commitment;
}

test('a reminder before due, then a miss: note, audit and alerts to the owner and supervisors', async () => {
    const t = await newTicket('Callback due soon');
    const kept = await commit(t.id, { due_at: dueIn(4), note: 'Kept in time' });
    const c = await commit(t.id, { due_at: dueIn(5), note: 'Call back about the refund' });
    const lone = await commit(t.id, { due_at: dueIn(5), owner_id: u.agent2.id, note: 'agent2 has no group' });
    assert.equal(c.remind_at, iso(Date.parse(c.due_at) - LEAD_S * 1000));
    let r = await desk.api('PUT', `commitments/${kept.id}.json`, { auth: u.agent, body: { commitment: { state: 'done' } } });
    assert.equal(r.status, 200, show(r));

    const reminder = await waitFor('the reminder', async () =>
        (await alerts(u.agent)).find((a) => a.commitment_id === c.id && a.kind === 'commitment_reminder'),
    );
    assert.ok(Date.now() < Date.parse(c.due_at) + 1000, 'the reminder came before the due time');
    assert.equal(reminder.ticket_id, t.id);
    assert.equal(reminder.about_user_id, u.agent.id);
    assert.equal(reminder.read, false);
    assert.match(reminder.message, /Call back about the refund/);
    assert.match(reminder.created_at, ISO_SECONDS);

    const missed = await waitFor('the miss', async () => {
        const x = await commitment(c.id);
        return x.state === 'missed' ? x : null;
    });
    assert.ok(Date.parse(missed.resolved_at) >= Date.parse(c.due_at), 'missed only once due');
    assert.match(missed.reminded_at, ISO_SECONDS);
    assert.equal(missed.resolved_by_id, null, 'desk itself marked it');

    const supAlert = (await alerts(u.supervisor)).find((a) => a.commitment_id === c.id);
    assert.equal(supAlert?.kind, 'commitment_missed', 'the supervisor of the owner\'s group is alerted');
    assert.equal(supAlert.about_user_id, u.agent.id);
    assert.match(supAlert.message, /Alice Agent/);
    assert.ok((await alerts(u.agent)).some((a) => a.commitment_id === c.id && a.kind === 'commitment_missed'));
    assert.ok(!(await alerts(u.admin)).some((a) => a.commitment_id === c.id), 'admins only when no supervisor');

    // agent2 shares no group with a supervisor: the admins hear of it.
    await waitFor('the lone miss', async () => (await commitment(lone.id)).state === 'missed');
    assert.ok((await alerts(u.admin)).some((a) => a.commitment_id === lone.id && a.kind === 'commitment_missed'));
    assert.ok(!(await alerts(u.supervisor)).some((a) => a.commitment_id === lone.id));

    // The ticket shows it: an internal note (not for the customer), an audit, the summary.
    r = await desk.api('GET', `tickets/${t.id}/comments.json`, { auth: u.agent });
    const notes = r.json.comments.filter((x) => x.body.includes(`Commitment #${c.id} was missed`));
    assert.equal(notes.length, 1, JSON.stringify(r.json.comments));
    assert.equal(notes[0].public, false);
    assert.equal(notes[0].author_id, u.agent.id);
    assert.equal(notes[0].via?.channel, 'rule');
    r = await desk.api('GET', `requests/${t.id}/comments.json`, { auth: u.customer });
    assert.equal(r.status, 200, show(r));
    assert.ok(!r.text.includes('was missed'), 'the customer never sees the note');
    r = await desk.api('GET', `tickets/${t.id}/audits.json`, { auth: u.agent });
    const audit = r.json.audits.find((a) => a.events.some((e) => e.field_name === `commitment_${c.id}` && e.value === 'missed'));
    assert.ok(audit, 'the miss is audited');
    assert.equal(audit.via.channel, 'rule');
    assert.ok(audit.events.some((e) => e.type === 'Comment' && e.public === false));
    r = await desk.api('GET', `tickets/${t.id}.json`, { auth: u.agent });
    assert.equal(r.json.ticket.commitments.missed, 2);
    assert.equal(r.json.ticket.commitments.done, 1);
    assert.ok(Date.parse(r.json.ticket.updated_at) > Date.parse(t.updated_at), 'the note moved updated_at');

    // The one kept in time stays done and alerted nobody.
    assert.equal((await commitment(kept.id)).state, 'done');
    for (const who of [u.agent, u.supervisor, u.admin]) {
        assert.ok(!(await alerts(who)).some((a) => a.commitment_id === kept.id));
    }

    // A missed commitment can still be done late, audited.
    r = await desk.api('PUT', `commitments/${c.id}.json`, { auth: u.agent, body: { commitment: { state: 'done' } } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.commitment.state, 'done');
});

test('rescheduling re-arms the reminder; a far-off commitment does not delay a near one', async () => {
    const t = await newTicket('Rescheduled');
    await commit(t.id, { due_at: iso(Date.now() + 30 * 24 * 3600_000) });
    const c = await commit(t.id, { due_at: dueIn(60) });
    const r = await desk.api('PUT', `commitments/${c.id}.json`, { auth: u.agent, body: { commitment: { due_at: dueIn(4) } } });
    assert.equal(r.status, 200, show(r));
    await waitFor('the rescheduled reminder', async () =>
        (await alerts(u.agent)).some((a) => a.commitment_id === c.id && a.kind === 'commitment_reminder'),
    );
    await waitFor('the rescheduled miss', async () => (await commitment(c.id)).state === 'missed');
});

test('a commitment that fell due while the server was down is missed once it is back', async () => {
    const t = await newTicket('Down at the due time');
    const c = await commit(t.id, { due_at: dueIn(3) });
    await desk.stop();
    await sleep(Math.max(0, Date.parse(c.due_at) - Date.now()) + 500);
    await desk.start({ extraArgs: ['--commitment-reminder-lead', String(LEAD_S)] });
    const missed = await waitFor('the miss after restart', async () => {
        const x = await commitment(c.id);
        return x.state === 'missed' ? x : null;
    });
    assert.equal(missed.reminded_at, null, 'no reminder after the due time has passed');
    assert.ok((await alerts(u.supervisor)).some((a) => a.commitment_id === c.id));
});

test('alerts: unread filter, marking read, nobody else\'s, and bad input', async () => {
    const mine = await alerts(u.agent);
    assert.ok(mine.length >= 2);
    assert.ok(mine.every((a) => a.recipient_id === u.agent.id));
    const ids = mine.map((a) => a.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'newest first');
    const first = mine[0];
    let r = await desk.api('PUT', `alerts/${first.id}.json`, { auth: u.agent, body: { alert: { read: true } } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.alert.read, true);
    assert.match(r.json.alert.read_at, ISO_SECONDS);
    const unread = await alerts(u.agent, '?unread=true');
    assert.ok(!unread.some((a) => a.id === first.id));
    assert.equal(unread.length, mine.length - 1);
    r = await desk.api('PUT', `alerts/${first.id}.json`, { auth: u.agent, body: { alert: { read: false } } });
    assert.equal(r.json.alert.read, false);
    r = await desk.api('PUT', `alerts/${first.id}.json`, { auth: u.supervisor, body: { alert: { read: true } } });
    assert.equal(r.status, 404, `someone else's alert: ${show(r)}`);
    r = await desk.api('PUT', `alerts/${first.id}.json`, { auth: u.agent, body: { alert: { read: 'yes' } } });
    assert.equal(r.status, 422, show(r));
    r = await desk.api('PUT', `alerts/${first.id}.json`, { auth: u.agent, body: { alert: {} } });
    assert.equal(r.status, 422, show(r));
    r = await desk.api('GET', 'alerts.json?unread=maybe', { auth: u.agent });
    assert.equal(r.status, 400, show(r));
    assert.deepEqual(await alerts(u.customer), [], 'end users have none');
    r = await desk.api('GET', 'alerts.json');
    assert.equal(r.status, 401, show(r));
});

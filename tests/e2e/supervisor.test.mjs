// The supervisor's desk through the API: the on-duty roster; a Polish customer asking
// for a manager reaches an on-duty supervisor with nobody reading the message first; a
// furious Spanish customer is scored irate and handed to the on-duty supervisor in one
// step, accepted and returned; abuse alerts the supervisor; nobody on duty alerts the
// group's escalation contact; irate customers escalate when the group says so; and a
// complaint about an agent never reaches that agent (show, lists, search, comments,
// escalations, export), while its outcome lands on the agent's staff record for
// supervisors only. Bad input is a clear 4xx with nothing half-written.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;
let support; // group with a roster
let billing; // group with nobody on duty

async function must(method, path, body, auth = u.admin, want = [200, 201]) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(want.includes(r.status), `${method} ${path}: ${show(r)}`);
    return r.json;
}

async function ticketAs(id, auth) {
    return (await must('GET', `tickets/${id}.json`, undefined, auth)).ticket;
}

async function comments(id, auth = u.admin) {
    return (await must('GET', `tickets/${id}/comments.json`, undefined, auth)).comments;
}

before(async () => {
    desk = await Desk.create('supervisor');
    u = await addStandardUsers(desk);
    u.sup2 = await desk.addUser('sup2', { role: 'supervisor', name: 'Sue Supervisor' });
    u.outsider = await desk.addUser('outsider', { role: 'supervisor', name: 'Otto Outsider' });
    u.pl = await desk.addUser('pl', { role: 'end-user', name: 'Paweł Kowalski' });
    u.es = await desk.addUser('es', { role: 'end-user', name: 'Lucía García' });
    await desk.start();
    support = (await must('POST', 'groups.json', { group: { name: 'Support' } })).group.id;
    billing = (await must('POST', 'groups.json', { group: { name: 'Billing' } })).group.id;
    for (const who of ['supervisor', 'sup2', 'agent', 'agent2']) {
        await must('POST', 'group_memberships.json', { group_membership: { user_id: u[who].id, group_id: support } });
    }
    await must('POST', 'group_memberships.json', { group_membership: { user_id: u.agent.id, group_id: billing } });
    await must('POST', 'group_memberships.json', { group_membership: { user_id: u.supervisor.id, group_id: billing } });
});

after(async () => {
    await desk?.stop();
});

test('the on-duty roster is set by supervisors, for supervisors in the group only', async () => {
    let r = await desk.api('PUT', 'escalations/roster.json', {
        auth: u.agent,
        body: { roster: { group_id: support, supervisor_ids: [u.supervisor.id] } },
    });
    assert.equal(r.status, 403, show(r));
    r = await desk.api('PUT', 'escalations/roster.json', {
        auth: u.supervisor,
        body: { roster: { group_id: support, supervisor_ids: [u.supervisor.id, u.outsider.id] } },
    });
    assert.equal(r.status, 422, show(r));
    assert.ok(r.json.details.supervisor_ids, show(r));
    r = await desk.api('PUT', 'escalations/roster.json', {
        auth: u.supervisor,
        body: { roster: { group_id: support, supervisor_ids: [u.agent.id] } },
    });
    assert.equal(r.status, 422, 'an agent cannot be on the supervisor roster');
    r = await desk.api('PUT', 'escalations/roster.json', {
        auth: u.supervisor,
        body: { roster: { group_id: 999999, supervisor_ids: [] } },
    });
    assert.equal(r.status, 404, show(r));
    const roster = (await must('PUT', 'escalations/roster.json', {
        roster: { group_id: support, supervisor_ids: [u.supervisor.id, u.sup2.id] },
    }, u.supervisor)).roster;
    assert.deepEqual(roster.map((e) => e.supervisor_id).sort(), [u.supervisor.id, u.sup2.id].sort());
    const seen = (await must('GET', `escalations/roster.json?group_id=${support}`, undefined, u.agent)).roster;
    assert.equal(seen.length, 2);
    const none = (await must('GET', `escalations/roster.json?group_id=${billing}`, undefined, u.agent)).roster;
    assert.equal(none.length, 0);
});

test('a Polish customer asking for a manager reaches an on-duty supervisor unread', async () => {
    const r = await desk.api('POST', 'requests.json', {
        auth: u.pl,
        body: { request: { subject: 'Reklamacja', comment: { body: 'Dzień dobry, chcę rozmawiać z kierownikiem.' } } },
    });
    assert.equal(r.status, 201, show(r));
    const id = r.json.request.id;
    assert.equal(r.json.request.sentiment, undefined, 'customers never see their score');
    assert.equal(r.json.request.escalation, undefined, 'nor the escalation');
    // No agent has touched the ticket: the hook alone routed it.
    const t = await ticketAs(id, u.supervisor);
    assert.ok([u.supervisor.id, u.sup2.id].includes(t.assignee_id), `assigned to an on-duty supervisor: ${t.assignee_id}`);
    assert.equal(t.priority, 'high');
    assert.equal(t.escalation.state, 'open');
    assert.equal(t.escalation.source, 'customer');
    assert.equal(t.escalation.reason, 'customer_request');
    assert.equal(t.escalation.supervisor_id, t.assignee_id);
    assert.equal(t.escalation.requested_by_id, null);
    assert.equal(t.sentiment.supervisor_request, true);
    assert.ok(t.sentiment.triggers.some((x) => /rozmawiać z kierownikiem/.test(x)), JSON.stringify(t.sentiment));
    const mine = (await must('GET', `escalations.json?supervisor_id=${t.assignee_id}&state=open`, undefined, u.supervisor)).escalations;
    assert.ok(mine.some((e) => e.ticket_id === id));
    const req = (await must('GET', `requests/${id}.json`, undefined, u.pl)).request;
    assert.equal(req.sentiment, undefined);

    // Without diacritics, as a follow-up on another request: the same.
    const r2 = await must('POST', 'requests.json', { request: { subject: 'Faktura', comment: { body: 'Gdzie jest moja faktura?' } } }, u.pl);
    const t2 = await ticketAs(r2.request.id, u.agent);
    assert.equal(t2.escalation, null, 'a plain question is not escalated');
    assert.equal(t2.sentiment.label, 'calm');
    await must('PUT', `requests/${r2.request.id}.json`, { request: { comment: { body: 'chce rozmawiac z przelozonym' } } }, u.pl);
    const t2b = await ticketAs(r2.request.id, u.agent);
    assert.equal(t2b.escalation?.source, 'customer');
    assert.notEqual(t2b.escalation.supervisor_id, t.escalation.supervisor_id, 'spread over the supervisors on duty');
});

test('a look-alike ("my manager asked me") is not escalated', async () => {
    const r = await must('POST', 'requests.json', {
        request: { subject: 'Invoice', comment: { body: 'My manager asked me to write to you about the invoice.' } },
    }, u.customer);
    const t = await ticketAs(r.request.id, u.agent);
    assert.equal(t.escalation, null);
    assert.equal(t.sentiment.supervisor_request, false);
    assert.equal(t.assignee_id, null);
});

test('a furious Spanish customer is handed to the on-duty supervisor in one step', async () => {
    const r = await must('POST', 'requests.json', {
        request: {
            subject: 'Pedido perdido',
            comment: { body: '¡Esto es totalmente inaceptable! Estoy FURIOSO, es la tercera vez que pierden mi pedido.' },
        },
    }, u.es);
    const id = r.request.id;
    let t = await ticketAs(id, u.agent);
    assert.equal(t.sentiment.label, 'irate', JSON.stringify(t.sentiment));
    assert.ok(t.sentiment.score <= -0.5 && t.sentiment.score >= -1, String(t.sentiment.score));
    assert.ok(t.sentiment.triggers.includes('inaceptable'), JSON.stringify(t.sentiment.triggers));
    assert.equal(t.sentiment.abusive, false);
    assert.equal(t.escalation, null, 'irate escalates automatically only where the group says so');
    // The agent takes it in the Support group, then hands it over in one call.
    await must('PUT', `tickets/${id}.json`, { ticket: { group_id: support, assignee_id: u.agent.id } }, u.agent);
    const before = (await must('GET', 'escalations.json?state=open', undefined, u.agent)).escalations;
    const load = (sid) => before.filter((e) => e.supervisor_id === sid).length;
    const e = (await must('POST', `tickets/${id}/escalate.json`, {
        escalation: { reason: 'difficult_customer', note: 'Cliente muy enfadado, pedido perdido tres veces' },
    }, u.agent)).escalation;
    assert.equal(e.state, 'open');
    assert.equal(e.source, 'agent');
    assert.equal(e.reason, 'difficult_customer');
    assert.equal(e.requested_by_id, u.agent.id);
    assert.equal(e.previous_assignee_id, u.agent.id);
    const expected = load(u.supervisor.id) <= load(u.sup2.id)
        ? (load(u.supervisor.id) < load(u.sup2.id) ? u.supervisor.id : null)
        : u.sup2.id;
    if (expected) {
        assert.equal(e.supervisor_id, expected, 'the supervisor with fewer open escalations');
    }
    t = await ticketAs(id, u.agent);
    assert.equal(t.assignee_id, e.supervisor_id);
    assert.equal(t.priority, 'high');
    assert.equal(t.escalation.id, e.id);
    const note = (await comments(id)).at(-1);
    assert.equal(note.public, false);
    assert.match(note.body, /Escalated to .* \(difficult_customer, agent\): Cliente muy enfadado/);
    // The customer sees no internal note and no change of tone.
    const seen = (await must('GET', `requests/${id}/comments.json`, undefined, u.es)).comments;
    assert.ok(seen.every((c) => c.public));

    // Escalating again while it is open is refused; nothing is written.
    const again = await desk.api('POST', `tickets/${id}/escalate.json`, { auth: u.agent, body: { escalation: { reason: 'legal' } } });
    assert.equal(again.status, 422, show(again));
    assert.equal((await comments(id)).length, 2);

    // The supervisor accepts (time to accept is kept) and later returns it to the agent.
    const sup = e.supervisor_id === u.supervisor.id ? u.supervisor : u.sup2;
    let r2 = await desk.api('PUT', `escalations/${e.id}/accept.json`, { auth: u.agent });
    assert.equal(r2.status, 403, 'agents do not accept escalations');
    const acc = (await must('PUT', `escalations/${e.id}/accept.json`, undefined, sup)).escalation;
    assert.equal(acc.state, 'accepted');
    assert.equal(acc.accepted_by_id, sup.id);
    assert.ok(acc.time_to_accept_seconds >= 0);
    r2 = await desk.api('PUT', `escalations/${e.id}/accept.json`, { auth: sup });
    assert.equal(r2.status, 422, 'accepting twice is not a move the state allows');
    const ret = (await must('PUT', `escalations/${e.id}/return.json`, { escalation: { note: 'Ofrecido reembolso, puede cerrar' } }, sup)).escalation;
    assert.equal(ret.state, 'returned');
    assert.equal(ret.resolution, 'Ofrecido reembolso, puede cerrar');
    t = await ticketAs(id, u.agent);
    assert.equal(t.assignee_id, u.agent.id, 'back with the agent who had it');
    assert.equal(t.escalation.state, 'returned');
    const list = (await must('GET', `escalations.json?state=returned&group_id=${support}`, undefined, u.agent)).escalations;
    assert.ok(list.some((x) => x.id === e.id));
});

test('escalation bad input: unknown reason, closed ticket, missing ticket, customers', async () => {
    const t = (await must('POST', 'tickets.json', { ticket: { subject: 'x', comment: { body: 'Hello' }, group_id: support } }, u.agent)).ticket;
    for (const body of [{ escalation: { reason: 'bored' } }, { escalation: {} }, { escalation: { reason: 'customer_request' } }, { escalation: { reason: 7 } }]) {
        const r = await desk.api('POST', `tickets/${t.id}/escalate.json`, { auth: u.agent, body });
        assert.equal(r.status, 422, `${JSON.stringify(body)}: ${show(r)}`);
        assert.ok(r.json.details.reason, show(r));
    }
    let r = await desk.api('POST', `tickets/${t.id}/escalate.json`, { auth: u.agent, body: '{"escalation":' });
    assert.equal(r.status, 400);
    r = await desk.api('POST', 'tickets/99999999/escalate.json', { auth: u.agent, body: { escalation: { reason: 'legal' } } });
    assert.equal(r.status, 404);
    r = await desk.api('POST', `tickets/${t.id}/escalate.json`, { auth: u.customer, body: { escalation: { reason: 'legal' } } });
    assert.equal(r.status, 403);
    assert.equal((await ticketAs(t.id, u.agent)).escalation, null, 'nothing half-written');
    // A closed ticket cannot be escalated.
    await must('PUT', `tickets/${t.id}.json`, { ticket: { status: 'solved', assignee_id: u.agent.id } }, u.agent);
    await must('PUT', `tickets/${t.id}.json`, { ticket: { status: 'closed' } }, u.agent);
    r = await desk.api('POST', `tickets/${t.id}/escalate.json`, { auth: u.agent, body: { escalation: { reason: 'legal' } } });
    assert.equal(r.status, 422, show(r));
    assert.match(JSON.stringify(r.json.details), /closed/);
    assert.equal((await ticketAs(t.id, u.agent)).escalation, null);
    r = await desk.api('GET', 'escalations.json?state=sideways', { auth: u.agent });
    assert.equal(r.status, 400);
    r = await desk.api('PUT', 'escalations/99999/resolve.json', { auth: u.supervisor });
    assert.equal(r.status, 404);
});

test('nobody on duty: the escalation waits and the group\'s escalation contact is alerted', async () => {
    let r = await desk.api('PUT', `escalations/settings/${billing}.json`, { auth: u.supervisor, body: { settings: { contact_id: u.customer.id } } });
    assert.equal(r.status, 422, 'the contact must be staff');
    r = await desk.api('PUT', `escalations/settings/${billing}.json`, { auth: u.supervisor, body: { settings: { raise_priority: 'extreme' } } });
    assert.equal(r.status, 422);
    const s = (await must('PUT', `escalations/settings/${billing}.json`, { settings: { contact_id: u.supervisor.id, raise_priority: 'urgent' } }, u.supervisor)).settings;
    assert.equal(s.contact_id, u.supervisor.id);
    assert.equal(s.raise_priority, 'urgent');
    const t = (await must('POST', 'tickets.json', { ticket: { subject: 'Refund', comment: { body: 'Refund please' }, group_id: billing, assignee_id: u.agent.id } }, u.agent)).ticket;
    const e = (await must('POST', `tickets/${t.id}/escalate.json`, { escalation: { reason: 'policy_exception' } }, u.agent)).escalation;
    assert.equal(e.supervisor_id, null);
    assert.equal(e.state, 'open');
    const t2 = await ticketAs(t.id, u.agent);
    assert.equal(t2.priority, 'urgent');
    assert.equal(t2.assignee_id, u.agent.id, 'stays with the agent until a supervisor takes it');
    const alerts = (await must('GET', 'supervisor_alerts.json?open=true', undefined, u.supervisor)).supervisor_alerts;
    const a = alerts.find((x) => x.kind === 'unstaffed' && x.ticket_id === t.id);
    assert.ok(a, JSON.stringify(alerts));
    assert.equal(a.recipient_id, u.supervisor.id);
    assert.equal(a.escalation_id, e.id);
    const others = (await must('GET', 'supervisor_alerts.json', undefined, u.sup2)).supervisor_alerts;
    assert.ok(!others.some((x) => x.id === a.id), 'addressed to the contact only');
    const ack = (await must('PUT', `supervisor_alerts/${a.id}/acknowledge.json`, undefined, u.supervisor)).supervisor_alert;
    assert.equal(ack.acknowledged_by_id, u.supervisor.id);
    r = await desk.api('GET', 'supervisor_alerts.json', { auth: u.agent });
    assert.equal(r.status, 403);
    // Any supervisor may then take it.
    const acc = (await must('PUT', `escalations/${e.id}/accept.json`, undefined, u.supervisor)).escalation;
    assert.equal(acc.supervisor_id, u.supervisor.id);
    assert.equal((await ticketAs(t.id, u.agent)).assignee_id, u.supervisor.id);
    const res = (await must('PUT', `escalations/${e.id}/resolve.json`, { escalation: { note: 'Approved once' } }, u.supervisor)).escalation;
    assert.equal(res.state, 'resolved');
});

test('abusive language alerts the supervisor; irate customers escalate where the group says so', async () => {
    const r = await must('POST', 'requests.json', { request: { subject: 'Again', comment: { body: 'You people are useless idiots.' } } }, u.customer2);
    const t = await ticketAs(r.request.id, u.agent);
    assert.equal(t.sentiment.abusive, true);
    assert.equal(t.sentiment.label, 'irate');
    assert.ok(t.sentiment.triggers.includes('idiots'));
    const alerts = (await must('GET', 'supervisor_alerts.json', undefined, u.sup2)).supervisor_alerts;
    assert.ok(alerts.some((a) => a.kind === 'abuse' && a.ticket_id === t.id && /idiots/.test(a.message)), JSON.stringify(alerts));

    await must('PUT', `escalations/settings/${support}.json`, { settings: { auto_irate: true } }, u.supervisor);
    const t2 = (await must('POST', 'tickets.json', { ticket: { subject: 'Order', comment: { body: 'Where is my order?' }, group_id: support, requester_id: u.customer2.id } }, u.agent)).ticket;
    assert.equal((await ticketAs(t2.id, u.agent)).sentiment, null, 'staff words are not scored');
    await must('PUT', `requests/${t2.id}.json`, { request: { comment: { body: 'This is RIDICULOUS. Two weeks and nothing!!! Absolutely unacceptable.' } } }, u.customer2);
    const t3 = await ticketAs(t2.id, u.agent);
    assert.equal(t3.sentiment.label, 'irate');
    assert.equal(t3.escalation?.source, 'sentiment');
    assert.equal(t3.escalation.reason, 'irate');
    assert.equal(t3.sentiment.history.length, 1);
    await must('PUT', `requests/${t2.id}.json`, { request: { comment: { body: 'Thank you, that is great, all sorted now.' } } }, u.customer2);
    const t4 = await ticketAs(t2.id, u.agent);
    assert.equal(t4.sentiment.label, 'calm');
    assert.equal(t4.sentiment.trend, 'improving');
    assert.equal(t4.sentiment.history.length, 2);
    assert.equal(t4.sentiment.abusive, false);
});

test('a complaint about an agent never reaches that agent', async () => {
    // Bob (agent2) is in Support; Alice logs the customer's complaint about him.
    let r = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: { ticket: { subject: 'Complaint', type: 'complaint', complaint_agent_id: u.customer.id, group_id: support, comment: { body: 'x' } } },
    });
    assert.equal(r.status, 422, show(r));
    assert.ok(r.json.details.complaint_agent_id, show(r));
    r = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: { ticket: { subject: 'Complaint', complaint_agent_id: 99999999, group_id: support, comment: { body: 'x' } } },
    });
    assert.equal(r.status, 422, show(r));
    const body = 'Bob was rude to me on the phone and hung up. Zanzibarcomplaint.';
    const spec = {
        subject: 'Rude agent zanzibar', type: 'complaint', complaint_agent_id: u.agent2.id, group_id: support,
        requester_id: u.customer.id, comment: { body, public: false },
    };
    r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { ...spec, assignee_id: u.agent2.id } } });
    assert.equal(r.status, 422, 'a complaint is never assigned to the agent it names');
    assert.ok(r.json.details.assignee_id, show(r));
    const t = (await must('POST', 'tickets.json', { ticket: spec }, u.agent)).ticket;
    assert.equal(t.type, 'complaint');
    assert.notEqual(t.assignee_id, u.agent2.id, 'never assigned to the agent it is about');
    const st = await ticketAs(t.id, u.supervisor);
    assert.ok([u.supervisor.id, u.sup2.id].includes(st.assignee_id), 'routed to an on-duty supervisor');
    assert.equal(st.escalation.source, 'rule');
    assert.equal(st.escalation.reason, 'complaint');
    assert.equal(st.complaint_agent_id, u.agent2.id);
    assert.equal(st.complaint.outcome, null);

    // Bob: not found anywhere.
    for (const path of [`tickets/${t.id}.json`, `tickets/${t.id}/comments.json`, `tickets/${t.id}/audits.json`]) {
        const x = await desk.api('GET', path, { auth: u.agent2 });
        assert.equal(x.status, 404, `${path}: ${show(x)}`);
    }
    const up = await desk.api('PUT', `tickets/${t.id}.json`, { auth: u.agent2, body: { ticket: { comment: { body: 'hi', public: false } } } });
    assert.equal(up.status, 404);
    for (const path of ['tickets.json', `groups/${support}/tickets.json`, `tickets/show_many.json?ids=${t.id}`, `users/${u.customer.id}/tickets/requested.json`]) {
        const x = await must('GET', path, undefined, u.agent2);
        assert.ok(!x.tickets.some((y) => y.id === t.id), `${path} lists it to the agent it is about`);
    }
    const s = await must('GET', 'search.json?query=zanzibar', undefined, u.agent2);
    assert.ok(!s.results.some((y) => y.id === t.id), 'search finds it for the agent it is about');
    const s2 = await must('GET', 'search.json?query=zanzibar', undefined, u.agent);
    assert.ok(s2.results.some((y) => y.id === t.id), 'other agents find it');
    const esc = await must('GET', 'escalations.json', undefined, u.agent2);
    assert.ok(!esc.escalations.some((e) => e.ticket_id === t.id));
    const inc = await must('GET', `incremental/tickets/cursor.json?start_time=${Math.floor(Date.now() / 1000) - 3600}`, undefined, u.agent2);
    assert.ok(!inc.tickets.some((y) => y.id === t.id), 'the export leaves it out for them');
    const esc404 = await desk.api('GET', `escalations/${st.escalation.id}.json`, { auth: u.agent2 });
    assert.equal(esc404.status, 404);

    // Other staff can work it, but only supervisors may hold it.
    const other = await ticketAs(t.id, u.agent);
    assert.equal(other.complaint, undefined, 'the outcome is for supervisors');
    r = await desk.api('PUT', `tickets/${t.id}.json`, { auth: u.agent, body: { ticket: { assignee_id: u.agent.id } } });
    assert.equal(r.status, 422, show(r));

    // The outcome goes on Bob's staff record, visible to supervisors and admins only.
    r = await desk.api('PUT', `tickets/${t.id}/complaint.json`, { auth: u.agent, body: { complaint: { outcome: 'upheld' } } });
    assert.equal(r.status, 403);
    r = await desk.api('PUT', `tickets/${t.id}/complaint.json`, { auth: u.supervisor, body: { complaint: { outcome: 'sacked' } } });
    assert.equal(r.status, 422);
    const k = (await must('PUT', `tickets/${t.id}/complaint.json`, { complaint: { outcome: 'coaching', note: 'Call handling coaching booked' } }, u.supervisor)).complaint;
    assert.equal(k.outcome, 'coaching');
    assert.equal(k.decided_by_id, u.supervisor.id);
    const rec = (await must('GET', `users/${u.agent2.id}/complaints.json`, undefined, u.sup2)).complaints;
    assert.equal(rec.length, 1);
    assert.equal(rec[0].outcome, 'coaching');
    const prof = (await must('GET', `users/${u.agent2.id}.json`, undefined, u.admin)).user;
    assert.equal(prof.complaints.coaching, 1);
    const byAgent = (await must('GET', `users/${u.agent2.id}.json`, undefined, u.agent)).user;
    assert.equal(byAgent.complaints, undefined, 'agents do not see staff records');
    const self = (await must('GET', `users/${u.agent2.id}.json`, undefined, u.agent2)).user;
    assert.equal(self.complaints, undefined);
    r = await desk.api('GET', `users/${u.agent2.id}/complaints.json`, { auth: u.agent });
    assert.equal(r.status, 403);
    r = await desk.api('GET', `users/${u.customer.id}/tickets/requested.json`, { auth: u.customer });
    assert.notEqual(r.status, 200);
});

// The supervisor's desk, what happens without anyone asking: who is on duty comes from
// the supervisors' work schedules unless a roster was set by hand; escalations are spread
// fairly among those on duty, and with nobody on duty the group's escalation contact is
// alerted; an SLA target running out (or at risk, where the group wants it) escalates the
// ticket once, through the scheduler; reopening a ticket as often as the group allows
// escalates it once; a customer turning irate escalates it once per turn.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Every day, all day (UTC): always on duty by schedule. */
const ALWAYS = DAYS.map((day) => ({ day, start: '00:00', end: '24:00' }));
/** One hour three days from now: never on duty while the test runs. */
const ELSEWHEN = [{ day: DAYS[(new Date().getUTCDay() + 6 + 3) % 7], start: '10:00', end: '11:00' }];

async function must(method, path, body, auth = u.admin, want = [200, 201]) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(want.includes(r.status), `${method} ${path}: ${show(r)}`);
    return r.json;
}

const ticketAs = async (id, auth = u.supervisor) => (await must('GET', `tickets/${id}.json`, undefined, auth)).ticket;
const escalationsOf = async (id) =>
    (await must('GET', `escalations.json?ticket_id=${id}`, undefined, u.supervisor)).escalations;
const schedule = (who, shifts) =>
    must('PUT', `staff/${who.id}.json`, { staff: { schedule: { time_zone: 'UTC', shifts } } }, u.admin);

async function group(name, members) {
    const id = (await must('POST', 'groups.json', { group: { name } })).group.id;
    for (const m of members) {
        await must('POST', 'group_memberships.json', { group_membership: { user_id: m.id, group_id: id } });
    }
    return id;
}

/** Polls fn until it returns a truthy value or timeoutMs passes. */
async function eventually(fn, timeoutMs, what) {
    const end = Date.now() + timeoutMs;
    for (;;) {
        const v = await fn();
        if (v) {
            return v;
        }
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await new Promise((r) => setTimeout(r, 200));
    }
}

before(async () => {
    desk = await Desk.create('supervisor_auto');
    u = await addStandardUsers(desk);
    u.day = await desk.addUser('day', { role: 'supervisor', name: 'Dana Day' });
    u.night = await desk.addUser('night', { role: 'supervisor', name: 'Nico Night' });
    u.plain = await desk.addUser('plain', { role: 'supervisor', name: 'Pat Plain' });
    await desk.start();
    await schedule(u.day, ALWAYS);
    await schedule(u.night, ELSEWHEN);
    await schedule(u.supervisor, ALWAYS);
});

after(async () => {
    await desk?.stop();
});

test('on duty from the schedules unless set by hand; fair spread; nobody on duty alerts the contact', async () => {
    const g = await group('Scheduled', [u.day, u.night, u.plain, u.supervisor, u.agent]);
    // By schedule: Dana and Sam cover now; Nico's shift is another day; Pat has no schedule.
    let roster = (await must('GET', `escalations/roster.json?group_id=${g}`, undefined, u.agent)).roster;
    assert.deepEqual(roster.map((e) => [e.supervisor_id, e.source]).sort(),
        [[u.supervisor.id, 'schedule'], [u.day.id, 'schedule']].sort());

    // Four hand-offs are spread two and two.
    const ids = [];
    for (let i = 0; i < 4; i++) {
        const t = (await must('POST', 'tickets.json', { ticket: { subject: `spread ${i}`, comment: { body: 'Help' }, group_id: g, requester_id: u.customer.id } }, u.agent)).ticket;
        const e = (await must('POST', `tickets/${t.id}/escalate.json`, { escalation: { reason: 'difficult_customer' } }, u.agent)).escalation;
        ids.push(e.supervisor_id);
        assert.equal((await ticketAs(t.id)).assignee_id, e.supervisor_id);
    }
    assert.equal(ids.filter((x) => x === u.day.id).length, 2, JSON.stringify(ids));
    assert.equal(ids.filter((x) => x === u.supervisor.id).length, 2, JSON.stringify(ids));
    assert.notEqual(ids[0], ids[1], 'the second goes to the other supervisor');

    // Set by hand, the roster replaces the schedules: Nico (off by schedule) takes the next one.
    roster = (await must('PUT', 'escalations/roster.json', { roster: { group_id: g, supervisor_ids: [u.night.id] } }, u.supervisor)).roster;
    assert.deepEqual(roster.map((e) => [e.supervisor_id, e.source]), [[u.night.id, 'manual']]);
    const t5 = (await must('POST', 'tickets.json', { ticket: { subject: 'by hand', comment: { body: 'Help' }, group_id: g, requester_id: u.customer.id } }, u.agent)).ticket;
    const e5 = (await must('POST', `tickets/${t5.id}/escalate.json`, { escalation: { reason: 'legal' } }, u.agent)).escalation;
    assert.equal(e5.supervisor_id, u.night.id);

    // Dropping the hand-set roster gives the schedules back.
    assert.equal((await desk.api('DELETE', `escalations/roster.json?group_id=${g}`, { auth: u.agent })).status, 403);
    assert.equal((await desk.api('DELETE', 'escalations/roster.json?group_id=999999', { auth: u.supervisor })).status, 404);
    roster = (await must('DELETE', `escalations/roster.json?group_id=${g}`, undefined, u.supervisor)).roster;
    assert.deepEqual(roster.map((e) => e.supervisor_id).sort(), [u.supervisor.id, u.day.id].sort());

    // A supervisor whose shift is over is off duty: a group staffed only by Nico has nobody,
    // and its escalation contact hears of it.
    const empty = await group('Night desk', [u.night, u.agent]);
    await must('PUT', `escalations/settings/${empty}.json`, { settings: { contact_id: u.plain.id } }, u.supervisor);
    assert.deepEqual((await must('GET', `escalations/roster.json?group_id=${empty}`, undefined, u.agent)).roster, []);
    const t6 = (await must('POST', 'tickets.json', { ticket: { subject: 'nobody', comment: { body: 'Help' }, group_id: empty, requester_id: u.customer.id, assignee_id: u.agent.id } }, u.agent)).ticket;
    const e6 = (await must('POST', `tickets/${t6.id}/escalate.json`, { escalation: { reason: 'technical' } }, u.agent)).escalation;
    assert.equal(e6.supervisor_id, null);
    assert.equal((await ticketAs(t6.id)).assignee_id, u.agent.id, 'the ticket stays with its agent meanwhile');
    const alerts = (await must('GET', 'supervisor_alerts.json', undefined, u.plain)).supervisor_alerts;
    assert.ok(alerts.some((a) => a.kind === 'unstaffed' && a.ticket_id === t6.id && a.recipient_id === u.plain.id), JSON.stringify(alerts));
});

async function slaPolicy(tag, targetSeconds) {
    await must('POST', 'slas/policies.json', {
        sla_policy: {
            title: tag,
            filter: { all: [{ field: 'current_tags', operator: 'includes', value: tag }], any: [] },
            policy_metrics: [{ priority: 'normal', metric: 'first_reply_time', target_in_seconds: targetSeconds, business_hours: false }],
            at_risk_percent: 50,
        },
    });
}

const slaTicket = async (tag, groupId) => (await must('POST', 'tickets.json', {
    ticket: {
        subject: `sla ${tag}`, requester_id: u.customer.id, tags: [tag], priority: 'normal', group_id: groupId,
        assignee_id: u.agent.id, comment: { body: 'It broke', author_id: u.customer.id },
    },
}, u.agent)).ticket;

test('an SLA breach escalates the ticket once, through the scheduler; at risk only where the group wants it', async () => {
    const g = await group('SLA desk', [u.day, u.agent]);
    const settings = (await must('GET', `escalations/settings/${g}.json`, undefined, u.agent)).settings;
    assert.equal(settings.auto_sla_breach, true);
    assert.equal(settings.auto_sla_at_risk, false);
    await slaPolicy('esc-breach', 2);
    const t = await slaTicket('esc-breach', g);
    assert.equal((await ticketAs(t.id)).escalation, null);
    const esc = await eventually(async () => (await ticketAs(t.id)).escalation, 15_000, 'the SLA escalation');
    assert.equal(esc.source, 'sla');
    assert.equal(esc.reason, 'sla_risk');
    assert.match(esc.note, /first_reply_time breached/, 'at risk (at 50 %) did not escalate here');
    assert.equal(esc.supervisor_id, u.day.id);
    assert.equal((await ticketAs(t.id)).assignee_id, u.day.id, 'handed to the supervisor on duty');
    const audits = (await must('GET', `tickets/${t.id}/audits.json`, undefined, u.supervisor)).audits;
    assert.ok(audits.some((a) => a.via.channel === 'rule' && a.events.some((e) => e.field_name === 'escalation')), JSON.stringify(audits));

    // Resolved, the same breach does not escalate again, whatever happens to the ticket.
    await must('PUT', `escalations/${esc.id}/resolve.json`, { escalation: { note: 'called the customer' } }, u.day);
    await must('PUT', `tickets/${t.id}.json`, { ticket: { comment: { body: 'Internal: looking', public: false } } }, u.day);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await escalationsOf(t.id)).length, 1);

    // A group that escalates at risk: the escalation comes at half the target, before the breach.
    const g2 = await group('Careful desk', [u.day, u.agent]);
    await must('PUT', `escalations/settings/${g2}.json`, { settings: { auto_sla_at_risk: true, auto_sla_breach: false } }, u.supervisor);
    await slaPolicy('esc-risk', 4);
    const t2 = await slaTicket('esc-risk', g2);
    const esc2 = await eventually(async () => (await ticketAs(t2.id)).escalation, 15_000, 'the at-risk escalation');
    assert.equal(esc2.source, 'sla');
    assert.match(esc2.note, /first_reply_time at risk/);
    assert.ok(Date.parse(esc2.created_at) - Date.parse(t2.created_at) < 4000, 'before the target ran out');
    await must('PUT', `escalations/${esc2.id}/resolve.json`, { escalation: {} }, u.day);
    // The breach that follows does not escalate in this group.
    await eventually(async () => {
        const s = (await must('GET', `tickets/${t2.id}/sla.json`, undefined, u.supervisor)).slas;
        return s.some((k) => k.metric === 'first_reply_time' && k.breached);
    }, 15_000, 'the breach');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await escalationsOf(t2.id)).length, 1);
});

test('reopening a ticket as often as the group allows escalates it once (source rule)', async () => {
    const g = await group('Reopen desk', [u.day, u.agent]);
    let s = (await must('GET', `escalations/settings/${g}.json`, undefined, u.agent)).settings;
    assert.equal(s.reopen_threshold, 2);
    for (const bad of [-1, 101, 'two', 1.5]) {
        const r = await desk.api('PUT', `escalations/settings/${g}.json`, { auth: u.supervisor, body: { settings: { reopen_threshold: bad } } });
        assert.equal(r.status, 422, show(r));
        assert.ok(r.json.details.reopen_threshold, show(r));
    }
    s = (await must('PUT', `escalations/settings/${g}.json`, { settings: { reopen_threshold: 3 } }, u.supervisor)).settings;
    assert.equal(s.reopen_threshold, 3);
    const t = (await must('POST', 'requests.json', { request: { subject: 'Printer', comment: { body: 'The printer does not print.' } } }, u.customer2)).request;
    await must('PUT', `tickets/${t.id}.json`, { ticket: { group_id: g, assignee_id: u.agent.id } }, u.agent);
    const cycle = async (n) => {
        await must('PUT', `tickets/${t.id}.json`, { ticket: { status: 'solved', comment: { body: `Fixed (${n}).` } } }, u.agent);
        await must('PUT', `requests/${t.id}.json`, { request: { comment: { body: 'It stopped printing again.' } } }, u.customer2);
        return ticketAs(t.id);
    };
    assert.equal((await cycle(1)).escalation, null);
    assert.equal((await cycle(2)).escalation, null);
    const third = await cycle(3);
    assert.equal(third.status, 'open');
    assert.equal(third.escalation?.source, 'rule', JSON.stringify(third.escalation));
    assert.equal(third.escalation.reason, 'repeated_reopen');
    assert.match(third.escalation.note, /reopened 3 times/);
    assert.equal(third.assignee_id, u.day.id);
    await must('PUT', `escalations/${third.escalation.id}/return.json`, { escalation: { note: 'agent has it' } }, u.day);
    await cycle(4);
    assert.equal((await escalationsOf(t.id)).length, 1, 'once per ticket');

    // Threshold 0: never.
    await must('PUT', `escalations/settings/${g}.json`, { settings: { reopen_threshold: 0 } }, u.supervisor);
    const t2 = (await must('POST', 'requests.json', { request: { subject: 'Scanner', comment: { body: 'The scanner is slow.' } } }, u.customer2)).request;
    await must('PUT', `tickets/${t2.id}.json`, { ticket: { group_id: g } }, u.agent);
    for (let i = 0; i < 4; i++) {
        await must('PUT', `tickets/${t2.id}.json`, { ticket: { status: 'solved', comment: { body: 'Done.' } } }, u.agent);
        await must('PUT', `requests/${t2.id}.json`, { request: { comment: { body: 'Still slow.' } } }, u.customer2);
    }
    assert.equal((await escalationsOf(t2.id)).length, 0);
});

test('a customer turning irate escalates by rule (source sentiment), once per turn', async () => {
    const g = await group('Mood desk', [u.day, u.agent]);
    await must('PUT', `escalations/settings/${g}.json`, { settings: { auto_irate: true } }, u.supervisor);
    const t = (await must('POST', 'requests.json', { request: { subject: 'Order', comment: { body: 'Hello, where is my order?' } } }, u.customer)).request;
    await must('PUT', `tickets/${t.id}.json`, { ticket: { group_id: g, assignee_id: u.agent.id } }, u.agent);
    assert.equal((await ticketAs(t.id)).escalation, null, 'a calm customer is not escalated');
    const say = (body) => must('PUT', `requests/${t.id}.json`, { request: { comment: { body } } }, u.customer);
    await say('This is OUTRAGEOUS. Three weeks and nothing!!! Completely unacceptable.');
    let now = await ticketAs(t.id);
    assert.equal(now.sentiment.label, 'irate');
    assert.equal(now.escalation?.source, 'sentiment');
    assert.equal(now.escalation.reason, 'irate');
    assert.equal(now.escalation.supervisor_id, u.day.id);
    await must('PUT', `escalations/${now.escalation.id}/return.json`, { escalation: { note: 'calmed down?' } }, u.day);
    // Still irate: the same turn, no second escalation.
    await say('I am STILL furious, this is a disgrace!!');
    now = await ticketAs(t.id);
    assert.equal(now.sentiment.label, 'irate');
    assert.equal((await escalationsOf(t.id)).length, 1);
    // Calm again, then irate again: a new turn.
    await say('Thank you, the replacement arrived and works.');
    assert.notEqual((await ticketAs(t.id)).sentiment.label, 'irate');
    await say('Now it broke AGAIN after one day. Absolutely unacceptable, I am fed up!!!');
    assert.equal((await escalationsOf(t.id)).length, 2);
});

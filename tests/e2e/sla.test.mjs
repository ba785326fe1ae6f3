// SLA through the API: business-hours schedules (Zendesk's shape, 422s naming
// the field), SLA policies, and each metric's start / pause / fulfil rules as a
// supervisor reads them on GET /tickets/{id}/sla, with Zendesk's include=slas,
// ticket metrics and metric events. Calendar-hour targets keep the assertions
// independent of the time of day; business hours are checked with a schedule
// built around the current time.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;

before(async () => {
    desk = await Desk.create('sla');
    u = await addStandardUsers(desk);
    await desk.start();
});

after(async () => {
    await desk?.stop();
});

const api = (method, path, auth, body) => desk.api(method, path, { auth, body });

async function ok(r, status = 200) {
    assert.equal(r.status, status, show(r));
    return r.json;
}

/** A ticket the customer opened (an agent logs it on their behalf, so it can carry a tag). */
async function customerTicket(tag, extra = {}) {
    const r = await api('POST', 'tickets.json', u.agent, {
        ticket: {
            subject: `sla ${tag}`, requester_id: u.customer.id, tags: [tag],
            comment: { body: 'It broke', author_id: u.customer.id }, ...extra,
        },
    });
    return (await ok(r, 201)).ticket;
}

const update = (id, ticket, auth = u.agent) => api('PUT', `tickets/${id}.json`, auth, { ticket });
/** The customer writes on their request (the portal's way). */
const reply = (id, body) => api('PUT', `requests/${id}.json`, u.customer, { request: { comment: { body } } });

async function clocks(id) {
    const j = await ok(await api('GET', `tickets/${id}/sla.json`, u.supervisor));
    return Object.fromEntries(j.slas.map((s) => [s.metric, s]));
}

async function policy(title, tag, metrics, extra = {}) {
    const r = await api('POST', 'slas/policies.json', u.admin, {
        sla_policy: {
            title,
            filter: { all: [{ field: 'current_tags', operator: 'includes', value: tag }], any: [] },
            policy_metrics: metrics,
            ...extra,
        },
    });
    return (await ok(r, 201)).sla_policy;
}

const allMetrics = (minutes, business_hours = false) => [
    'first_reply_time', 'next_reply_time', 'periodic_update_time', 'pausable_update_time',
    'requester_wait_time', 'agent_work_time', 'total_resolution_time',
].map((metric) => ({ priority: 'normal', metric, target: minutes, business_hours }));

test('schedules: Zendesk shape, defaults, workweek and holidays', async () => {
    let s = await ok(await api('POST', 'business_hours/schedules.json', u.admin, {
        schedule: { name: 'Prague office', time_zone: 'Europe/Prague' },
    }), 201);
    const id = s.schedule.id;
    assert.deepEqual(s.schedule.intervals.map((i) => [i.start_time, i.end_time]),
        [[1980, 2460], [3420, 3900], [4860, 5340], [6300, 6780], [7740, 8220]], 'Mon-Fri 09-17');
    s = await ok(await api('PUT', `business_hours/schedules/${id}/workweek.json`, u.admin, {
        workweek: { intervals: [{ start_time: 1980, end_time: 2160 }, { start_time: 2220, end_time: 2460 }] },
    }));
    assert.equal(s.workweek.intervals.length, 2);
    const h = await ok(await api('POST', `business_hours/schedules/${id}/holidays.json`, u.admin, {
        holiday: { name: 'Christmas', start_date: '2026-12-24', end_date: '2026-12-26', yearly: true },
    }), 201);
    assert.equal(h.holiday.name, 'Christmas');
    assert.equal(h.holiday.yearly, true);
    const list = await ok(await api('GET', `business_hours/schedules/${id}/holidays.json`, u.agent));
    assert.equal(list.holidays.length, 1);
    const hid = h.holiday.id;
    await ok(await api('PUT', `business_hours/schedules/${id}/holidays/${hid}.json`, u.admin, {
        holiday: { end_date: '2026-12-27' },
    }));
    const one = await ok(await api('GET', `business_hours/schedules/${id}/holidays/${hid}.json`, u.agent));
    assert.equal(one.holiday.end_date, '2026-12-27');
    assert.equal((await api('DELETE', `business_hours/schedules/${id}/holidays/${hid}.json`, u.admin)).status, 204);
    const all = await ok(await api('GET', 'business_hours/schedules.json', u.agent));
    assert.ok(all.schedules.some((x) => x.id === id));
    // Agents read schedules but do not change them.
    assert.equal((await api('PUT', `business_hours/schedules/${id}.json`, u.agent, { schedule: { name: 'x' } })).status, 403);
    assert.equal((await api('DELETE', `business_hours/schedules/${id}.json`, u.admin)).status, 204);
    assert.equal((await api('GET', `business_hours/schedules/${id}.json`, u.admin)).status, 404);
});

test('bad schedules and holidays are 422s naming the field', async () => {
    const cases = [
        [{ name: 'x', time_zone: 'Mars/Olympus' }, 'time_zone'],
        [{ name: 'x', time_zone: 'Eastern Time (US & Canada)' }, 'time_zone'],
        [{ name: 'x' }, 'time_zone'],
        [{ name: '', time_zone: 'UTC' }, 'name'],
        [{ name: 'x', time_zone: 'UTC', intervals: [] }, 'intervals'],
        [{ name: 'x', time_zone: 'UTC', intervals: [{ start_time: 2000, end_time: 2000 }] }, 'intervals'],
        [{ name: 'x', time_zone: 'UTC', intervals: [{ start_time: 2000, end_time: 2010 }] }, 'intervals'],
        [{ name: 'x', time_zone: 'UTC', intervals: [{ start_time: 1980, end_time: 2460 }, { start_time: 2400, end_time: 2500 }] }, 'intervals'],
        [{ name: 'x', time_zone: 'UTC', intervals: [{ start_time: '9am', end_time: 2460 }] }, 'intervals'],
        [{ name: 'x', time_zone: 'UTC', group_ids: [987654] }, 'group_ids'],
    ];
    for (const [schedule, field] of cases) {
        const r = await api('POST', 'business_hours/schedules.json', u.admin, { schedule });
        assert.equal(r.status, 422, `${JSON.stringify(schedule)}: ${show(r)}`);
        assert.ok(r.json.details[field], `${JSON.stringify(schedule)} names ${field}: ${r.text}`);
    }
    const s = await ok(await api('POST', 'business_hours/schedules.json', u.admin, {
        schedule: { name: 'holidays', time_zone: 'UTC' },
    }), 201);
    const base = `business_hours/schedules/${s.schedule.id}/holidays.json`;
    const bad = [
        [{ name: 'x', start_date: '2026-12-26', end_date: '2026-12-24' }, 'end_date'],
        [{ name: 'x', start_date: '26.12.2026' }, 'start_date'],
        [{ start_date: '2026-12-26' }, 'name'],
        // Every day of every year off: the schedule would have no working time at all.
        [{ name: 'forever', start_date: '2026-01-01', end_date: '2026-12-31', yearly: true }, 'holidays'],
    ];
    for (const [holiday, field] of bad) {
        const r = await api('POST', base, u.admin, { holiday });
        assert.equal(r.status, 422, `${JSON.stringify(holiday)}: ${show(r)}`);
        assert.ok(r.json.details[field], `${JSON.stringify(holiday)} names ${field}: ${r.text}`);
    }
    await ok(await api('DELETE', `business_hours/schedules/${s.schedule.id}.json`, u.admin), 204).catch(() => {});
});

test('bad policies are 422s naming the field; agents cannot write them', async () => {
    const cases = [
        [{ title: '', policy_metrics: [] }, 'title'],
        [{ title: 'x', policy_metrics: [{ priority: 'normal', metric: 'first_reply_time', target: 0, business_hours: false }] }, 'policy_metrics'],
        [{ title: 'x', policy_metrics: [{ priority: 'normal', metric: 'first_reply_time', target: -5, business_hours: false }] }, 'policy_metrics'],
        [{ title: 'x', policy_metrics: [{ priority: 'normal', metric: 'happiness', target: 5, business_hours: false }] }, 'policy_metrics'],
        [{ title: 'x', filter: { all: [{ field: 'mood', operator: 'is', value: 'bad' }], any: [] } }, 'filter'],
        [{ title: 'x', schedule_id: 987654 }, 'schedule_id'],
        [{ title: 'x', at_risk_percent: 100 }, 'at_risk_percent'],
        [{ title: 'x', actions: [{ on: 'breach', action: 'set_group', value: 987654 }] }, 'actions'],
    ];
    for (const [sla_policy, field] of cases) {
        const r = await api('POST', 'slas/policies.json', u.admin, { sla_policy });
        assert.equal(r.status, 422, `${JSON.stringify(sla_policy)}: ${show(r)}`);
        assert.ok(r.json.details[field], `${JSON.stringify(sla_policy)} names ${field}: ${r.text}`);
    }
    const r = await api('POST', 'slas/policies.json', u.agent, { sla_policy: { title: 'x' } });
    assert.equal(r.status, 403);
});

test('first reply: started by the customer, not by a private note, fulfilled by the first public reply', async () => {
    await policy('frt', 'frt', allMetrics(60));
    const t = await customerTicket('frt');
    let c = await clocks(t.id);
    assert.equal(c.first_reply_time.state, 'active');
    assert.equal(c.first_reply_time.target_in_seconds, 3600);
    assert.equal(c.first_reply_time.policy.title, 'frt');
    const due = Date.parse(c.first_reply_time.due_at);
    assert.ok(Math.abs(due - (Date.parse(c.first_reply_time.started_at) + 3600_000)) <= 1000, c.first_reply_time.due_at);
    assert.match(c.first_reply_time.explanation, /Started .* \(ticket created by an end user\)/);
    assert.match(c.first_reply_time.explanation, /policy "frt" applies: first_reply_time within 1 h/);
    assert.match(c.first_reply_time.explanation, /Due .*: 1 h of the 1 h target remained/);
    await ok(await update(t.id, { comment: { body: 'internal', public: false } }));
    c = await clocks(t.id);
    assert.equal(c.first_reply_time.state, 'active', 'a private note is not a reply');
    await ok(await update(t.id, { comment: { body: 'On it', public: true } }));
    c = await clocks(t.id);
    assert.equal(c.first_reply_time.state, 'fulfilled');
    assert.ok(c.first_reply_time.fulfilled_at);
    assert.match(c.first_reply_time.explanation, /Fulfilled .* \(first public reply by an agent\)/);
    // An agent's public reply starts the periodic and pausable update clocks.
    assert.equal(c.periodic_update_time.state, 'active');
    assert.equal(c.next_reply_time, undefined, 'no end-user comment waits yet');
});

test('next reply: the oldest unanswered customer comment, cycle by cycle', async () => {
    await policy('nrt', 'nrt', allMetrics(30));
    const t = await customerTicket('nrt');
    await ok(await update(t.id, { comment: { body: 'Hello', public: true } }));
    await ok(await reply(t.id, 'still broken'));
    let c = await clocks(t.id);
    assert.equal(c.next_reply_time.state, 'active');
    assert.equal(c.next_reply_time.cycle, 1);
    const started = c.next_reply_time.started_at;
    await ok(await reply(t.id, 'and again'));
    c = await clocks(t.id);
    assert.equal(c.next_reply_time.started_at, started, 'a second comment does not restart it');
    await ok(await update(t.id, { comment: { body: 'Fixed?', public: true } }));
    c = await clocks(t.id);
    assert.equal(c.next_reply_time.state, 'fulfilled');
    await ok(await reply(t.id, 'no'));
    c = await clocks(t.id);
    assert.equal(c.next_reply_time.cycle, 2);
    assert.equal(c.next_reply_time.state, 'active');
});

test('pending pauses pausable update, requester wait and agent work; on-hold pauses only agent work', async () => {
    await policy('pause', 'pause', allMetrics(120));
    const t = await customerTicket('pause');
    await ok(await update(t.id, { comment: { body: 'Need your logs', public: true }, status: 'pending' }));
    let c = await clocks(t.id);
    assert.equal(c.pausable_update_time.state, 'paused');
    assert.equal(c.pausable_update_time.due_at, null, 'no due time while paused');
    assert.equal(c.periodic_update_time.state, 'active', 'periodic update never pauses');
    assert.equal(c.requester_wait_time.state, 'paused');
    assert.equal(c.agent_work_time.state, 'paused');
    assert.equal(c.total_resolution_time.state, 'active', 'total resolution never pauses');
    assert.match(c.requester_wait_time.explanation, /Paused .* \(status changed to pending\)/);
    assert.match(c.requester_wait_time.explanation, /Paused now: .* remain/);
    // The customer answers: the ticket reopens and the clocks run again.
    await ok(await reply(t.id, 'logs attached'));
    c = await clocks(t.id);
    assert.equal(c.pausable_update_time.state, 'active');
    assert.equal(c.requester_wait_time.state, 'active');
    assert.match(c.requester_wait_time.explanation, /Resumed .* after .* paused/);
    await ok(await update(t.id, { status: 'hold' }));
    c = await clocks(t.id);
    assert.equal(c.agent_work_time.state, 'paused');
    assert.equal(c.requester_wait_time.state, 'active', 'on-hold counts as waiting for the customer');
    assert.equal(c.pausable_update_time.state, 'active');
});

test('solved fulfils every clock; a reopen resumes the resolution clocks', async () => {
    await policy('solve', 'solve', allMetrics(240));
    const t = await customerTicket('solve', { assignee_id: u.agent.id });
    await ok(await update(t.id, { comment: { body: 'Done', public: true }, status: 'solved' }));
    let c = await clocks(t.id);
    for (const m of ['first_reply_time', 'requester_wait_time', 'agent_work_time', 'total_resolution_time']) {
        assert.equal(c[m].state, 'fulfilled', m);
    }
    assert.equal(c.periodic_update_time, undefined, 'a reply that solves owes no further update');
    await ok(await reply(t.id, 'not done'));
    c = await clocks(t.id);
    assert.equal(c.total_resolution_time.state, 'active');
    assert.equal(c.total_resolution_time.cycle, 1, 'the same cycle resumes');
    assert.match(c.total_resolution_time.explanation, /Resumed .* \(ticket reopened\)/);
    assert.equal(c.first_reply_time.state, 'fulfilled', 'first reply does not come back');
    assert.equal(c.next_reply_time.state, 'active');
});

test('a policy change mid-flight re-targets open clocks from then on, with an apply_sla event', async () => {
    const p = await policy('change', 'change', [{ priority: 'normal', metric: 'requester_wait_time', target: 600, business_hours: false }]);
    const t = await customerTicket('change');
    let c = await clocks(t.id);
    const due1 = Date.parse(c.requester_wait_time.due_at);
    const r = await api('PUT', `slas/policies/${p.id}.json`, u.admin, {
        sla_policy: { policy_metrics: [{ priority: 'normal', metric: 'requester_wait_time', target: 300, business_hours: false }] },
    });
    await ok(r);
    c = await clocks(t.id);
    const due2 = Date.parse(c.requester_wait_time.due_at);
    assert.ok(Math.abs(due1 - due2 - 300 * 60_000) < 5000, `${c.requester_wait_time.due_at} is 5 h earlier`);
    assert.equal(c.requester_wait_time.target_in_seconds, 18000);
    assert.match(c.requester_wait_time.explanation, /policy "change" applies: requester_wait_time within 5 h/);
    // Priorities without a target: the clock keeps running with no target.
    await ok(await update(t.id, { priority: 'urgent' }));
    c = await clocks(t.id);
    assert.equal(c.requester_wait_time.target_in_seconds, null);
    assert.match(c.requester_wait_time.explanation, /no SLA policy applies/);
    // Deleting a policy stops its targets too.
    await ok(await update(t.id, { priority: 'normal' }));
    assert.equal((await api('DELETE', `slas/policies/${p.id}.json`, u.admin)).status, 204);
    c = await clocks(t.id);
    assert.equal(c.requester_wait_time.target_in_seconds, null);
});

test('business hours: a clock started outside the schedule starts at the next opening', async () => {
    // A UTC schedule open only tomorrow 09:00-17:00: whatever the time now, we are outside it.
    const now = new Date();
    const tomorrow = (now.getUTCDay() + 1) % 7;
    const s = await ok(await api('POST', 'business_hours/schedules.json', u.admin, {
        schedule: { name: 'tomorrow', time_zone: 'UTC', intervals: [{ start_time: tomorrow * 1440 + 540, end_time: tomorrow * 1440 + 1020 }] },
    }), 201);
    await policy('bh', 'bh', [{ priority: 'normal', metric: 'first_reply_time', target: 90, business_hours: true }], { schedule_id: s.schedule.id });
    const t = await customerTicket('bh');
    const c = await clocks(t.id);
    const open = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 9, 0, 0));
    assert.equal(c.first_reply_time.due_at, new Date(open.getTime() + 90 * 60_000).toISOString().replace('.000Z', 'Z'));
    assert.equal(c.first_reply_time.business_hours, true);
    assert.equal(c.first_reply_time.time_zone, 'UTC');
    assert.match(c.first_reply_time.explanation, /is outside business hours, so counting starts at the next opening/);
    assert.match(c.first_reply_time.explanation, /on schedule "tomorrow" \(UTC\)/);
    // Changing the schedule's hours moves the open target from now on.
    await ok(await api('PUT', `business_hours/schedules/${s.schedule.id}/workweek.json`, u.admin, {
        workweek: { intervals: [{ start_time: tomorrow * 1440 + 600, end_time: tomorrow * 1440 + 1020 }] },
    }));
    const c2 = await clocks(t.id);
    assert.equal(c2.first_reply_time.due_at, new Date(open.getTime() + 150 * 60_000).toISOString().replace('.000Z', 'Z'));
    assert.match(c2.first_reply_time.explanation, /schedule "tomorrow" changed its hours/);
});

test('Zendesk views: include=slas, ticket metrics, metric events', async () => {
    await policy('views', 'views', allMetrics(45));
    const since = Math.floor(Date.now() / 1000) - 1;
    const t = await customerTicket('views', { assignee_id: u.agent.id });
    await ok(await update(t.id, { comment: { body: 'hi', public: true }, status: 'pending' }));
    const r = await ok(await api('GET', `tickets/${t.id}.json?include=slas`, u.agent));
    const pm = r.ticket.slas.policy_metrics;
    assert.ok(pm.some((m) => m.metric === 'first_reply_time' && m.stage === 'achieved'), JSON.stringify(pm));
    assert.ok(pm.some((m) => m.metric === 'requester_wait_time' && m.stage === 'paused' && m.breach_at === null));
    assert.ok(pm.some((m) => m.metric === 'total_resolution_time' && m.stage === 'active' && m.breach_at));
    const plain = await ok(await api('GET', `tickets/${t.id}.json`, u.agent));
    assert.equal(plain.ticket.slas, undefined, 'only with include=slas');
    const m = await ok(await api('GET', `tickets/${t.id}/metrics.json`, u.agent));
    assert.equal(m.ticket_metric.ticket_id, t.id);
    assert.equal(m.ticket_metric.replies, 1);
    assert.equal(m.ticket_metric.assignee_stations, 1);
    assert.equal(typeof m.ticket_metric.reply_time_in_minutes.calendar, 'number');
    assert.deepEqual(m.ticket_metric.full_resolution_time_in_minutes, { calendar: null, business: null });
    const byId = await ok(await api('GET', `ticket_metrics/${m.ticket_metric.id}.json`, u.agent));
    assert.equal(byId.ticket_metric.ticket_id, t.id);
    const list = await ok(await api('GET', 'ticket_metrics.json', u.agent));
    assert.ok(list.ticket_metrics.some((x) => x.ticket_id === t.id));
    const ev = await ok(await api('GET', `incremental/ticket_metric_events.json?start_time=${since}`, u.agent));
    const mine = ev.ticket_metric_events.filter((e) => e.ticket_id === t.id);
    const frt = mine.filter((e) => e.metric === 'reply_time' && e.instance_id === 1).map((e) => e.type);
    assert.deepEqual(frt, ['activate', 'apply_sla', 'fulfill']);
    const apply = mine.find((e) => e.type === 'apply_sla');
    assert.equal(apply.sla.target, 45);
    assert.equal(apply.sla.business_hours, false);
    assert.ok(mine.some((e) => e.metric === 'requester_wait_time' && e.type === 'pause'));
    assert.equal(ev.end_of_stream, true);
    // Customers see none of it.
    assert.equal((await api('GET', `tickets/${t.id}/sla.json`, u.customer)).status, 403);
    assert.equal((await api('GET', 'ticket_metric_events.json?start_time=0', u.customer)).status, 403);
});

/** Polls FN until it returns a truthy value or TIMEOUT_MS passes. */
async function eventually(fn, timeoutMs = 15_000, what = 'condition') {
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

test('at risk and breach: the scheduler runs the policy actions, audited, and alerts the assignee and supervisor', async () => {
    const g1 = (await ok(await api('POST', 'groups.json', u.supervisor, { group: { name: 'Tier 1' } }), 201)).group;
    const g2 = (await ok(await api('POST', 'groups.json', u.supervisor, { group: { name: 'Escalations' } }), 201)).group;
    for (const who of [u.agent, u.supervisor]) {
        await ok(await api('POST', 'group_memberships.json', u.supervisor, { group_membership: { user_id: who.id, group_id: g1.id } }), 201);
    }
    await policy('fast', 'fast', [{ priority: 'normal', metric: 'first_reply_time', target_in_seconds: 2, business_hours: false }], {
        at_risk_percent: 50,
        actions: [
            { on: 'at_risk', action: 'add_tags', value: 'sla_at_risk' },
            { on: 'breach', action: 'add_tags', value: 'sla_breached' },
            { on: 'breach', action: 'raise_priority' },
            { on: 'breach', action: 'set_group', value: g2.id },
            { on: 'breach', action: 'notify' },
        ],
    });
    const t = await customerTicket('fast', { priority: 'normal', group_id: g1.id, assignee_id: u.agent.id });
    const after = await eventually(async () => {
        const r = await ok(await api('GET', `tickets/${t.id}.json`, u.agent));
        return r.ticket.tags.includes('sla_breached') ? r.ticket : null;
    }, 15_000, 'the breach actions');
    assert.ok(after.tags.includes('sla_at_risk'), after.tags.join(' '));
    assert.equal(after.priority, 'high');
    assert.equal(after.group_id, g2.id);
    assert.equal(after.assignee_id, null, 'the assignee is not in the escalation group');
    const c = await clocks(t.id);
    assert.equal(c.first_reply_time.breached, true);
    assert.equal(c.first_reply_time.state, 'breached');
    assert.match(c.first_reply_time.explanation, /At risk .*50 % of the target elapsed/);
    assert.match(c.first_reply_time.explanation, /Breached .*: the target ran out/);
    const audits = (await ok(await api('GET', `tickets/${t.id}/audits.json`, u.agent))).audits;
    const rule = audits.filter((a) => a.via.channel === 'rule');
    assert.ok(rule.length >= 2, `at-risk and breach updates are audited: ${JSON.stringify(audits.map((a) => a.via.channel))}`);
    const events = rule.flatMap((a) => a.events);
    assert.ok(events.some((e) => e.field_name === 'priority' && e.value === 'high'));
    assert.ok(events.some((e) => e.field_name === 'group_id'));
    assert.ok(events.some((e) => e.type === 'Notification' && /first_reply_time breached/.test(e.value)), JSON.stringify(events));
    const mine = (await ok(await api('GET', 'sla/alerts.json', u.agent))).sla_alerts;
    assert.ok(mine.some((a) => a.ticket_id === t.id && a.kind === 'breach' && a.metric === 'first_reply_time'));
    const sup = (await ok(await api('GET', 'sla/alerts.json', u.supervisor))).sla_alerts;
    assert.ok(sup.some((a) => a.ticket_id === t.id && a.kind === 'breach'));
    assert.equal((await api('GET', 'sla/alerts.json?all=true', u.agent)).status, 403, 'agents read their own alerts only');
    const ev = (await ok(await api('GET', 'ticket_metric_events.json?start_time=0', u.agent))).ticket_metric_events;
    const types = ev.filter((e) => e.ticket_id === t.id && e.instance_id === 1 && e.metric === 'reply_time').map((e) => e.type);
    assert.ok(types.includes('at_risk') && types.includes('breach'), types.join(' '));
    // The breach is recorded at the moment the target ran out, not when it was noticed.
    const breach = ev.find((e) => e.ticket_id === t.id && e.type === 'breach');
    assert.ok(Math.abs(Date.parse(breach.time) - (Date.parse(t.created_at) + 2000)) <= 1000, breach.time);
});

test('deadlines that pass while the server is down are acted on at start-up, from the index', async () => {
    await policy('downtime', 'downtime', [{ priority: 'normal', metric: 'requester_wait_time', target_in_seconds: 1, business_hours: false }], {
        actions: [{ on: 'breach', action: 'add_tags', value: 'missed_while_down' }],
    });
    const t = await customerTicket('downtime');
    await desk.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await desk.start();
    await eventually(async () => {
        const r = await ok(await api('GET', `tickets/${t.id}.json`, u.agent));
        return r.ticket.tags.includes('missed_while_down');
    }, 15_000, 'the breach after restart');
    const c = await clocks(t.id);
    assert.equal(c.requester_wait_time.breached, true);
});

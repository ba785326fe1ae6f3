// Routing by language, skill, shift and load: who gets a new ticket and why,
// what happens when nobody speaks the language (tag, queue, first speaker to
// come online, the group's fallback), capacity never exceeded (also with many
// parallel clients), manual assignment winning, pauses, and the decision log.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, everyDay, localMinute, show, sleep } from './lib/desk.mjs';

let desk;
let u;

async function must(method, path, body, auth = u.admin, ok = [200, 201]) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(ok.includes(r.status), `${method} ${path}: ${show(r)}`);
    return r.json;
}

/** A schedule in ZONE that is on shift now (onNow) or off shift now, every day of the week. */
function scheduleNow(zone, onNow) {
    const m = localMinute(zone);
    const [from, to] = onNow ? [m - 90, m + 90] : [m + 180, m + 300];
    return everyDay(zone, from, to);
}

async function newAgent(key, group, staff) {
    const a = await desk.addUser(key, { role: 'agent', name: key });
    await must('POST', 'group_memberships.json', { group_membership: { user_id: a.id, group_id: group } });
    await must('PUT', `staff/${a.id}.json`, { staff });
    return a;
}

const online = (a, status = 'online') => must('PUT', `staff/${a.id}/availability.json`, { availability: { status } }, a);

async function ticket(group, extra = {}) {
    const body = { ticket: { subject: 'Help', comment: { body: 'Please help' }, group_id: group, requester_id: u.customer.id, ...extra } };
    return (await must('POST', 'tickets.json', body, u.admin)).ticket;
}

const get = async (id) => (await must('GET', `tickets/${id}.json`)).ticket;

async function until(fn, what, ms = 8000) {
    const end = Date.now() + ms;
    for (;;) {
        const v = await fn();
        if (v) {
            return v;
        }
        if (Date.now() > end) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await sleep(100);
    }
}

before(async () => {
    desk = await Desk.create('team_routing');
    u = await addStandardUsers(desk);
    await desk.start({ extraArgs: ['--routing-interval', '300'] });
});

after(async () => {
    await desk?.stop();
});

test('a Polish ticket at night in Prague goes to the Polish speaker on shift elsewhere', async () => {
    const g = (await must('POST', 'groups.json', { group: { name: 'Europe' } })).group.id;
    // Free, online, Czech, but off shift now in Prague (it is "night" there for them).
    const prague = await newAgent('prague', g, { languages: ['cs', 'en'], capacity: { default: 5 }, schedule: scheduleNow('Europe/Prague', false) });
    // Free, online, English only, on shift: whoever is free must not win.
    const free = await newAgent('free', g, { languages: ['en'], capacity: { default: 5 } });
    // Polish speaker in New York, on shift now, already has work.
    const nyc = await newAgent('nyc', g, { languages: [{ tag: 'pl', proficiency: 'native' }], capacity: { default: 5 }, schedule: scheduleNow('America/New_York', true) });
    for (const a of [prague, free, nyc]) {
        await online(a);
    }
    await ticket(g, { language: 'en', assignee_id: nyc.id });
    const t = await ticket(g, { language: 'pl-PL' });
    assert.equal(t.assignee_id, nyc.id, JSON.stringify(t.routing));
    assert.equal(t.status, 'open');
    assert.equal(t.routing.state, 'assigned');
    assert.match(t.routing.reason, /^assigned to nyc \(agent \d+\): speaks pl-PL, load 1\/5/);
    assert.match(t.routing.reason, /skipped prague \(agent \d+\): off shift/);
    assert.match(t.routing.reason, /skipped free \(agent \d+\): does not speak pl-PL/);
    const r = await must('GET', `tickets/${t.id}/routing.json`, undefined, u.agent);
    assert.equal(r.routing.state, 'assigned');
    assert.equal(r.decisions.length, 1);
    assert.equal(r.decisions[0].trigger, 'created');
    assert.equal(r.decisions[0].agent_id, nyc.id);
    // The assignment is audited like any change.
    const audits = await must('GET', `tickets/${t.id}/audits.json`);
    assert.ok(audits.audits[0].events.some((e) => e.field_name === 'assignee_id' && e.value === String(nyc.id)), JSON.stringify(audits.audits[0].events));
    for (const a of [prague, free, nyc]) {
        await online(a, 'offline');
    }
});

test('nobody speaks it: queued and flagged, then the first speaker to come online gets it', async () => {
    const g = (await must('POST', 'groups.json', { group: { name: 'Nordics' } })).group.id;
    const en = await newAgent('en1', g, { languages: ['en'], capacity: { default: 5 } });
    const fi = await newAgent('fi1', g, { languages: ['fi'], capacity: { default: 5 } });
    await online(en);
    const t = await ticket(g, { language: 'fi' });
    assert.equal(t.assignee_id, null);
    assert.ok(t.tags.includes('language_unmatched'), t.tags);
    assert.equal(t.routing.state, 'language_unmatched');
    assert.equal(t.routing.language_unmatched, true);
    // The Finnish speaker comes online: the ticket is theirs by the time the call returns.
    await online(fi);
    const t2 = await get(t.id);
    assert.equal(t2.assignee_id, fi.id, JSON.stringify(t2.routing));
    assert.ok(!t2.tags.includes('language_unmatched'), t2.tags);
    const r = await must('GET', `tickets/${t.id}/routing.json`);
    assert.deepEqual(r.decisions.map((d) => d.outcome), ['language_unmatched', 'assigned']);
    assert.equal(r.decisions[1].trigger, 'offered');
    // Customers see no routing internals.
    const req = await desk.api('GET', `requests/${t.id}.json`, { auth: u.customer });
    assert.equal(req.status, 200, show(req));
    assert.ok(!req.text.includes('routing') && !req.text.includes('speak'), req.text);
    for (const a of [en, fi]) {
        await online(a, 'offline');
    }
});

test("the group's fallback gives an unmatched ticket to anyone after the wait", async () => {
    const g = (await must('POST', 'groups.json', { group: { name: 'Far East' } })).group.id;
    const en = await newAgent('en2', g, { languages: ['en'], capacity: { default: 5 } });
    await online(en);
    const bad = await desk.api('PUT', `routing/groups/${g}.json`, { auth: u.supervisor, body: { routing_settings: { language_fallback_minutes: -2 } } });
    assert.equal(bad.status, 422, show(bad));
    const s = await must('PUT', `routing/groups/${g}.json`, { routing_settings: { language_fallback_minutes: 0.05 } }, u.supervisor);
    assert.equal(s.routing_settings.language_fallback_minutes, 0.05);
    const t = await ticket(g, { language: 'ja' });
    assert.equal(t.assignee_id, null, 'not before the fallback time');
    const done = await until(async () => {
        const x = await get(t.id);
        return x.assignee_id ? x : null;
    }, 'the fallback assignment');
    assert.equal(done.assignee_id, en.id);
    assert.match(done.routing.reason, /no ja speaker available, language fallback/);
    await online(en, 'offline');
});

test('capacity is never exceeded; freed capacity pulls the next waiting ticket', async () => {
    const g = (await must('POST', 'groups.json', { group: { name: 'Capacity' } })).group.id;
    const a = await newAgent('cap1', g, { languages: ['en'], capacity: { default: 2 } });
    await online(a);
    const t1 = await ticket(g, { language: 'en' });
    const t2 = await ticket(g, { language: 'en' });
    const t3 = await ticket(g, { language: 'en', priority: 'low' });
    const t4 = await ticket(g, { language: 'en', priority: 'urgent' });
    assert.equal(t1.assignee_id, a.id);
    assert.equal(t2.assignee_id, a.id);
    assert.equal(t3.assignee_id, null);
    assert.equal(t4.assignee_id, null);
    assert.equal(t3.routing.state, 'at_capacity');
    assert.match(t3.routing.reason, /at capacity 2\/2/);
    // Solving one frees capacity: the urgent ticket goes first.
    await must('PUT', `tickets/${t1.id}.json`, { ticket: { status: 'solved', comment: { body: 'done', public: true } } }, a);
    await until(async () => (await get(t4.id)).assignee_id === a.id, 'the urgent ticket to be assigned');
    assert.equal((await get(t3.id)).assignee_id, null, 'still at capacity for the low one');
    const prof = await must('GET', `staff/${a.id}.json`);
    assert.equal(prof.staff.availability.load, 2);
    // Raising capacity offers the queue again.
    await must('PUT', `staff/${a.id}.json`, { staff: { capacity: { default: 3 } } });
    assert.equal((await get(t3.id)).assignee_id, a.id);
    await online(a, 'offline');
});

test('the queue is served by priority, then the earliest SLA due time, then the oldest', async () => {
    const g = (await must('POST', 'groups.json', { group: { name: 'Queue order' } })).group.id;
    const policy = async (tag, minutes) =>
        must('POST', 'slas/policies.json', {
            sla_policy: {
                title: `queue order ${tag}`,
                filter: { all: [{ field: 'current_tags', operator: 'includes', value: tag }], any: [] },
                policy_metrics: [{ priority: 'normal', metric: 'requester_wait_time', target: minutes, business_hours: false }],
            },
        });
    await policy('qo_fast', 30);
    await policy('qo_slow', 600);
    const a = await newAgent('queue1', g, { languages: ['en'], capacity: { default: 1 } });
    // Nobody is online: everything waits, in the order it came.
    const slow = await ticket(g, { language: 'en', tags: ['qo_slow'] }); // normal, due in 10 h
    const plain1 = await ticket(g, { language: 'en' }); // normal, no SLA
    const fast = await ticket(g, { language: 'en', tags: ['qo_fast'] }); // normal, due in 30 min
    const high = await ticket(g, { language: 'en', priority: 'high' }); // high, no SLA
    const plain2 = await ticket(g, { language: 'en' }); // normal, no SLA, younger than plain1
    for (const t of [slow, plain1, fast, high, plain2]) {
        assert.equal(t.assignee_id, null);
    }
    // The SLA clocks give the due times the order follows.
    const breachAt = async (t) => (await must('GET', `tickets/${t.id}.json?include=slas`)).ticket.slas.policy_metrics.find((m) => m.metric === 'requester_wait_time')?.breach_at;
    assert.ok(Date.parse(await breachAt(fast)) < Date.parse(await breachAt(slow)));
    assert.equal(await breachAt(plain1), undefined);
    const expected = [high, fast, slow, plain1, plain2];
    // Coming online pulls the most urgent; each solved ticket frees capacity for the next.
    await online(a);
    for (const [i, t] of expected.entries()) {
        await until(async () => (await get(t.id)).assignee_id === a.id, `ticket ${i + 1} of the queue order`);
        for (const later of expected.slice(i + 1)) {
            assert.equal((await get(later.id)).assignee_id, null, `ticket ${expected.indexOf(later) + 1} waits while ${i + 1} is served`);
        }
        await must('PUT', `tickets/${t.id}.json`, { ticket: { status: 'solved', comment: { body: 'done', public: true } } }, a);
    }
    await online(a, 'offline');
});

test('lowest load first, then the longest idle; skills required; pauses respected', async () => {
    const g = (await must('POST', 'groups.json', { group: { name: 'Fair' } })).group.id;
    const attr = (await must('POST', 'routing/attributes.json', { attribute: { name: 'Tier' } })).attribute;
    const tier2 = (await must('POST', `routing/attributes/${attr.id}/values.json`, { attribute_value: { name: 'Tier 2' } })).attribute_value;
    const x = await newAgent('fairx', g, { languages: ['en'], capacity: { default: 10 } });
    const y = await newAgent('fairy', g, { languages: ['en'], capacity: { default: 10 }, attribute_value_ids: [tier2.id] });
    await online(x);
    await online(y);
    const seen = [];
    for (let i = 0; i < 6; i++) {
        seen.push((await ticket(g, { language: 'en' })).assignee_id);
    }
    assert.deepEqual(seen.filter((id) => id === x.id).length, 3, `alternates: ${seen}`);
    for (let i = 1; i < seen.length; i++) {
        assert.notEqual(seen[i], seen[i - 1], `round robin: ${seen}`);
    }
    // A ticket that needs Tier 2 goes to the one who has it, whatever the load.
    const t = await ticket(g, { language: 'en' });
    const other = t.assignee_id === x.id ? y : x;
    await must('PUT', `tickets/${t.id}.json`, { ticket: { assignee_id: null } }, u.supervisor);
    await must('POST', `routing/tickets/${t.id}/instance_values.json`, { attribute_value_ids: [tier2.id] }, u.agent);
    const t2 = await get(t.id);
    assert.equal(t2.assignee_id, y.id, JSON.stringify(t2.routing));
    void other;
    // Pausing an agent keeps tickets away from them.
    await must('PUT', `staff/${y.id}.json`, { staff: { routing_paused: true } }, u.supervisor);
    for (let i = 0; i < 2; i++) {
        assert.equal((await ticket(g, { language: 'en' })).assignee_id, x.id);
    }
    await must('PUT', `staff/${y.id}.json`, { staff: { routing_paused: false } }, u.supervisor);
    // Pausing the group keeps everything in the queue.
    await must('PUT', `routing/groups/${g}.json`, { routing_settings: { paused: true } }, u.supervisor);
    const held = await ticket(g, { language: 'en' });
    assert.equal(held.assignee_id, null);
    assert.equal(held.routing.state, 'paused');
    await must('PUT', `routing/groups/${g}.json`, { routing_settings: { paused: false } }, u.supervisor);
    assert.ok((await get(held.id)).assignee_id, 'unpausing offers the queue');
    // Manual assignment wins, and is on record.
    const m = await ticket(g, { language: 'en', assignee_id: y.id });
    assert.equal(m.assignee_id, y.id);
    assert.equal(m.routing.state, 'manual');
    // Unassigning puts it back through routing, to someone else.
    const back = (await must('PUT', `tickets/${m.id}.json`, { ticket: { assignee_id: null } }, u.supervisor)).ticket;
    assert.equal(back.assignee_id, x.id, JSON.stringify(back.routing));
    assert.match(back.routing.reason, /fairy \(agent \d+\): just unassigned from this ticket/);
    await online(x, 'offline');
    await online(y, 'offline');
});

test('parallel clients never double-assign nor exceed capacity', async () => {
    const g = (await must('POST', 'groups.json', { group: { name: 'Rush' } })).group.id;
    const agents = [];
    for (let i = 0; i < 3; i++) {
        const a = await newAgent(`rush${i}`, g, { languages: ['en'], capacity: { default: 4 } });
        await online(a);
        agents.push(a);
    }
    const created = await Promise.all(Array.from({ length: 30 }, () => ticket(g, { language: 'en' })));
    // Meanwhile the same agents toggle to drain the queue from other clients.
    await Promise.all(agents.map((a) => online(a)));
    const all = await Promise.all(created.map((t) => get(t.id)));
    const per = {};
    for (const t of all) {
        if (t.assignee_id) {
            per[t.assignee_id] = (per[t.assignee_id] || 0) + 1;
        }
    }
    assert.deepEqual(Object.values(per).sort(), [4, 4, 4], JSON.stringify(per));
    assert.equal(all.filter((t) => !t.assignee_id).length, 18);
    // Each ticket was decided once as assigned at most.
    for (const t of all) {
        const r = await must('GET', `tickets/${t.id}/routing.json`);
        assert.ok(r.decisions.filter((d) => d.outcome === 'assigned').length <= 1, JSON.stringify(r.decisions));
    }
    for (const a of agents) {
        await online(a, 'offline');
    }
});

test('the same waiting tickets routed from many requests at once are assigned once each', async () => {
    const g = (await must('POST', 'groups.json', { group: { name: 'Same ticket race' } })).group.id;
    const agents = [];
    for (let i = 0; i < 6; i++) {
        agents.push(await newAgent(`race${i}`, g, { languages: ['en'], capacity: { default: 1 } }));
    }
    // Nobody online: four tickets wait.
    const waiting = [];
    for (let i = 0; i < 4; i++) {
        waiting.push(await ticket(g, { language: 'en' }));
    }
    assert.ok(waiting.every((t) => t.assignee_id === null));
    // Then everything that offers these tickets to routing, at once, from parallel clients:
    // six agents coming online (each drains the queue), each ticket offered again through its
    // skills (several times), and the supervisor unpausing the group.
    await Promise.all([
        ...agents.map((a) => online(a)),
        ...waiting.flatMap((t) => [0, 1, 2].map(() => must('POST', `routing/tickets/${t.id}/instance_values.json`, { attribute_value_ids: [] }))),
        must('PUT', `routing/groups/${g}.json`, { routing_settings: { paused: false } }, u.supervisor),
    ]);
    await sleep(500); // let the router thread's kicks settle too
    const per = {};
    for (const t of waiting) {
        const x = await get(t.id);
        assert.ok(x.assignee_id, `ticket ${t.id} is assigned`);
        per[x.assignee_id] = (per[x.assignee_id] || 0) + 1;
        const r = await must('GET', `tickets/${t.id}/routing.json`);
        assert.equal(r.decisions.filter((d) => d.outcome === 'assigned').length, 1, JSON.stringify(r.decisions));
        const audits = (await must('GET', `tickets/${t.id}/audits.json`)).audits;
        const changes = audits.flatMap((a) => a.events).filter((e) => e.field_name === 'assignee_id' && e.value);
        assert.equal(changes.length, 1, `one assignment in the audit of ticket ${t.id}: ${JSON.stringify(changes)}`);
    }
    // Capacity 1 each: four different agents, nobody twice.
    assert.deepEqual(Object.values(per), [1, 1, 1, 1], JSON.stringify(per));
    for (const a of agents) {
        await online(a, 'offline');
    }
});

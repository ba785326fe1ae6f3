// "Automatically offline outside their schedule if configured": a person
// with auto_offline is set offline by the router's sweep when their shift
// ends (recorded in the availability history as the system's change, with
// the reason), cannot go online outside their shifts, and turning the
// setting on off shift takes them offline at once. Without the setting the
// status stays as they left it (they are still not routed off shift).
// The shift here ends at the next full minute, so this file waits up to a
// minute for the real clock.

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

const ZONE = 'Asia/Tokyo';

before(async () => {
    desk = await Desk.create('team_auto_offline');
    u = await addStandardUsers(desk);
    await desk.start({ extraArgs: ['--routing-interval', '300'] });
});

after(async () => {
    await desk?.stop();
});

test('auto_offline: offline when the shift ends, logged; not online off shift; without it the status stays', async () => {
    const g = (await must('POST', 'groups.json', { group: { name: 'Night shift' } })).group.id;
    // Not in the last seconds of a minute: the shift below must still be on while we set up.
    while (new Date().getSeconds() > 45) {
        await sleep(500);
    }
    const m = localMinute(ZONE);
    const schedule = everyDay(ZONE, m - 60, m + 1);
    const mk = async (key, auto) => {
        const a = await desk.addUser(key, { role: 'agent', name: key });
        await must('POST', 'group_memberships.json', { group_membership: { user_id: a.id, group_id: g } });
        const p = (await must('PUT', `staff/${a.id}.json`, { staff: { languages: ['en'], capacity: { default: 3 }, schedule, auto_offline: auto } }, u.supervisor)).staff;
        assert.equal(p.auto_offline, auto);
        assert.equal(p.on_shift, true);
        await must('PUT', `staff/${a.id}/availability.json`, { availability: { status: 'online' } }, a);
        return a;
    };
    const auto = await mk('auto1', true);
    const manual = await mk('manual1', false);
    const bad = await desk.api('PUT', `staff/${auto.id}.json`, { auth: u.supervisor, body: { staff: { auto_offline: 'yes' } } });
    assert.equal(bad.status, 422, show(bad));
    assert.ok(bad.json.details.auto_offline, bad.text);

    // The shift ends at the next minute; the sweep (every 300 ms here) notices.
    const end = Date.now() + 75_000;
    let p;
    for (;;) {
        p = (await must('GET', `staff/${auto.id}.json`)).staff;
        if (p.availability.status === 'offline' || Date.now() > end) {
            break;
        }
        await sleep(250);
    }
    assert.equal(p.availability.status, 'offline', JSON.stringify(p));
    assert.equal(p.on_shift, false);
    const h = (await must('GET', `staff/${auto.id}/availability/history.json`, undefined, u.supervisor)).availability_changes;
    const last = h.at(-1);
    assert.deepEqual([last.status, last.previous, last.actor_id, last.reason], ['offline', 'online', null, 'outside the working schedule']);
    assert.ok(Date.parse(last.created_at) > Date.now() - 80_000);

    // Without the setting: still online (but off shift, so never routed).
    const q = (await must('GET', `staff/${manual.id}.json`)).staff;
    assert.equal(q.availability.status, 'online');
    assert.equal(q.on_shift, false);
    const t = (await must('POST', 'tickets.json', { ticket: { subject: 'late', comment: { body: 'hello' }, group_id: g, language: 'en', requester_id: u.customer.id } })).ticket;
    assert.equal(t.assignee_id, null);
    assert.match(t.routing.reason, /off shift/);

    // Off shift with the setting: cannot come online (the field is named).
    const on = await desk.api('PUT', `staff/${auto.id}/availability.json`, { auth: auto, body: { availability: { status: 'online' } } });
    assert.equal(on.status, 422, show(on));
    assert.ok(on.json.details.status, on.text);
    // Turning it on off shift takes the person offline at once, logged as the system's change.
    const now = (await must('PUT', `staff/${manual.id}.json`, { staff: { auto_offline: true } }, u.supervisor)).staff;
    assert.equal(now.availability.status, 'offline');
    const h2 = (await must('GET', `staff/${manual.id}/availability/history.json`, undefined, u.supervisor)).availability_changes;
    assert.deepEqual([h2.at(-1).status, h2.at(-1).actor_id, h2.at(-1).reason], ['offline', null, 'outside the working schedule']);
});

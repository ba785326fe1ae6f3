// Durability: an acknowledged write survives kill -9. Four clients create
// tickets as fast as they can; the server is SIGKILLed mid-stream; after a
// restart on the same database every ticket that got a 201 is there with its
// comment and its Create audit.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show, sleep, pool } from './lib/desk.mjs';

const CLIENTS = 4;
const RUN_MS = 1500;

let desk;
let u;

before(async () => {
    desk = await Desk.create('crash');
    u = await addStandardUsers(desk);
    await desk.start();
});

after(async () => {
    await desk?.kill9();
});

test('every acknowledged ticket survives SIGKILL with its comment and audit', async (t) => {
    const acked = [];
    let failures = 0;
    let stop = false;
    const client = async (c) => {
        for (let i = 0; !stop; i++) {
            const subject = `crash c${c} n${i}`;
            const body = `durable body c${c} n${i}`;
            try {
                const r = await desk.api('POST', 'tickets.json', {
                    auth: c % 2 ? u.agent : u.agent2,
                    body: { ticket: { subject, comment: { body }, requester_id: u.customer.id, tags: [`client${c}`] } },
                });
                if (r.status === 201) {
                    acked.push({ id: r.json.ticket.id, subject, body });
                } else if (!stop) {
                    throw new Error(`create before the kill: ${show(r)}`);
                }
            } catch (e) {
                if (!stop) {
                    throw e;
                }
                failures += 1;
                return;
            }
        }
    };
    const running = Array.from({ length: CLIENTS }, (_, c) => client(c));
    await sleep(RUN_MS);
    stop = true;
    const killed = await desk.kill9();
    assert.equal(killed.signal, 'SIGKILL');
    const results = await Promise.allSettled(running);
    const unexpected = results.filter((r) => r.status === 'rejected');
    assert.deepEqual(unexpected.map((r) => String(r.reason)), [], 'no errors before the kill');
    assert.ok(acked.length >= 20, `the server acknowledged only ${acked.length} tickets in ${RUN_MS} ms`);

    await desk.start();
    const missing = [];
    for (let i = 0; i < acked.length; i += 100) {
        const chunk = acked.slice(i, i + 100);
        const r = await desk.api('GET', `tickets/show_many.json?ids=${chunk.map((x) => x.id).join(',')}`, { auth: u.agent });
        assert.equal(r.status, 200, show(r));
        const got = new Map(r.json.tickets.map((t) => [t.id, t]));
        for (const a of chunk) {
            const t = got.get(a.id);
            if (!t) {
                missing.push(`#${a.id} ${a.subject}: not found`);
            } else if (t.subject !== a.subject || t.description !== a.body) {
                missing.push(`#${a.id}: subject/description ${JSON.stringify([t.subject, t.description])}, expected ${JSON.stringify([a.subject, a.body])}`);
            }
        }
    }
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged tickets lost or changed`);

    const broken = (await pool(acked, 16, async (a) => {
        const [c, au] = await Promise.all([
            desk.api('GET', `tickets/${a.id}/comments.json`, { auth: u.agent }),
            desk.api('GET', `tickets/${a.id}/audits.json`, { auth: u.agent }),
        ]);
        if (c.status !== 200 || !c.json.comments.some((x) => x.body === a.body)) {
            return `#${a.id}: comment missing: ${show(c)}`;
        }
        if (au.status !== 200 || au.json.audits.length < 1 || !au.json.audits[0].events.some((e) => e.type === 'Create')) {
            return `#${a.id}: no audit with a Create event: ${show(au)}`;
        }
        return null;
    })).filter(Boolean);
    assert.deepEqual(broken, [], `${broken.length} of ${acked.length} tickets lack their comment or audit`);

    // The store is consistent after recovery: new writes get fresh ids and the count adds up.
    const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: 'after restart', comment: { body: 'x' } } } });
    assert.equal(r.status, 201, show(r));
    const maxAcked = Math.max(...acked.map((a) => a.id));
    assert.ok(r.json.ticket.id > maxAcked, `new id ${r.json.ticket.id} reuses an old one (max acknowledged ${maxAcked})`);
    const list = await desk.api('GET', 'tickets.json', { auth: u.agent });
    assert.ok(list.json.count >= acked.length + 1, `count ${list.json.count} < ${acked.length + 1}`);
    t.diagnostic(`acknowledged ${acked.length} tickets, ${failures} requests cut by the kill`);
});

test('a clean SIGTERM after recovery exits 0 and the data stays', async () => {
    const before = await desk.api('GET', 'tickets.json', { auth: u.agent });
    const exit = await desk.stop();
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}`);
    await desk.start();
    const after = await desk.api('GET', 'tickets.json', { auth: u.agent });
    assert.equal(after.json.count, before.json.count);
});

// Durability: an acknowledged write survives kill -9. Four clients create
// tickets as fast as they can; the server is SIGKILLed mid-stream; after a
// restart on the same database every ticket that got a 201 is there with its
// comment and its Create audit.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show, sleep, pool, allPagesOffset } from './lib/desk.mjs';

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
            let r;
            try {
                r = await desk.api('POST', 'tickets.json', {
                    auth: c % 2 ? u.agent : u.agent2,
                    body: { ticket: { subject, comment: { body }, requester_id: u.customer.id, tags: [`client${c}`] } },
                });
            } catch (e) {
                if (!stop) {
                    stop = true;
                    throw e;
                }
                failures += 1;
                return;
            }
            if (r.status === 201) {
                acked.push({ id: r.json.ticket.id, subject, body });
            } else if (!stop) {
                stop = true;
                throw new Error(`create before the kill: ${show(r)}`);
            }
        }
    };
    const running = Array.from({ length: CLIENTS }, (_, c) => client(c));
    // Kill after RUN_MS, or later on a busy machine: once at least 20 creates were acknowledged.
    const deadline = Date.now() + 20000;
    await sleep(RUN_MS);
    while (acked.length < 20 && !stop && Date.now() < deadline) {
        await sleep(50);
    }
    // SIGKILL goes out synchronously inside kill9(), before `stop` is set: requests in flight are cut.
    const killing = desk.kill9();
    stop = true;
    const killed = await killing;
    assert.equal(killed.signal, 'SIGKILL');
    const results = await Promise.allSettled(running);
    const unexpected = results.filter((r) => r.status === 'rejected');
    assert.deepEqual(unexpected.map((r) => String(r.reason)), [], 'no errors before the kill');
    assert.ok(acked.length >= 20, `the server acknowledged only ${acked.length} tickets in 20 s`);

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

test('every acknowledged update and comment survives SIGKILL', async () => {
    const targets = [];
    for (let i = 0; i < 4; i++) {
        const r = await desk.api('POST', 'tickets.json', { auth: u.agent, body: { ticket: { subject: `update target ${i}`, comment: { body: 'x' } } } });
        assert.equal(r.status, 201, show(r));
        targets.push(r.json.ticket.id);
    }
    const acked = [];
    let stop = false;
    const client = async (c) => {
        const id = targets[c];
        for (let i = 0; !stop; i++) {
            let r;
            try {
                r = await desk.api('PUT', `tickets/${id}.json`, {
                    auth: u.agent,
                    // At most 90 tags per ticket (desk caps tags per record at 100); comments on every update.
                    body: { ticket: { ...(i < 90 ? { additional_tags: [`k${c}_${i}`] } : {}), comment: { body: `update c${c} n${i}`, public: i % 2 === 0 } } },
                });
            } catch (e) {
                if (!stop) {
                    stop = true;
                    throw e;
                }
                return;
            }
            if (r.status === 200) {
                acked.push({ id, tag: i < 90 ? `k${c}_${i}` : null, body: `update c${c} n${i}` });
            } else if (!stop) {
                stop = true;
                throw new Error(`update before the kill: ${show(r)}`);
            }
        }
    };
    const running = targets.map((_, c) => client(c));
    const deadline = Date.now() + 20000;
    await sleep(RUN_MS);
    while (acked.length < 20 && !stop && Date.now() < deadline) {
        await sleep(50);
    }
    const killing = desk.kill9();
    stop = true;
    await killing;
    const results = await Promise.allSettled(running);
    assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason)), []);
    assert.ok(acked.length >= 20, `only ${acked.length} updates acknowledged`);
    await desk.start();
    const lost = [];
    for (const id of targets) {
        const t = (await desk.api('GET', `tickets/${id}.json`, { auth: u.agent })).json.ticket;
        const c = (await desk.api('GET', `tickets/${id}/comments.json?per_page=100`, { auth: u.agent })).json;
        const all = (await allPagesOffset(desk, `tickets/${id}/comments.json`, 'comments', u.agent)).items.map((x) => x.body);
        const audits = (await allPagesOffset(desk, `tickets/${id}/audits.json`, 'audits', u.agent)).items;
        const mine = acked.filter((a) => a.id === id);
        for (const a of mine) {
            if (a.tag && !t.tags.includes(a.tag)) {
                lost.push(`#${id}: tag ${a.tag} lost`);
            }
            if (!all.includes(a.body)) {
                lost.push(`#${id}: comment "${a.body}" lost`);
            }
        }
        if (audits.length < mine.length + 1) {
            lost.push(`#${id}: ${audits.length} audits for ${mine.length} acknowledged updates + create`);
        }
        if (c.count !== all.length) {
            lost.push(`#${id}: comments count ${c.count} but ${all.length} listed`);
        }
    }
    assert.deepEqual(lost.slice(0, 20), [], `${lost.length} acknowledged changes lost of ${acked.length}`);
});

test('a clean SIGTERM after recovery exits 0 and the data stays', async () => {
    const before = await desk.api('GET', 'tickets.json', { auth: u.agent });
    const exit = await desk.stop();
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}`);
    await desk.start();
    const after = await desk.api('GET', 'tickets.json', { auth: u.agent });
    assert.equal(after.json.count, before.json.count);
});

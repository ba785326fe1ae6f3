// The supervisor's desk as one story, the way the "done when" tells it: an agent
// hands a furious Spanish customer to the supervisor on duty (by her work schedule) in one
// step; a Polish customer writing "chcę rozmawiać z kierownikiem" by email (through
// `desk mailgate`) and by the API reaches a supervisor without anyone reading it first; a
// 300 EUR refund proposed by an agent waits for a supervisor and the reply that promises it
// goes out only once approved; a complaint about an agent never reaches that agent: not in
// their ticket show, lists, views, search, live wall or notifications.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { Desk, DESK_BIN, addStandardUsers, show, sleep } from './lib/desk.mjs';

let desk;
let u;
let soporte;

const ALWAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, start: '00:00', end: '24:00' }));

async function must(method, path, body, auth = u.admin, want = [200, 201]) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(want.includes(r.status), `${method} ${path}: ${show(r)}`);
    return r.json;
}

const ticketAs = async (id, auth) => (await must('GET', `tickets/${id}.json`, undefined, auth)).ticket;

/** Pipes a raw message to `desk mailgate`, as an MTA would. */
function mailgate(raw) {
    return new Promise((resolve, reject) => {
        const p = spawn(DESK_BIN, ['mailgate', '--db', desk.db, '--mail-address', 'soporte@desk.test'], { stdio: ['pipe', 'pipe', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d) => (err += d));
        p.on('error', reject);
        p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mailgate exit ${code}: ${err}`))));
        p.stdin.end(Buffer.from(raw.replace(/\n/g, '\r\n')));
    });
}

/** The live wall's event stream as user: {events, ready, close}. */
function wall(user) {
    const url = new URL(desk.urlFor('live'));
    const events = [];
    let req;
    const ready = new Promise((resolve, reject) => {
        const auth = 'Basic ' + Buffer.from(`${user.email}/token:${user.token}`).toString('base64');
        req = http.get({ host: url.hostname, port: url.port, path: url.pathname, headers: { Authorization: auth, Accept: 'text/event-stream' } }, (res) => {
            let buf = '';
            res.setEncoding('utf8');
            res.on('data', (d) => {
                buf += d;
                let i;
                while ((i = buf.indexOf('\n\n')) >= 0) {
                    const block = buf.slice(0, i);
                    buf = buf.slice(i + 2);
                    const type = (/^event: (.*)$/m.exec(block) || [])[1];
                    const data = (/^data: (.*)$/m.exec(block) || [])[1];
                    if (type && data) {
                        events.push({ type, data: JSON.parse(data) });
                    }
                }
            });
            resolve(res);
        });
        req.on('error', reject);
    });
    return { events, ready, close: () => req.destroy() };
}

before(async () => {
    desk = await Desk.create('supervisor_story');
    u = await addStandardUsers(desk);
    u.sue = await desk.addUser('sue', { role: 'supervisor', name: 'Sue Supervisor' });
    u.lucia = await desk.addUser('lucia', { role: 'end-user', name: 'Lucía García', email: 'lucia@e2e.example' });
    await desk.start();
    soporte = (await must('POST', 'groups.json', { group: { name: 'Soporte' } })).group.id;
    for (const who of [u.sue, u.agent, u.agent2]) {
        await must('POST', 'group_memberships.json', { group_membership: { user_id: who.id, group_id: soporte } });
    }
    // Sue is on duty by her work schedule; nobody set a roster by hand.
    await must('PUT', `staff/${u.sue.id}.json`, { staff: { schedule: { time_zone: 'Europe/Madrid', shifts: ALWAYS } } });
    for (const [role, amount] of [['agent', '50'], ['supervisor', '500']]) {
        await must('POST', 'concession_limits.json', { concession_limit: { role, currency: 'EUR', amount } });
    }
});

after(async () => {
    await desk?.stop();
});

test('an agent hands a furious Spanish customer to the on-duty supervisor in one step', async () => {
    const roster = (await must('GET', `escalations/roster.json?group_id=${soporte}`, undefined, u.agent)).roster;
    assert.deepEqual(roster.map((e) => [e.supervisor_id, e.source]), [[u.sue.id, 'schedule']]);

    const words = '¡Es la TERCERA vez que escribo! Me cobraron dos veces, es inaceptable y estoy furiosa.';
    const req = (await must('POST', 'requests.json', { request: { subject: 'Cobro doble', comment: { body: words } } }, u.lucia)).request;
    await must('PUT', `tickets/${req.id}.json`, { ticket: { group_id: soporte, assignee_id: u.agent.id } }, u.agent);
    let t = await ticketAs(req.id, u.agent);
    assert.equal(t.sentiment.label, 'irate', JSON.stringify(t.sentiment));
    assert.ok(t.sentiment.score <= -0.5);
    assert.ok(t.sentiment.triggers.length > 0);

    // One call: escalated, assigned to Sue, priority raised, the reason on record.
    const e = (await must('POST', `tickets/${req.id}/escalate.json`, { escalation: { reason: 'difficult_customer', note: 'Cliente muy enfadada por un cobro doble' } }, u.agent)).escalation;
    assert.equal(e.supervisor_id, u.sue.id);
    assert.equal(e.source, 'agent');
    assert.equal(e.requested_by_id, u.agent.id);
    t = await ticketAs(req.id, u.sue);
    assert.equal(t.assignee_id, u.sue.id);
    assert.equal(t.priority, 'high');
    assert.equal(t.escalation.state, 'open');
    // The customer's experience does not break: nothing new for her to answer, no internal words.
    const seen = (await must('GET', `requests/${req.id}/comments.json`, undefined, u.lucia)).comments;
    assert.equal(seen.length, 1);
    assert.equal(seen[0].body, words);
    const mine = (await must('GET', `requests/${req.id}.json`, undefined, u.lucia)).request;
    assert.equal(mine.escalation, undefined);
    assert.equal(mine.sentiment, undefined);
    // Sue accepts; the time to accept is kept for reports.
    const acc = (await must('PUT', `escalations/${e.id}/accept.json`, { escalation: { note: 'La llamo yo' } }, u.sue)).escalation;
    assert.equal(acc.state, 'accepted');
    assert.ok(acc.time_to_accept_seconds >= 0);
});

test('a Polish customer asking for a manager by email or API reaches a supervisor unread', async () => {
    await mailgate([
        'From: =?UTF-8?Q?Pawe=C5=82_Kowalski?= <pawel@klient.example>',
        'To: soporte@desk.test',
        'Subject: Reklamacja',
        'Message-ID: <story-pl-1@klient.example>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Dzień dobry, to już trzeci mail w tej sprawie. Chcę rozmawiać z kierownikiem.',
        '',
    ].join('\n'));
    const found = (await must('GET', `search.json?query=${encodeURIComponent('Reklamacja')}`, undefined, u.sue)).results;
    assert.equal(found.length, 1, JSON.stringify(found));
    const t = await ticketAs(found[0].id, u.sue);
    assert.equal(t.via.channel, 'email');
    assert.equal(t.assignee_id, u.sue.id, 'handed to the supervisor on duty');
    assert.equal(t.escalation.source, 'customer');
    assert.equal(t.escalation.reason, 'customer_request');
    assert.equal(t.escalation.requested_by_id, null, 'nobody read it first');
    assert.ok(t.sentiment.supervisor_request);
    const audits = (await must('GET', `tickets/${t.id}/audits.json`, undefined, u.sue)).audits;
    assert.equal(audits.length, 1, 'the customer\'s own write did it: no later change by anyone');

    // The same words by the API, without diacritics.
    const r = (await must('POST', 'requests.json', { request: { subject: 'Zwrot', comment: { body: 'chce rozmawiac z kierownikiem' } } }, u.customer)).request;
    const t2 = await ticketAs(r.id, u.sue);
    assert.equal(t2.escalation?.source, 'customer');
    assert.ok([u.sue.id].includes(t2.assignee_id));
});

test('a 300 EUR refund proposed by an agent waits for a supervisor; the promising reply goes out only once approved', async () => {
    const req = (await must('POST', 'requests.json', { request: { subject: 'Pedido dañado', comment: { body: 'Mi pedido llegó roto, quiero mi dinero.' } } }, u.lucia)).request;
    await must('PUT', `tickets/${req.id}.json`, { ticket: { group_id: soporte, assignee_id: u.agent.id } }, u.agent);
    const k = (await must('POST', `tickets/${req.id}/concessions.json`, { concession: { type: 'refund', amount: '300.00', currency: 'EUR', reason: 'Llegó roto' } }, u.agent)).concession;
    assert.equal(k.state, 'pending');
    assert.equal(k.approval_level, 'supervisor');
    const promise = 'Le devolvemos 300,00 EUR hoy mismo. Kingfisher-5521';
    await must('PUT', `tickets/${req.id}.json`, { ticket: { comment: { body: promise, public: true, hold_for_concession_id: k.id } } }, u.agent);
    const customerSees = async () => (await must('GET', `requests/${req.id}/comments.json`, undefined, u.lucia)).comments.filter((c) => c.body === promise);
    const mail = async () => (await must('GET', `outbox.json?ticket_id=${req.id}`, undefined, u.agent)).outbox.length;
    const mailBefore = await mail();
    assert.equal((await customerSees()).length, 0, 'held while the approval is pending');
    // The agent cannot approve their own proposal; the supervisor can.
    assert.notEqual((await desk.api('POST', `concessions/${k.id}/approve.json`, { auth: u.agent })).status, 200);
    await must('POST', `concessions/${k.id}/approve.json`, undefined, u.sue);
    assert.equal((await customerSees()).length, 1, 'out once approved');
    assert.ok((await mail()) > mailBefore, 'and mailed to the customer');
});

test('a complaint about an agent never reaches that agent', async () => {
    const sueWall = wall(u.sue);
    const aliceWall = wall(u.agent);
    const bobWall = wall(u.agent2);
    await sueWall.ready;
    await aliceWall.ready;
    await bobWall.ready;
    const view = (await must('POST', 'views.json', { view: { title: 'Soporte', query: `group:${soporte}` } }, u.agent)).view;

    // Naming her as a follower of the complaint is refused.
    const bad = await desk.api('POST', 'tickets.json', {
        auth: u.sue,
        body: { ticket: { subject: 'Queja Marmoset-8812', type: 'complaint', complaint_agent_id: u.agent.id, group_id: soporte, requester_id: u.lucia.id, collaborator_ids: [u.agent.id], comment: { body: 'La agente me colgó el teléfono.' } } },
    });
    assert.equal(bad.status, 422, show(bad));
    assert.ok(bad.json.details.collaborator_ids, show(bad));

    const c = (await must('POST', 'tickets.json', { ticket: { subject: 'Queja Marmoset-8812', type: 'complaint', complaint_agent_id: u.agent.id, group_id: soporte, requester_id: u.lucia.id, comment: { body: 'La agente me colgó el teléfono.' } } }, u.sue)).ticket;
    await must('PUT', `tickets/${c.id}.json`, { ticket: { comment: { body: 'Lamentamos lo ocurrido, lo estamos revisando.', public: true } } }, u.sue);
    const other = (await must('POST', 'tickets.json', { ticket: { subject: 'Otra consulta', group_id: soporte, requester_id: u.lucia.id, comment: { body: 'Hola' } } }, u.sue)).ticket;

    // Supervisors see it; the agent it names does not, anywhere.
    assert.equal((await ticketAs(c.id, u.sue)).type, 'complaint');
    assert.equal((await desk.api('GET', `tickets/${c.id}.json`, { auth: u.agent })).status, 404);
    assert.equal((await desk.api('GET', `tickets/${c.id}/comments.json`, { auth: u.agent })).status, 404);
    const list = (await must('GET', 'tickets.json', undefined, u.agent)).tickets;
    assert.ok(list.some((t) => t.id === other.id));
    assert.ok(!list.some((t) => t.id === c.id));
    const viewed = (await must('GET', `views/${view.id}/tickets.json`, undefined, u.agent)).tickets;
    assert.ok(viewed.some((t) => t.id === other.id), 'the view works');
    assert.ok(!viewed.some((t) => t.id === c.id), 'not in her views');
    assert.equal((await must('GET', `search.json?query=${encodeURIComponent('Marmoset-8812')}`, undefined, u.agent)).count, 0);
    assert.equal((await must('GET', `search.json?query=${encodeURIComponent('Marmoset-8812')}`, undefined, u.sue)).count, 1);

    // The live wall: Sue's stream carries the complaint's events, the agent's does not;
    // nor does it tell her who is looking at the complaint.
    await must('PUT', `tickets/${c.id}/viewing.json`, { viewing: { typing: true } }, u.sue);
    await must('PUT', `tickets/${other.id}/viewing.json`, { viewing: { typing: false } }, u.sue);
    await sleep(1000);
    assert.ok(bobWall.events.some((e) => e.type === 'viewing' && e.data.ticket_id === c.id), 'others see who views it');
    assert.ok(aliceWall.events.some((e) => e.type === 'viewing' && e.data.ticket_id === other.id));
    assert.ok(!aliceWall.events.some((e) => e.type === 'viewing' && e.data.ticket_id === c.id), 'not the agent it names');
    assert.ok(sueWall.events.some((e) => e.type === 'ticket' && e.data.id === c.id), 'the supervisor\'s wall shows it');
    assert.ok(aliceWall.events.some((e) => e.type === 'ticket' && e.data.id === other.id), 'the agent\'s wall works');
    assert.ok(!aliceWall.events.some((e) => e.type === 'ticket' && e.data.id === c.id), 'never on her wall');
    sueWall.close();
    aliceWall.close();
    bobWall.close();

    // Notifications: nothing was queued for her about it.
    const out = (await must('GET', `outbox.json?ticket_id=${c.id}`, undefined, u.sue)).outbox;
    assert.ok(out.length >= 1, 'the customer was told');
    assert.ok(!out.some((m) => m.user_id === u.agent.id || m.to === u.agent.email), JSON.stringify(out));
    // Nor does the outgoing mail about it show in her outbox views.
    assert.equal((await must('GET', `outbox.json?ticket_id=${c.id}`, undefined, u.agent)).outbox.length, 0);
    assert.ok(!(await must('GET', 'outbox.json', undefined, u.agent)).outbox.some((m) => m.ticket_id === c.id));
    assert.equal((await desk.api('GET', `outbox/${out[0].id}.json`, { auth: u.agent })).status, 404);
    assert.equal((await desk.api('GET', `outbox/${out[0].id}.json`, { auth: u.sue })).status, 200);
    const alerts = await desk.api('GET', 'supervisor_alerts.json', { auth: u.agent });
    assert.equal(alerts.status, 403);
});

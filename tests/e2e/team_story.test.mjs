// The team issue's "done when", as one story through real components: a
// Polish email (piped by `desk mailgate`, as an MTA would) arrives while it
// is night in Prague and goes to the Polish-speaking agent on shift in New
// York, not to whoever is free; that agent is a trainee, so their first
// replies reach the customer (by mail, through a real SMTP relay: aiosmtpd
// on 127.0.0.1) only once their mentor approves them; then the agent is let
// go, and the very next request with any of their old credentials (API
// token, password, bearer token, browser session) is refused, while every
// one of their customers' tickets and promises has an owner.
//
// "Night in Prague" is real time: the Prague agent's shift is set to end
// hours before now in Europe/Prague, the New York agent's to cover now in
// America/New_York (the clock is not faked).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, basicPassword, basicToken, bearer, everyDay, localMinute, show, sleep } from './lib/desk.mjs';
import { SmtpSink, header } from './lib/mail.mjs';

const SUPPORT = 'support@desk.test';
let desk;
let sink;
let u;

async function must(method, path, body, auth = u.admin, ok = [200, 201]) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(ok.includes(r.status), `${method} ${path}: ${show(r)}`);
    return r.json;
}

/** Every day: a shift around now in ZONE (on), or one that ended hours ago (off). */
function shifts(zone, on) {
    const m = localMinute(zone);
    const [from, to] = on ? [m - 240, m + 240] : [m - 720, m - 240];
    return everyDay(zone, from, to);
}

async function staff(key, profile) {
    const a = await desk.addUser(key, { role: 'agent', name: profile.name, password: `Pw-${key}-story-Secret9!` });
    await must('PUT', `staff/${a.id}.json`, { staff: { capacity: { email: 8 }, ...profile, name: undefined } }, u.supervisor);
    return a;
}

const online = (a) => must('PUT', `staff/${a.id}/availability.json`, { availability: { status: 'online' } }, a);

/** Messages delivered to address so far. */
function mailTo(address) {
    try {
        return sink.messages().filter((m) => m.envelope.rcpt_tos.includes(address));
    } catch {
        return null; // one still being written
    }
}

async function waitMail(address, n) {
    const end = Date.now() + 15_000;
    for (;;) {
        const got = mailTo(address);
        if (got && got.length >= n) {
            return got;
        }
        if (Date.now() > end) {
            throw new Error(`expected ${n} messages to ${address}, got ${got?.length}`);
        }
        await sleep(100);
    }
}

const textOf = (m) => m.parts.find((p) => p.content_type === 'text/plain').text;

before(async () => {
    sink = await SmtpSink.start();
    desk = await Desk.create('team_story');
    u = await addStandardUsers(desk);
    await desk.start({
        extraArgs: ['--smtp', sink.url, '--smtp-tls', 'none', '--mail-from', SUPPORT, '--mail-name', 'Sklep Support',
            '--mail-retry-ms', '100', '--mail-poll-ms', '200', '--routing-interval', '300'],
    });
});

after(async () => {
    await desk?.stop();
    await sink?.destroy();
});

test('a Polish email at night in Prague, a trainee and their mentor, and an agent let go', async () => {
    // The team. Marta mentors; she is not taking tickets now (offline).
    const marta = await staff('marta', { name: 'Marta Mentor', languages: [{ tag: 'pl', proficiency: 'native' }, 'en'] });
    // Pavel speaks Polish too, but he works in Prague, and his shift there is long over.
    const pavel = await staff('pavel', { name: 'Pavel Praha', languages: ['cs', { tag: 'pl', proficiency: 'fluent' }], schedule: shifts('Europe/Prague', false) });
    // Fred is free, on shift and idle, but speaks no Polish.
    const fred = await staff('fred', { name: 'Fred Free', languages: ['en'] });
    // Piotr, in New York, on shift now, a trainee mentored by Marta, already busy with a ticket.
    const piotr = await staff('piotr', { name: 'Piotr Nowak', languages: [{ tag: 'pl', proficiency: 'native' }, 'en'], schedule: shifts('America/New_York', true), trainee: true, mentor_id: marta.id });
    for (const a of [pavel, fred, piotr]) {
        await online(a);
    }
    await must('POST', 'tickets.json', { ticket: { subject: 'Earlier work', comment: { body: 'Earlier request' }, requester_id: u.customer.id, assignee_id: piotr.id } });

    // 1. The Polish email arrives through the MTA's pipe.
    const raw = [
        'From: Zofia Kowalska <zofia@example.pl>',
        `To: ${SUPPORT}`,
        'Subject: =?UTF-8?Q?Zam=C3=B3wienie_nie_dotar=C5=82o?=',
        'Message-ID: <zofia-1@example.pl>',
        'Date: Tue, 3 Mar 2026 03:00:00 +0100',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Dzień dobry, zamówiłam buty dwa tygodnie temu i paczka nadal nie dotarła.',
        'Czy mogą Państwo sprawdzić, gdzie jest moja przesyłka? Z góry dziękuję.',
        '',
    ].join('\r\n');
    await desk.cli(['mailgate', '--db', desk.db, '--mail-address', SUPPORT], { input: raw });
    const found = await must('GET', `search.json?query=${encodeURIComponent('type:ticket requester:zofia@example.pl')}`);
    assert.equal(found.results.length, 1, JSON.stringify(found));
    const id = found.results[0].id;
    let t = (await must('GET', `tickets/${id}.json`)).ticket;
    assert.equal(t.language, 'pl');
    assert.equal(t.via.channel, 'email');
    assert.equal(t.assignee_id, piotr.id, JSON.stringify(t.routing));
    assert.match(t.routing.reason, /^assigned to Piotr Nowak \(agent \d+\): speaks pl, load \d+\/8/);
    assert.match(t.routing.reason, /skipped Pavel Praha \(agent \d+\): off shift/);
    assert.match(t.routing.reason, /skipped Fred Free \(agent \d+\): does not speak pl/);
    // Zofia is told her request arrived (in Polish), and nothing else yet.
    const [ack] = await waitMail('zofia@example.pl', 1);
    assert.equal(header(ack, 'content-language'), 'pl');

    // 2. Piotr, a trainee, answers twice: both replies are held for Marta.
    const reply1 = 'Dzień dobry, sprawdzam status przesyłki w systemie kuriera.';
    const reply2 = 'Paczka jest w sortowni w Warszawie, dotrze jutro.';
    for (const body of [reply1, reply2]) {
        const r = await must('PUT', `tickets/${id}.json`, { ticket: { comment: { body, public: true } } }, piotr);
        assert.equal(r.ticket.pending_drafts > 0, true);
    }
    await sleep(1000); // time for any mail that should not go
    assert.equal(mailTo('zofia@example.pl').length, 1, 'no reply reached the customer');
    const publicBodies = async () => (await must('GET', `tickets/${id}/comments.json`)).comments.filter((c) => c.public).map((c) => c.body.trim());
    assert.equal((await publicBodies()).length, 1, 'only her own message is public');
    // Marta is told (an alert each), and finds them in her pending list.
    const alerts = (await must('GET', 'alerts.json?unread=true', undefined, marta)).alerts.filter((a) => a.kind === 'draft_pending');
    assert.equal(alerts.length, 2, JSON.stringify(alerts));
    assert.ok(alerts.every((a) => a.ticket_id === id && a.about_user_id === piotr.id));
    assert.match(alerts[0].message, /^Piotr Nowak's reply on ticket #\d+ awaits your approval/);
    const pending = (await must('GET', 'drafts.json?state=pending', undefined, marta)).drafts;
    assert.deepEqual(pending.map((d) => d.body), [reply1, reply2]);
    // Marta approves the first as it is, and the second with an edit.
    await must('POST', `drafts/${pending[0].id}/approve.json`, undefined, marta);
    const edited = 'Paczka jest w sortowni w Warszawie i dotrze jutro do 12:00.';
    await must('POST', `drafts/${pending[1].id}/approve.json`, { draft: { body: edited } }, marta);
    const mails = await waitMail('zofia@example.pl', 3);
    const bodies = mails.slice(1).map(textOf);
    assert.ok(bodies[0].includes(reply1), bodies[0]);
    assert.ok(bodies[1].includes(edited), bodies[1]);
    assert.ok(!bodies.join('').includes(reply2), 'the unedited text never went out');
    assert.match(header(mails[1], 'from'), /Piotr Nowak/);
    const comments = (await must('GET', `tickets/${id}/comments.json`)).comments.filter((c) => c.public);
    assert.deepEqual(comments.slice(1).map((c) => c.author_id), [piotr.id, piotr.id]);

    // Piotr promised a call back; he holds a browser session, a token, a password.
    const due = new Date(Date.now() + 86_400_000).toISOString();
    const promise = (await must('POST', `tickets/${id}/commitments.json`, { commitment: { due_at: due, note: 'Zadzwonić do klientki' } }, piotr)).commitment.id;
    const login = await desk.api('POST', 'sessions.json', { body: { session: { email: piotr.email, password: piotr.password } } });
    assert.equal(login.status, 201, show(login));
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const forms = [
        { auth: basicToken(piotr.email, piotr.token) },
        { auth: basicPassword(piotr.email, piotr.password) },
        { auth: bearer(piotr.token) },
        { headers: { Cookie: cookie } },
    ];
    for (const f of forms) {
        assert.equal((await desk.api('GET', 'users/me.json', f)).status, 200);
    }

    const before = await must('GET', `users/${piotr.id}/tickets/assigned.json`);
    assert.equal(before.tickets.length, 2);
    // 3. 15:00: Piotr is let go; his mentor takes over his work. 15:00:01: nothing he holds
    // works any more.
    const off = await must('POST', `staff/${piotr.id}/offboard.json`, { offboarding: { reassign_to: marta.id } }, u.supervisor);
    const statuses = await Promise.all(forms.map((f) => desk.api('GET', 'users/me.json', f).then((r) => r.status)));
    assert.deepEqual(statuses, [401, 401, 401, 401]);
    const write = await desk.api('PUT', `tickets/${id}.json`, { auth: basicPassword(piotr.email, piotr.password), body: { ticket: { comment: { body: 'x', public: true } } } });
    assert.equal(write.status, 401);
    assert.equal(off.offboarding.ticket_ids.length, 2);
    // None of his customers is left without an owner: every unsolved ticket he had, and his
    // promise, are Marta's now.
    const left = await must('GET', `users/${piotr.id}/tickets/assigned.json`);
    assert.deepEqual(left.tickets.filter((x) => !['solved', 'closed'].includes(x.status)).map((x) => x.id), []);
    for (const tid of off.offboarding.ticket_ids) {
        t = (await must('GET', `tickets/${tid}.json`)).ticket;
        assert.equal(t.assignee_id, marta.id, `ticket ${tid}`);
    }
    assert.ok(off.offboarding.ticket_ids.includes(id));
    const cm = (await must('GET', `commitments/${promise}.json`)).commitment;
    assert.equal(cm.state, 'open');
    assert.equal(cm.owner_id, marta.id);
    assert.deepEqual(off.offboarding.commitment_ids, [promise]);
    // His history stays his.
    assert.deepEqual(comments.slice(1).map((c) => c.author_id), [piotr.id, piotr.id]);
});

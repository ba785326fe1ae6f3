// iCalendar feeds: a person's, a group's and a supervisor's team's calendar of
// commitments and ticket due dates; each feed checked by libical (the
// tests/tools/ical_check program: line folding, CRLF, escaping, required
// properties) and read back through it; who may read which; the secret feed URL
// in GET /users/me only, working without credentials, rotatable, never in the
// log or the database, and stable across restarts.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Desk, DESK_BIN, addStandardUsers, show } from './lib/desk.mjs';

const CHECKER = join(dirname(DESK_BIN), 'tools', 'ical_check');
const DAY = 24 * 3600_000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

let desk;
let u;
let group;
let t1;
let t2;
let t3;
let mine;
let theirs;
const tricky = 'Call back, confirm; path C:\\temp\nsecond line: Příliš žluťoučký kůň úpěl ďábelské ódy — ' +
    'a long note that certainly needs folding at seventy-five octets 😀😀😀';

before(async () => {
    assert.ok(existsSync(CHECKER), `the libical checker is built at ${CHECKER}`);
    desk = await Desk.create('calendar');
    u = await addStandardUsers(desk);
    await desk.start();
    let r = await desk.api('POST', 'groups.json', { auth: u.admin, body: { group: { name: 'Returns, Refunds; & Co' } } });
    assert.equal(r.status, 201, show(r));
    group = r.json.group;
    for (const who of [u.agent, u.supervisor]) {
        r = await desk.api('POST', 'group_memberships.json', {
            auth: u.admin,
            body: { group_membership: { user_id: who.id, group_id: group.id } },
        });
        assert.equal(r.status, 201, show(r));
    }
    const ticket = async (fields) => {
        const res = await desk.api('POST', 'tickets.json', {
            auth: u.agent,
            body: { ticket: { comment: { body: 'hello' }, requester_id: u.customer.id, ...fields } },
        });
        assert.equal(res.status, 201, show(res));
        return res.json.ticket;
    };
    t1 = await ticket({ subject: 'Refund, please; now', group_id: group.id, assignee_id: u.agent.id, type: 'task', due_at: iso(Date.now() + 2 * DAY) });
    t2 = await ticket({ subject: 'Unassigned in the group', group_id: group.id, type: 'task', due_at: iso(Date.now() + 3 * DAY) });
    t3 = await ticket({ subject: 'Bob\'s own', assignee_id: u.agent2.id, type: 'task', due_at: iso(Date.now() + 4 * DAY) });
    r = await desk.api('POST', `tickets/${t1.id}/commitments.json`, {
        auth: u.agent,
        body: { commitment: { due_local: '2027-01-12T10:00', time_zone: 'Europe/Prague', note: tricky } },
    });
    assert.equal(r.status, 201, show(r));
    mine = r.json.commitment;
    r = await desk.api('POST', `tickets/${t3.id}/commitments.json`, {
        auth: u.agent2,
        body: { commitment: { due_at: iso(Date.now() + 5 * DAY), note: 'Bob calls' } },
    });
    assert.equal(r.status, 201, show(r));
    theirs = r.json.commitment;
});

after(async () => {
    await desk?.stop();
});

/** Runs the libical checker on TEXT; asserts no errors; returns the parsed events. */
function check(text) {
    const r = spawnSync(CHECKER, [], { input: text, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.error, undefined, String(r.error));
    let report;
    try {
        report = JSON.parse(r.stdout);
    } catch {
        assert.fail(`ical_check printed no report (exit ${r.status}): ${r.stdout} ${r.stderr}`);
    }
    assert.deepEqual(report.errors, [], `libical found errors in:\n${text}`);
    assert.equal(r.status, 0);
    return report.events;
}

async function ics(path, auth) {
    const r = await desk.api('GET', path, { auth, headers: { Accept: 'text/calendar' } });
    return r;
}

async function feed(path, auth) {
    const r = await ics(path, auth);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.headers.get('content-type'), 'text/calendar; charset=utf-8');
    return { text: r.text, events: check(r.text) };
}

const uids = (events) => events.map((e) => e.uid).sort();

test('the checker catches what calendar clients choke on', () => {
    const bad = spawnSync(CHECKER, [], {
        input: 'BEGIN:VCALENDAR\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:' + 'x'.repeat(80) + '\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
        encoding: 'utf8',
    });
    assert.equal(bad.status, 1);
    const errors = JSON.parse(bad.stdout).errors.join('\n');
    assert.match(errors, /LF without CR/);
    assert.match(errors, /more than 75/);
    assert.match(errors, /no uid/);
});

test('an agent\'s feed: their commitments and their tickets\' due dates, valid for libical', async () => {
    const { text, events } = await feed(`users/${u.agent.id}/calendar.ics`, u.agent);
    assert.ok(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'), text.slice(0, 80));
    assert.ok(text.endsWith('END:VCALENDAR\r\n'));
    assert.deepEqual(uids(events), [`commitment-${mine.id}@desk`, `ticket-${t1.id}-due@desk`].sort());
    const c = events.find((e) => e.uid === `commitment-${mine.id}@desk`);
    assert.equal(c.dtstart, '2027-01-12T09:00:00Z');
    assert.equal(c.dtend, '2027-01-12T09:15:00Z');
    assert.match(c.dtstamp, /Z$/);
    assert.equal(c.status, 'CONFIRMED');
    assert.equal(c.url, `${desk.base}/tickets/${t1.id}.json`);
    // libical unescapes and unfolds what desk escaped and folded: the text survives exactly.
    assert.ok(c.summary.startsWith('Call back, confirm; path C:\\temp'), c.summary);
    assert.ok(c.description.includes(tricky), c.description);
    assert.ok(c.description.includes('2027-01-12T10:00:00+01:00 Europe/Prague'), c.description);
    assert.equal(c.alarm, '-PT15M', 'the reminder lead becomes an alarm');
    assert.ok(text.includes('\\, confirm\\; path C:\\\\temp\\nsecond'), 'escaped on the wire');
    const d = events.find((e) => e.uid === `ticket-${t1.id}-due@desk`);
    assert.equal(d.dtend, t1.due_at, 'a deadline ends at the due time');
    assert.equal(d.summary, `Due: #${t1.id} Refund, please; now`);
    assert.equal(d.categories, 'due_date');

    // Stable: the same entries, byte for byte, on the next fetch.
    const again = await feed(`users/${u.agent.id}/calendar.ics`, u.agent);
    assert.equal(again.text, text);
});

test('who may read which calendar', async () => {
    let r = await ics(`users/${u.agent.id}/calendar.ics`, u.agent2);
    assert.equal(r.status, 403, show(r));
    r = await ics(`users/${u.agent.id}/calendar.ics`, u.supervisor);
    assert.equal(r.status, 200, show(r));
    r = await ics(`users/${u.customer.id}/calendar.ics`, u.supervisor);
    assert.equal(r.status, 404, 'end users have no calendar');
    r = await ics(`users/${u.agent.id}/calendar.ics`, u.customer);
    assert.equal(r.status, 403, show(r));
    r = await ics(`users/${u.agent.id}/calendar.ics`);
    assert.equal(r.status, 401, show(r));
    r = await ics(`groups/${group.id}/calendar.ics`, u.agent2);
    assert.equal(r.status, 403, 'not a member');
    r = await ics('groups/987654/calendar.ics', u.supervisor);
    assert.equal(r.status, 404, show(r));
    r = await ics(`users/${u.supervisor.id}/team_calendar.ics`, u.agent);
    assert.equal(r.status, 403, show(r));
    r = await ics(`users/${u.agent.id}/team_calendar.ics`, u.admin);
    assert.equal(r.status, 404, 'an agent has no team calendar');
});

test('a group\'s feed and a supervisor\'s team feed', async () => {
    const g = await feed(`groups/${group.id}/calendar.ics`, u.agent);
    assert.deepEqual(uids(g.events), [`commitment-${mine.id}@desk`, `ticket-${t1.id}-due@desk`, `ticket-${t2.id}-due@desk`].sort());
    assert.match(g.text, /X-WR-CALNAME:desk: group Returns\\, Refunds\\; & Co\r\n/);
    const c = g.events.find((e) => e.uid === `commitment-${mine.id}@desk`);
    assert.ok(c.summary.endsWith(`(#${t1.id}, Alice Agent)`), c.summary);

    const team = await feed(`users/${u.supervisor.id}/team_calendar.ics`, u.supervisor);
    assert.deepEqual(uids(team.events), [`commitment-${mine.id}@desk`, `ticket-${t1.id}-due@desk`, `ticket-${t2.id}-due@desk`].sort());
    assert.ok(!team.events.some((e) => e.uid === `commitment-${theirs.id}@desk`), 'agent2 is not on the team');
    const viaAdmin = await feed(`users/${u.supervisor.id}/team_calendar.ics`, u.admin);
    assert.deepEqual(uids(viaAdmin.events), uids(team.events));
});

test('done and cancelled commitments stay on the calendar, marked', async () => {
    const r1 = await desk.api('POST', `tickets/${t2.id}/commitments.json`, { auth: u.agent, body: { commitment: { due_at: iso(Date.now() + 6 * DAY), note: 'to cancel' } } });
    const r2 = await desk.api('POST', `tickets/${t2.id}/commitments.json`, { auth: u.agent, body: { commitment: { due_at: iso(Date.now() + 7 * DAY), note: 'to do' } } });
    await desk.api('DELETE', `commitments/${r1.json.commitment.id}.json`, { auth: u.agent });
    await desk.api('PUT', `commitments/${r2.json.commitment.id}.json`, { auth: u.agent, body: { commitment: { state: 'done' } } });
    const { events } = await feed(`users/${u.agent.id}/calendar.ics`, u.agent);
    const cancelled = events.find((e) => e.uid === `commitment-${r1.json.commitment.id}@desk`);
    const done = events.find((e) => e.uid === `commitment-${r2.json.commitment.id}@desk`);
    assert.equal(cancelled.status, 'CANCELLED');
    assert.equal(cancelled.alarm, null);
    assert.match(done.summary, /^Done: to do/);
    assert.equal(done.alarm, null);
});

test('the secret feed URL: in GET /users/me only, no credentials needed, rotatable, kept secret', async () => {
    let r = await desk.api('GET', 'users/me.json', { auth: u.agent });
    const url = r.json.user.calendar_feed_url;
    assert.match(url, new RegExp(`^${desk.base}/calendar_feeds/[A-Za-z0-9_-]{43}/calendar\\.ics$`));
    r = await desk.api('GET', 'users/me.json', { auth: u.agent });
    assert.equal(r.json.user.calendar_feed_url, url, 'the same URL each time');
    for (const [path, auth] of [[`users/${u.agent.id}.json`, u.agent], [`users/${u.agent.id}.json`, u.supervisor], ['users.json', u.admin], [`users/${u.agent.id}.json`, u.admin]]) {
        r = await desk.api('GET', path, { auth });
        assert.ok(!r.text.includes('calendar_feed'), `${path}: ${r.text.slice(0, 200)}`);
    }
    r = await desk.api('GET', 'users/me.json', { auth: u.customer });
    assert.ok(!('calendar_feed_url' in r.json.user), 'end users have no calendar');

    // No credentials: the URL is the key. The agent's URL shows the agent's calendar.
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/calendar; charset=utf-8');
    const viaUrl = check(await res.text());
    const viaApi = (await feed(`users/${u.agent.id}/calendar.ics`, u.agent)).events;
    assert.deepEqual(uids(viaUrl), uids(viaApi));
    const token = url.split('/').at(-2);
    const base = url.replace(/\/calendar\.ics$/, '');
    let more = await fetch(`${base}/groups/${group.id}/calendar.ics`);
    assert.equal(more.status, 200);
    assert.deepEqual(uids(check(await more.text())), uids((await feed(`groups/${group.id}/calendar.ics`, u.agent)).events));
    more = await fetch(`${base}/users/${u.agent2.id}/calendar.ics`);
    assert.equal(more.status, 403, 'the URL carries its owner\'s rights, no more');

    // The supervisor's own URL shows their team.
    r = await desk.api('GET', 'users/me.json', { auth: u.supervisor });
    const supEvents = check(await (await fetch(r.json.user.calendar_feed_url)).text());
    assert.ok(supEvents.some((e) => e.uid === `ticket-${t2.id}-due@desk`));

    // Wrong or malformed tokens learn nothing.
    for (const bad of [token.slice(0, -1) + (token.at(-1) === 'A' ? 'B' : 'A'), 'short', 'x'.repeat(64)]) {
        const x = await fetch(`${desk.base}/calendar_feeds/${bad}/calendar.ics`);
        assert.equal(x.status, 404, bad);
    }

    // Neither the log nor the database holds the token.
    assert.ok(!desk.log().includes(token), 'the token never reaches the log');
    assert.ok(desk.log().includes('calendar_feeds/:sid/calendar.ics'), 'the request is logged without it');
    for (const f of [desk.db, `${desk.db}-wal`]) {
        if (existsSync(f)) {
            assert.ok(!readFileSync(f).includes(token), `${f} holds no token`);
        }
    }
    const keyFile = desk.db + '.calendar-key';
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(statSync(keyFile).size, 32);

    // Rotation: a new URL; the old one stops working at once.
    r = await desk.api('POST', 'users/me/calendar_feed/rotate.json', { auth: u.agent });
    assert.equal(r.status, 200, show(r));
    const fresh = r.json.calendar_feed_url;
    assert.notEqual(fresh, url);
    assert.equal((await fetch(url)).status, 404);
    assert.equal((await fetch(fresh)).status, 200);
    r = await desk.api('GET', 'users/me.json', { auth: u.agent });
    assert.equal(r.json.user.calendar_feed_url, fresh);
    r = await desk.api('POST', 'users/me/calendar_feed/rotate.json', { auth: u.customer });
    assert.equal(r.status, 403, show(r));

    // Restart: the same URL still works (the key lives beside the database). The new server
    // listens on another port, so only the path is compared.
    await desk.stop();
    await desk.start();
    const path = new URL(fresh).pathname;
    assert.equal((await fetch(desk.url + path)).status, 200);
    r = await desk.api('GET', 'users/me.json', { auth: u.agent });
    assert.equal(new URL(r.json.user.calendar_feed_url).pathname, path);

    // A user who is gone has no calendar any more.
    r = await desk.api('GET', 'users/me.json', { auth: u.agent2 });
    const bobs = r.json.user.calendar_feed_url;
    assert.equal((await fetch(bobs)).status, 200);
    r = await desk.api('DELETE', `users/${u.agent2.id}.json`, { auth: u.admin });
    assert.equal(r.status, 200, show(r));
    assert.equal((await fetch(bobs)).status, 404);
});

// The staff lifecycle: an agent let go can do nothing the moment after (token,
// password, bearer), none of their customers is left without an owner, history
// and authorship stay; the last admin cannot be offboarded; suspension is
// temporary and reversible; invitations create an inactive agent with a
// one-time, expiring link.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show, basicToken, basicPassword, bearer } from './lib/desk.mjs';

let desk;
let u;
let group;

async function must(method, path, body, auth = u.admin, ok = [200, 201]) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(ok.includes(r.status), `${method} ${path}: ${show(r)}`);
    return r.json;
}

before(async () => {
    desk = await Desk.create('team_lifecycle');
    u = await addStandardUsers(desk);
    await desk.start();
    group = (await must('POST', 'groups.json', { group: { name: 'Support' } })).group.id;
    for (const k of ['agent', 'agent2', 'supervisor']) {
        await must('POST', 'group_memberships.json', { group_membership: { user_id: u[k].id, group_id: group, default: true } });
    }
});

after(async () => {
    await desk?.stop();
});

async function credentialsWork(user) {
    const forms = [basicToken(user.email, user.token), basicPassword(user.email, user.password), bearer(user.token)];
    const out = [];
    for (const auth of forms) {
        out.push((await desk.api('GET', 'users/me.json', { auth })).status);
    }
    return out;
}

test('an offboarded agent can do nothing at once; their tickets keep an owner', async () => {
    const leaver = await desk.addUser('leaver', { role: 'agent', name: 'Lee Leaver', password: 'Pw-leaver-e2e-Secret9!' });
    await must('POST', 'group_memberships.json', { group_membership: { user_id: leaver.id, group_id: group } });
    assert.deepEqual(await credentialsWork(leaver), [200, 200, 200]);
    // A browser session too.
    const login = await desk.api('POST', 'sessions.json', { body: { session: { email: leaver.email, password: leaver.password } } });
    assert.equal(login.status, 201, show(login));
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const sess = await desk.api('GET', 'sessions/current.json', { headers: { Cookie: cookie } });
    assert.equal(sess.status, 200, show(sess));
    // Work they own: two open tickets in the group, one pending, one without a group, one solved.
    const mk = async (extra) => (await must('POST', 'tickets.json', { ticket: { subject: 'Mine', comment: { body: 'hello' }, requester_id: u.customer.id, assignee_id: leaver.id, ...extra } }, u.supervisor)).ticket.id;
    const open1 = await mk({ group_id: group });
    const open2 = await mk({ group_id: group, status: 'pending' });
    const groupless = await mk({});
    const solved = await mk({ group_id: group, status: 'solved' });
    // They wrote a reply: authorship must survive.
    await must('PUT', `tickets/${open1.toString()}.json`, { ticket: { comment: { body: 'Working on it', public: true } } }, leaver);
    // Promises they made: two open ones (on a group ticket and a groupless one), one kept already.
    const due = new Date(Date.now() + 86_400_000).toISOString();
    const promise = async (ticket, note) => (await must('POST', `tickets/${ticket}/commitments.json`, { commitment: { due_at: due, note } }, leaver)).commitment.id;
    const c1 = await promise(open1, 'Call back tomorrow');
    const c2 = await promise(groupless, 'Send the label');
    const kept = await promise(open2, 'Already done');
    await must('PUT', `commitments/${kept}.json`, { commitment: { state: 'done' } }, leaver);
    const r = await must('POST', `staff/${leaver.id}/offboard.json`, undefined, u.supervisor);
    assert.equal(r.offboarding.user_id, leaver.id);
    assert.equal(r.offboarding.active, false);
    assert.deepEqual(r.offboarding.ticket_ids.sort((a, b) => a - b), [open1, open2, groupless].sort((a, b) => a - b));
    // The moment after: token, password and bearer all fail.
    assert.deepEqual(await credentialsWork(leaver), [401, 401, 401]);
    const write = await desk.api('POST', 'tickets.json', { auth: leaver, body: { ticket: { subject: 'x', comment: { body: 'y' } } } });
    assert.equal(write.status, 401, show(write));
    const gone = await desk.api('GET', 'sessions/current.json', { headers: { Cookie: cookie } });
    assert.equal(gone.status, 401, `the browser session ends too: ${show(gone)}`);
    // Every open ticket has an owner: its group queue (assignee cleared), history kept.
    for (const id of [open1, open2, groupless]) {
        const t = (await must('GET', `tickets/${id}.json`)).ticket;
        assert.equal(t.assignee_id, null, `ticket ${id}`);
        assert.equal(t.group_id, group, `ticket ${id} stays in (or goes to) a group queue`);
    }
    // Their open promises went with the tickets: nobody has the tickets now, so to the group's
    // supervisor, audited on each ticket; the kept one stays theirs, as history.
    assert.deepEqual(r.offboarding.commitment_ids.sort((a, b) => a - b), [c1, c2].sort((a, b) => a - b));
    for (const id of [c1, c2]) {
        const cm = (await must('GET', `commitments/${id}.json`)).commitment;
        assert.equal(cm.owner_id, u.supervisor.id, `commitment ${id}`);
        assert.equal(cm.state, 'open');
        assert.equal(cm.due_at, due.replace(/\.\d+Z$/, 'Z'));
    }
    assert.equal((await must('GET', `commitments/${kept}.json`)).commitment.owner_id, leaver.id);
    const open1Audits = await must('GET', `tickets/${open1}/audits.json`);
    assert.ok(open1Audits.audits.some((a) => a.events.some((e) => e.field_name === `commitment_${c1}_owner_id` && e.previous_value === String(leaver.id) && e.value === String(u.supervisor.id))), JSON.stringify(open1Audits.audits.at(-1)));
    const leftover = await must('GET', `commitments.json?owner_id=${leaver.id}&state=open`);
    assert.equal(leftover.commitments.length, 0);
    const solvedT = (await must('GET', `tickets/${solved}.json`)).ticket;
    assert.equal(solvedT.assignee_id, leaver.id, 'solved work keeps its assignee');
    const comments = await must('GET', `tickets/${open1}/comments.json`);
    assert.ok(comments.comments.some((c) => c.author_id === leaver.id && c.body === 'Working on it'));
    const audits = await must('GET', `tickets/${open1}/audits.json`);
    assert.ok(audits.audits.some((a) => a.events.some((e) => e.field_name === 'assignee_id' && e.previous_value === String(leaver.id))));
    // The user stays, inactive, and the offboarding is on record.
    const user = (await must('GET', `users/${leaver.id}.json`)).user;
    assert.equal(user.active, false);
    assert.equal(user.staff.state, 'offboarded');
    const ev = await must('GET', `staff/${leaver.id}/events.json`, undefined, u.supervisor);
    assert.ok(ev.staff_events.some((e) => e.type === 'offboarded' && e.actor_id === u.supervisor.id));
    // They are out of routing: not in the group any more, and cannot come online.
    const members = await must('GET', `groups/${group}/users.json`);
    assert.ok(!members.users.some((x) => x.id === leaver.id));
    const on = await desk.api('PUT', `staff/${leaver.id}/availability.json`, { auth: u.supervisor, body: { availability: { status: 'online' } } });
    assert.equal(on.status, 422, show(on));
});

test('offboarding from the command line hands the tickets to a named agent', async () => {
    const leaver = await desk.addUser('leaver2', { role: 'agent', password: 'Pw-leaver2-e2e-Secret9!' });
    const other = (await must('POST', 'groups.json', { group: { name: 'Other' } })).group.id;
    await must('POST', 'group_memberships.json', { group_membership: { user_id: leaver.id, group_id: group } });
    await must('POST', 'group_memberships.json', { group_membership: { user_id: leaver.id, group_id: other } });
    const t1 = (await must('POST', 'tickets.json', { ticket: { subject: 'a', comment: { body: 'b' }, group_id: group, assignee_id: leaver.id } })).ticket.id;
    const t2 = (await must('POST', 'tickets.json', { ticket: { subject: 'c', comment: { body: 'd' }, group_id: other, assignee_id: leaver.id } })).ticket.id;
    const due = new Date(Date.now() + 3_600_000).toISOString();
    const cm = (await must('POST', `tickets/${t2}/commitments.json`, { commitment: { due_at: due, note: 'Ring them' } }, leaver)).commitment.id;
    const out = await desk.cli(['user', 'offboard', '--db', desk.db, '--email', leaver.email, '--reassign-to', u.agent2.email]);
    assert.match(out, /offboarded: sign-in revoked, 2 open tickets reassigned, 1 open commitment handed over/);
    assert.equal((await must('GET', `commitments/${cm}.json`)).commitment.owner_id, u.agent2.id);
    assert.deepEqual(await credentialsWork(leaver), [401, 401, 401]);
    const a = (await must('GET', `tickets/${t1}.json`)).ticket;
    assert.equal(a.assignee_id, u.agent2.id);
    assert.equal(a.group_id, group);
    // agent2 is not in "Other": the ticket follows them into their own group.
    const b = (await must('GET', `tickets/${t2}.json`)).ticket;
    assert.equal(b.assignee_id, u.agent2.id);
    assert.equal(b.group_id, group);
    // Bad uses of the command say what is wrong.
    const bad = await desk.cli(['user', 'offboard', '--db', desk.db, '--email', 'nobody@e2e.example']).catch((e) => e.message);
    assert.match(bad, /no user has the email nobody@e2e.example/);
});

test('the last admin cannot be offboarded or suspended; nobody offboards themselves', async () => {
    let r = await desk.api('POST', `staff/${u.admin.id}/offboard.json`, { auth: u.admin });
    assert.equal(r.status, 422, show(r));
    const admin2 = await desk.addUser('admin2', { role: 'admin' });
    r = await desk.api('POST', `staff/${admin2.id}/suspend.json`, { auth: u.admin });
    assert.equal(r.status, 200, show(r));
    // With admin2 suspended, admin is the last active one: the CLI (the system) is refused too.
    const cli = await desk.cli(['user', 'offboard', '--db', desk.db, '--email', u.admin.email]).catch((e) => e.message);
    assert.match(cli, /last active admin/);
    r = await desk.api('POST', `staff/${admin2.id}/reinstate.json`, { auth: u.admin });
    assert.equal(r.status, 200, show(r));
    r = await desk.api('POST', `staff/${admin2.id}/offboard.json`, { auth: u.admin });
    assert.equal(r.status, 200, show(r));
    r = await desk.api('POST', `staff/${u.admin.id}/offboard.json`, { auth: u.admin });
    assert.equal(r.status, 422, show(r));
    // A supervisor cannot offboard an admin at all, nor a customer be offboarded.
    r = await desk.api('POST', `staff/${u.admin.id}/offboard.json`, { auth: u.supervisor });
    assert.equal(r.status, 403, show(r));
    r = await desk.api('POST', `staff/${u.customer.id}/offboard.json`, { auth: u.supervisor });
    assert.equal(r.status, 422, show(r));
    r = await desk.api('POST', `staff/${u.agent.id}/offboard.json`, { auth: u.agent2 });
    assert.equal(r.status, 403, show(r));
    r = await desk.api('POST', `staff/${u.agent.id}/offboard.json`, { auth: u.supervisor, body: { offboarding: { reassign_to: u.customer.id } } });
    assert.equal(r.status, 422, show(r));
    assert.ok(r.json.details.reassign_to, r.text);
    assert.deepEqual(await credentialsWork(u.agent), [200, 200, 200], 'a refused offboarding changes nothing');
});

test('suspension is temporary: no sign-in while suspended, everything back after', async () => {
    const temp = await desk.addUser('temp', { role: 'agent', password: 'Pw-temp-e2e-Secret9!' });
    await must('POST', 'group_memberships.json', { group_membership: { user_id: temp.id, group_id: group } });
    let r = await must('POST', `staff/${temp.id}/suspend.json`, { staff: { reason: 'investigation' } }, u.supervisor);
    assert.equal(r.staff.state, 'suspended');
    assert.deepEqual(await credentialsWork(temp), [401, 401, 401]);
    const on = await desk.api('PUT', `staff/${temp.id}/availability.json`, { auth: u.supervisor, body: { availability: { status: 'online' } } });
    assert.equal(on.status, 422, show(on));
    r = await must('POST', `staff/${temp.id}/reinstate.json`, undefined, u.supervisor);
    assert.equal(r.staff.state, 'active');
    assert.deepEqual(await credentialsWork(temp), [200, 200, 200]);
    const again = await desk.api('POST', `staff/${temp.id}/reinstate.json`, { auth: u.supervisor });
    assert.equal(again.status, 422, show(again));
    const ev = await must('GET', `staff/${temp.id}/events.json`, undefined, u.supervisor);
    assert.deepEqual(ev.staff_events.map((e) => e.type), ['suspended', 'reinstated']);
    assert.equal(ev.staff_events[0].detail, 'investigation');
});

test('an invitation creates an inactive agent; the one-time link activates them', async () => {
    const lang = (await must('POST', 'routing/attributes.json', { attribute: { name: 'Product' } })).attribute;
    const skill = (await must('POST', `routing/attributes/${lang.id}/values.json`, { attribute_value: { name: 'Returns' } })).attribute_value;
    const inv = await must('POST', 'staff/invitations.json', {
        invitation: {
            email: 'newbie@e2e.example', name: 'Nina Newbie', role: 'agent', group_ids: [group],
            languages: [{ tag: 'sk', proficiency: 'native' }], attribute_value_ids: [skill.id],
            mentor_id: u.agent.id, trainee: true, capacity: { default: 3 },
        },
    }, u.supervisor);
    const i = inv.invitation;
    assert.equal(i.mailed, true, 'queued in the outbox (sent once mail is configured)');
    assert.ok(i.link.endsWith(`/console/#/invitation/${i.token}`), i.link);
    assert.ok(i.accept_url.endsWith(`/staff/invitations/${i.token}/accept.json`), i.accept_url);
    assert.ok(i.expires_at > i.created_at);
    // Inactive until accepted, with the profile already in place.
    const user = (await must('GET', `users/${i.user_id}.json`)).user;
    assert.equal(user.active, false);
    assert.equal(user.staff.state, 'invited');
    const prof = (await must('GET', `staff/${i.user_id}.json`)).staff;
    assert.equal(prof.mentor_id, u.agent.id);
    assert.equal(prof.trainee, true);
    assert.deepEqual(prof.attribute_value_ids, [skill.id]);
    assert.deepEqual(prof.languages, [{ tag: 'sk', proficiency: 'native' }]);
    const members = await must('GET', `groups/${group}/users.json`);
    assert.ok(members.users.some((x) => x.id === i.user_id));
    const pending = await must('GET', 'staff/invitations.json', undefined, u.supervisor);
    assert.ok(pending.invitations.some((x) => x.id === i.id));
    // Accepting is public, needs a real password, and works once.
    const weak = await desk.api('POST', i.accept_url, { body: { invitation: { password: 'short' } } });
    assert.equal(weak.status, 422, show(weak));
    assert.ok(weak.json.details.password);
    const ok = await desk.api('POST', i.accept_url, { body: { invitation: { password: 'Nina-Strong-Pass-42' } } });
    assert.equal(ok.status, 200, show(ok));
    assert.equal(ok.json.user.active, true);
    const me = await desk.api('GET', 'users/me.json', { auth: basicPassword('newbie@e2e.example', 'Nina-Strong-Pass-42') });
    assert.equal(me.status, 200, show(me));
    const twice = await desk.api('POST', i.accept_url, { body: { invitation: { password: 'Another-Strong-Pass-42' } } });
    assert.equal(twice.status, 404, show(twice));
    const unknown = await desk.api('POST', 'staff/invitations/not-a-real-token/accept.json', { body: { invitation: { password: 'Whatever-Pass-42' } } });
    assert.equal(unknown.status, 404, show(unknown));
    // Bad invitations.
    const cases = [
        [{ email: 'agent@e2e.example', name: 'Dup' }, 'email'],
        [{ email: 'not-an-email', name: 'X' }, 'email'],
        [{ email: 'x1@e2e.example', name: '' }, 'name'],
        [{ email: 'x2@e2e.example', name: 'X', role: 'end-user' }, 'role'],
        [{ email: 'x3@e2e.example', name: 'X', group_ids: [999999] }, 'group_ids'],
        [{ email: 'x4@e2e.example', name: 'X', languages: ['zz'] }, 'languages'],
        [{ email: 'x5@e2e.example', name: 'X', mentor_id: u.customer.id }, 'mentor_id'],
        [{ email: 'x6@e2e.example', name: 'X', capacity: { email: 0 } }, 'capacity'],
    ];
    for (const [invitation, field] of cases) {
        const r = await desk.api('POST', 'staff/invitations.json', { auth: u.supervisor, body: { invitation } });
        assert.equal(r.status, 422, `${JSON.stringify(invitation)}: ${show(r)}`);
        assert.ok(r.json.details[field], `${field}: ${r.text}`);
    }
    const noUser = await desk.api('GET', 'users/search.json?query=x3@e2e.example', { auth: u.admin });
    assert.equal(noUser.json.users.length, 0, 'a refused invitation writes nothing');
    const byAgent = await desk.api('POST', 'staff/invitations.json', { auth: u.agent, body: { invitation: { email: 'y@e2e.example', name: 'Y' } } });
    assert.equal(byAgent.status, 403, show(byAgent));
    const adminInvite = await desk.api('POST', 'staff/invitations.json', { auth: u.supervisor, body: { invitation: { email: 'z@e2e.example', name: 'Z', role: 'admin' } } });
    assert.equal(adminInvite.status, 422, show(adminInvite));
});

// Trainee mode: a trainee's public replies are held as drafts; the customer sees
// nothing until the mentor (or a supervisor of the group) approves, as is or
// edited; a returned draft carries the reviewer's comment; internal notes are
// not held; graduation ends it all, audited.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;
let group;
let trainee;
let t;

async function must(method, path, body, auth = u.admin, ok = [200, 201]) {
    const r = await desk.api(method, path, { auth, body });
    assert.ok(ok.includes(r.status), `${method} ${path}: ${show(r)}`);
    return r.json;
}

const customerView = async (id) => (await must('GET', `requests/${id}/comments.json`, undefined, u.customer)).comments.map((c) => c.body);

before(async () => {
    desk = await Desk.create('team_drafts');
    u = await addStandardUsers(desk);
    trainee = await desk.addUser('trainee', { role: 'agent', name: 'Tom Trainee' });
    await desk.start();
    group = (await must('POST', 'groups.json', { group: { name: 'Support' } })).group.id;
    for (const k of ['agent', 'supervisor']) {
        await must('POST', 'group_memberships.json', { group_membership: { user_id: u[k].id, group_id: group } });
    }
    await must('POST', 'group_memberships.json', { group_membership: { user_id: trainee.id, group_id: group } });
    await must('PUT', `staff/${trainee.id}.json`, { staff: { trainee: true, mentor_id: u.agent.id } }, u.supervisor);
    t = (await must('POST', 'requests.json', { request: { subject: 'Broken kettle', comment: { body: 'It does not boil' } } }, u.customer)).request.id;
    await must('PUT', `tickets/${t}.json`, { ticket: { group_id: group, assignee_id: trainee.id } }, u.supervisor);
});

after(async () => {
    await desk?.stop();
});

test('a trainee reply is held; the customer sees it only after the mentor approves', async () => {
    const r = await must('PUT', `tickets/${t}.json`, { ticket: { status: 'pending', comment: { body: 'Try descaling it', public: true } } }, trainee);
    assert.equal(r.ticket.status, 'open', 'the asked-for status waits with the reply');
    assert.deepEqual(await customerView(t), ['It does not boil'], 'nothing reaches the customer');
    const req = await must('GET', `requests/${t}.json`, undefined, u.customer);
    assert.ok(!JSON.stringify(req).includes('descaling'));
    const staffView = await must('GET', `tickets/${t}.json`, undefined, u.agent);
    assert.equal(staffView.ticket.pending_drafts, 1);
    // Listed for the mentor and the group's supervisor, not for other agents' eyes.
    const forMentor = await must('GET', 'drafts.json?state=pending', undefined, u.agent);
    assert.equal(forMentor.drafts.length, 1);
    const d = forMentor.drafts[0];
    assert.equal(d.body, 'Try descaling it');
    assert.equal(d.status, 'pending');
    assert.equal(d.state, 'pending');
    assert.equal(d.author_id, trainee.id);
    const forSup = await must('GET', `drafts.json?state=pending&ticket_id=${t}`, undefined, u.supervisor);
    assert.deepEqual(forSup.drafts.map((x) => x.id), [d.id]);
    const forOther = await must('GET', 'drafts.json?state=pending', undefined, u.agent2);
    assert.equal(forOther.drafts.length, 0);
    const peek = await desk.api('GET', `drafts/${d.id}.json`, { auth: u.agent2 });
    assert.equal(peek.status, 404, show(peek));
    // The trainee cannot approve their own, nor can an unrelated agent.
    for (const who of [trainee, u.agent2]) {
        const no = await desk.api('POST', `drafts/${d.id}/approve.json`, { auth: who });
        assert.ok([403, 404].includes(no.status), show(no));
    }
    // The mentor approves as is: the reply goes out, authored by the trainee, with its status.
    const ok = await must('POST', `drafts/${d.id}/approve.json`, undefined, u.agent);
    assert.equal(ok.draft.state, 'approved');
    assert.equal(ok.draft.reviewer_id, u.agent.id);
    assert.ok(ok.draft.comment_id);
    assert.deepEqual(await customerView(t), ['It does not boil', 'Try descaling it']);
    const comments = await must('GET', `tickets/${t}/comments.json`);
    const sent = comments.comments.at(-1);
    assert.equal(sent.author_id, trainee.id);
    assert.equal(sent.public, true);
    assert.equal((await must('GET', `tickets/${t}.json`)).ticket.status, 'pending');
    // Approved once: a second approval is a conflict.
    const again = await desk.api('POST', `drafts/${d.id}/approve.json`, { auth: u.supervisor });
    assert.equal(again.status, 409, show(again));
});

test('edit and send, or return with a comment', async () => {
    await must('PUT', `tickets/${t}.json`, { ticket: { comment: { body: 'u r wrong lol', public: true } } }, trainee);
    await must('PUT', `tickets/${t}.json`, { ticket: { comment: { body: 'Refund is not possible', public: true } } }, trainee);
    const list = await must('GET', `drafts.json?state=pending&ticket_id=${t}`, undefined, u.supervisor);
    assert.equal(list.drafts.length, 2);
    const [rude, refund] = list.drafts;
    const blank = await desk.api('POST', `drafts/${rude.id}/return.json`, { auth: u.supervisor, body: { draft: { comment: '' } } });
    assert.equal(blank.status, 422, show(blank));
    const ret = await must('POST', `drafts/${rude.id}/return.json`, { draft: { comment: 'Please stay polite' } }, u.supervisor);
    assert.equal(ret.draft.state, 'returned');
    assert.equal(ret.draft.review_comment, 'Please stay polite');
    // The trainee sees their returned draft and why.
    const mine = await must('GET', 'drafts.json?state=returned', undefined, trainee);
    assert.equal(mine.drafts[0].review_comment, 'Please stay polite');
    const edited = await must('POST', `drafts/${refund.id}/approve.json`, { draft: { body: 'We can offer a replacement kettle.' } }, u.supervisor);
    assert.equal(edited.draft.sent_body, 'We can offer a replacement kettle.');
    const seen = await customerView(t);
    assert.equal(seen.at(-1), 'We can offer a replacement kettle.');
    assert.ok(!seen.includes('u r wrong lol') && !seen.includes('Refund is not possible'));
    const empty = await must('GET', 'drafts.json?state=pending', undefined, u.admin);
    assert.equal(empty.drafts.length, 0);
});

test('internal notes are not held; graduation ends trainee mode, audited', async () => {
    await must('PUT', `tickets/${t}.json`, { ticket: { comment: { body: 'note to self', public: false } } }, trainee);
    const notes = await must('GET', `tickets/${t}/comments.json`);
    assert.equal(notes.comments.at(-1).body, 'note to self');
    const agentGrad = await desk.api('POST', `staff/${trainee.id}/graduate.json`, { auth: u.agent });
    assert.equal(agentGrad.status, 403, show(agentGrad));
    const g = await must('POST', `staff/${trainee.id}/graduate.json`, undefined, u.supervisor);
    assert.equal(g.staff.trainee, false);
    const twice = await desk.api('POST', `staff/${trainee.id}/graduate.json`, { auth: u.supervisor });
    assert.equal(twice.status, 422, show(twice));
    const ev = await must('GET', `staff/${trainee.id}/events.json`, undefined, u.supervisor);
    assert.ok(ev.staff_events.some((e) => e.type === 'graduated' && e.actor_id === u.supervisor.id));
    await must('PUT', `tickets/${t}.json`, { ticket: { comment: { body: 'Now straight to you', public: true } } }, trainee);
    assert.equal((await customerView(t)).at(-1), 'Now straight to you');
    const bad = await desk.api('GET', 'drafts.json?state=maybe', { auth: u.agent });
    assert.equal(bad.status, 400, show(bad));
});

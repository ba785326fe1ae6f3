// Weigh the options: GET /tickets/{id}/similar lists solved and closed
// tickets ranked by full-text similarity of subject and description (bm25),
// same language first, each with what was done there: its documented
// resolution, else the last public reply from staff. Staff only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, show } from './lib/desk.mjs';

let desk;
let u;
const t = {};

before(async () => {
    desk = await Desk.create('similar');
    u = await addStandardUsers(desk);
    await desk.start();
    // A desk's other work: words common across all of it carry no signal, so the
    // telling words of a ticket are judged against a realistic mix of topics.
    const topics = ['password reset link expired', 'invoice shows wrong VAT number', 'change my shipping address',
        'cancel my subscription', 'tracking number not working', 'coupon code rejected at checkout',
        'account locked after login attempts', 'duplicate charge on credit card', 'missing item in parcel',
        'newsletter unsubscribe', 'warranty registration form error', 'gift card balance', 'export my data',
        'two factor code never arrives', 'printer toner cartridge empty', 'laptop battery drains fast',
        'phone screen flickers', 'headphones left side silent', 'delivery left at wrong door', 'refund status question'];
    for (let i = 0; i < 40; i++) {
        const topic = topics[i % topics.length];
        await solved(`${topic} (${i})`, `Hello, ${topic}. Order ${1000 + i}.`, i % 2 ? 'en' : 'es', {});
    }
    // Solved tickets to learn from.
    t.enResolved = await solved('Kettle lid cracked on arrival', 'The kettle lid arrived cracked and leaks steam.', 'en', {
        resolution: { category: 'replacement', note: 'Sent a new lid by courier' },
    });
    t.enReply = await solved('Kettle lid loose', 'The lid of my kettle wobbles.', 'en-GB', {
        replies: [['Tighten the hinge screw with a coin.', true, u.agent], ['internal: known batch issue', false, u.agent]],
    });
    t.esStrong = await solved('Kettle lid cracked on arrival kettle lid cracked', 'Kettle lid cracked, kettle lid cracked on arrival.', 'es', {
        replies: [['Le enviamos una tapa nueva.', true, u.agent2]],
    });
    t.enWeak = await solved('Kettle descaling', 'How do I descale a kettle?', 'en', {});
    t.unrelated = await solved('Password reset', 'I cannot log in to my account.', 'en', {});
    t.closedCustomerLast = await solved('Cracked lid again', 'My lid cracked.', 'en', {
        replies: [['We refunded you.', true, u.agent], ['Thanks, all good!', true, u.customer]],
        status: 'closed',
    });
    // Not candidates: still open, deleted.
    t.open = await create('Kettle lid cracked on arrival', 'The kettle lid arrived cracked.', 'en');
    t.deleted = await solved('Kettle lid cracked on arrival', 'The kettle lid arrived cracked.', 'en', {});
    assert.equal((await desk.api('DELETE', `tickets/${t.deleted}.json`, { auth: u.supervisor })).status, 204);
    // The ticket being worked on.
    t.source = await create('My kettle lid is cracked', 'It arrived with a cracked lid. The kettle is new.', 'en-US');
});

after(async () => {
    await desk?.stop();
});

async function create(subject, body, language) {
    const r = await desk.api('POST', 'tickets.json', {
        auth: u.agent,
        body: { ticket: { subject, language, comment: { body }, requester_id: u.customer.id } },
    });
    assert.equal(r.status, 201, show(r));
    return r.json.ticket.id;
}

async function solved(subject, body, language, { resolution, replies = [], status = 'solved' }) {
    const id = await create(subject, body, language);
    for (const [text, pub, author] of replies) {
        const auth = author === u.customer ? u.customer : u.agent;
        const path = author === u.customer ? `requests/${id}.json` : `tickets/${id}.json`;
        const key = author === u.customer ? 'request' : 'ticket';
        const comment = { body: text, public: pub };
        if (author !== u.customer) comment.author_id = author.id;
        const r = await desk.api('PUT', path, { auth, body: { [key]: { comment } } });
        assert.equal(r.status, 200, show(r));
    }
    const r = await desk.api('PUT', `tickets/${id}.json`, { auth: u.agent, body: { ticket: { status, resolution } } });
    assert.equal(r.status, 200, show(r));
    return id;
}

async function similar(id, query = '', auth = u.agent) {
    const r = await desk.api('GET', `tickets/${id}/similar.json${query}`, { auth });
    assert.equal(r.status, 200, show(r));
    return r.json.similar_tickets;
}

test('solved tickets like this one, same language first, then by similarity', async () => {
    const list = await similar(t.source);
    const ids = list.map((s) => s.ticket.id);
    assert.ok(!ids.includes(t.source), 'never the ticket itself');
    assert.ok(!ids.includes(t.open), 'open tickets are not solutions');
    assert.ok(!ids.includes(t.deleted), 'deleted tickets are gone');
    assert.ok(!ids.includes(t.unrelated), 'nothing in common, not listed');
    // Same language (en, en-GB, en-US share "en") before the closer Spanish one.
    const es = ids.indexOf(t.esStrong);
    assert.ok(es > 0, `the Spanish ticket is listed: ${ids}`);
    for (const id of [t.enResolved, t.enReply, t.enWeak, t.closedCustomerLast]) {
        assert.ok(ids.includes(id), `${id} listed in ${ids}`);
        assert.ok(ids.indexOf(id) < es, `${id} (same language) before the Spanish one: ${ids}`);
    }
    assert.ok(list.slice(0, es).every((s) => s.same_language));
    assert.equal(list[es].same_language, false);
    // Within the same language, more words in common rank higher.
    assert.ok(ids.indexOf(t.enResolved) < ids.indexOf(t.enWeak), `cracked lid before descaling: ${ids}`);
    const scores = list.slice(0, es).map((s) => s.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'scores descend within a language');
});

test('each comes with what was done: the resolution, else the last public staff reply', async () => {
    const list = await similar(t.source);
    const by = Object.fromEntries(list.map((s) => [s.ticket.id, s]));
    const r1 = by[t.enResolved];
    assert.equal(r1.ticket.status, 'solved');
    assert.equal(r1.ticket.subject, 'Kettle lid cracked on arrival');
    assert.equal(r1.resolution.source, 'resolution');
    assert.equal(r1.resolution.category, 'replacement');
    assert.equal(r1.resolution.note, 'Sent a new lid by courier');
    const r2 = by[t.enReply].resolution;
    assert.equal(r2.source, 'last_public_reply');
    assert.equal(r2.note, 'Tighten the hinge screw with a coin.', 'internal notes are not replies');
    assert.equal(r2.author_id, u.agent.id);
    assert.equal(by[t.esStrong].resolution.author_id, u.agent2.id);
    const r3 = by[t.closedCustomerLast];
    assert.equal(r3.ticket.status, 'closed');
    assert.equal(r3.resolution.note, 'We refunded you.', "the customer's thanks is not what was done");
    // A solved ticket with no reply and no resolution has nothing to show (its description,
    // logged by an agent, is not a reply).
    assert.equal(by[t.enWeak].resolution, null);
});

test('limit, errors and who may ask', async () => {
    assert.equal((await similar(t.source, '?limit=2')).length, 2);
    for (const q of ['?limit=0', '?limit=51', '?limit=x']) {
        assert.equal((await desk.api('GET', `tickets/${t.source}/similar.json${q}`, { auth: u.agent })).status, 400, q);
    }
    assert.equal((await desk.api('GET', 'tickets/999999/similar.json', { auth: u.agent })).status, 404);
    assert.equal((await desk.api('GET', `tickets/${t.deleted}/similar.json`, { auth: u.agent })).status, 404);
    assert.equal((await desk.api('GET', `tickets/${t.source}/similar.json`, { auth: u.customer })).status, 403);
    // Diacritics and case do not matter; punctuation-only text finds nothing and does not fail.
    const cz = await create('PŘÍLIŠ ŽLUŤOUČKÝ KŮŇ', 'Příliš žluťoučký kůň úpěl ďábelské ódy.', 'cs');
    const czSolved = await solved('prilis zlutoucky kun', 'prilis zlutoucky kun upel', 'cs', {});
    const found = await similar(cz);
    assert.equal(found[0].ticket.id, czSolved, show({ status: 200, text: JSON.stringify(found) }));
    const blank = await create('???', '!!! ... ---', 'en');
    assert.deepEqual(await similar(blank), []);
    const quotes = await create('"kettle" OR lid*', 'NEAR(kettle lid) {subject}: "unbalanced', 'en');
    assert.ok((await similar(quotes)).length > 0, 'FTS syntax in the text is only words');
});

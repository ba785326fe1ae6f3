// The permission policy as a table: for each role (anonymous, end-user, agent,
// supervisor, admin) and a representative request per endpoint family, the
// status the server must answer. Every role gets its own fresh targets so that
// deletes and promotions by one role do not change what the next one sees.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, addStandardUsers, basicToken, basicPassword, bearer, show } from './lib/desk.mjs';

const ROLES = ['anonymous', 'end-user', 'agent', 'supervisor', 'admin'];
let desk;
let u;
let shared;

async function must(method, path, body, status = [200, 201]) {
    const r = await desk.api(method, path, { auth: u.admin, body });
    assert.ok([].concat(status).includes(r.status), `fixture ${method} ${path}: ${show(r)}`);
    return r.json;
}

/** Fresh targets for one role, created by the admin. */
async function fixture(role) {
    const tag = role.replace(/[^a-z]/g, '');
    const ticket = async (subject) =>
        (await must('POST', 'tickets.json', {
            ticket: { subject, comment: { body: `body of ${subject}` }, requester_id: u.customer.id },
        })).ticket.id;
    const user = async (name) =>
        (await must('POST', 'users.json', { user: { name, email: `${name}@fixture.example`, role: 'end-user' } })).user.id;
    const group = async (name) => (await must('POST', 'groups.json', { group: { name } })).group.id;
    const org = async (name) => (await must('POST', 'organizations.json', { organization: { name } })).organization.id;
    const fx = { tag };
    fx.ticket = await ticket(`perm ticket ${tag}`);
    fx.ticketDel = await ticket(`perm ticket to delete ${tag}`);
    fx.userUpd = await user(`upd-${tag}`);
    fx.userPromote = await user(`promote-${tag}`);
    fx.userPromoteSup = await user(`promotesup-${tag}`);
    fx.userPromoteAdmin = await user(`promoteadmin-${tag}`);
    fx.userDel = await user(`del-${tag}`);
    fx.staffAgent = (await must('POST', 'users.json', { user: { name: `staff-${tag}`, email: `staff-${tag}@fixture.example`, role: 'agent' } })).user.id;
    fx.staffAdmin = (await must('POST', 'users.json', { user: { name: `boss-${tag}`, email: `boss-${tag}@fixture.example`, role: 'admin' } })).user.id;
    fx.job = (await must('PUT', `tickets/update_many.json?ids=${fx.ticket}`, { ticket: { tags: ['job'] } })).job_status.id;
    fx.group = await group(`perm group ${tag}`);
    fx.groupEmpty = await group(`perm empty group ${tag}`);
    fx.groupDel = await group(`perm group to delete ${tag}`);
    fx.groupNested = await group(`perm nested group ${tag}`);
    fx.membership = (await must('POST', 'group_memberships.json', {
        group_membership: { user_id: u.agent2.id, group_id: fx.group },
    })).group_membership.id;
    fx.org = await org(`perm org ${tag}`);
    fx.orgDel = await org(`perm org to delete ${tag}`);
    fx.self = { anonymous: u.customer.id, 'end-user': u.customer.id, agent: u.agent.id, supervisor: u.supervisor.id, admin: u.admin.id }[role];
    return fx;
}

// [name, method, path(fx), body(fx) | undefined, [anonymous, end-user, agent, supervisor, admin]]
// null = not part of the policy: only "no 5xx, and no 401 when authenticated" is checked.
const MATRIX = [
    ['healthz', 'GET', () => '/healthz', undefined, [200, 200, 200, 200, 200]],
    ['metrics', 'GET', () => '/metrics', undefined, [200, 200, 200, 200, 200]],
    ['unknown api path', 'GET', () => 'no_such_thing.json', undefined, [401, 404, 404, 404, 404]],

    ['users/me', 'GET', () => 'users/me.json', undefined, [401, 200, 200, 200, 200]],
    ['users/me without .json', 'GET', () => 'users/me', undefined, [401, 200, 200, 200, 200]],
    ['own user', 'GET', (fx) => `users/${fx.self}.json`, undefined, [401, 200, 200, 200, 200]],
    ['another user', 'GET', () => `users/${u.customer2.id}.json`, undefined, [401, 403, 200, 200, 200]],
    ['list users', 'GET', () => 'users.json', undefined, [401, 403, 200, 200, 200]],
    ['search users', 'GET', () => 'users/search.json?query=carol', undefined, [401, 403, 200, 200, 200]],
    ['show_many users', 'GET', () => `users/show_many.json?ids=${u.agent.id},${u.customer.id}`, undefined, [401, 403, 200, 200, 200]],
    ['create end-user', 'POST', () => 'users.json', (fx) => ({ user: { name: `New ${fx.tag}`, email: `new-eu-${fx.tag}@perm.example` } }), [401, 403, 201, 201, 201]],
    ['update end-user', 'PUT', (fx) => `users/${fx.userUpd}.json`, () => ({ user: { name: 'Renamed Customer' } }), [401, 403, 200, 200, 200]],
    ['create agent', 'POST', () => 'users.json', (fx) => ({ user: { name: `Agent ${fx.tag}`, email: `new-agent-${fx.tag}@perm.example`, role: 'agent' } }), [401, 403, 403, 201, 201]],
    ['create supervisor', 'POST', () => 'users.json', (fx) => ({ user: { name: `Sup ${fx.tag}`, email: `new-sup-${fx.tag}@perm.example`, role: 'agent', desk_role: 'supervisor' } }), [401, 403, 403, 201, 201]],
    ['create admin', 'POST', () => 'users.json', (fx) => ({ user: { name: `Admin ${fx.tag}`, email: `new-admin-${fx.tag}@perm.example`, role: 'admin' } }), [401, 403, 403, 403, 201]],
    ['promote end-user to agent', 'PUT', (fx) => `users/${fx.userPromote}.json`, () => ({ user: { role: 'agent' } }), [401, 403, 403, 200, 200]],
    ['promote end-user to supervisor', 'PUT', (fx) => `users/${fx.userPromoteSup}.json`, () => ({ user: { role: 'agent', desk_role: 'supervisor' } }), [401, 403, 403, 200, 200]],
    ['promote end-user to admin', 'PUT', (fx) => `users/${fx.userPromoteAdmin}.json`, () => ({ user: { role: 'admin' } }), [401, 403, 403, 403, 200]],
    ['demote an agent', 'PUT', (fx) => `users/${fx.staffAgent}.json`, () => ({ user: { role: 'end-user' } }), [401, 403, 403, 200, 200]],
    ['demote an admin', 'PUT', (fx) => `users/${fx.staffAdmin}.json`, () => ({ user: { role: 'agent' } }), [401, 403, 403, 403, 200]],
    ['delete user', 'DELETE', (fx) => `users/${fx.userDel}.json`, undefined, [401, 403, 403, 403, 200]],

    ['list tickets', 'GET', () => 'tickets.json', undefined, [401, 403, 200, 200, 200]],
    ['list tickets (cursor)', 'GET', () => 'tickets.json?page[size]=5', undefined, [401, 403, 200, 200, 200]],
    ['show ticket (own request)', 'GET', (fx) => `tickets/${fx.ticket}.json`, undefined, [401, 403, 200, 200, 200]],
    ['show_many tickets', 'GET', (fx) => `tickets/show_many.json?ids=${fx.ticket},${fx.ticketDel}`, undefined, [401, 403, 200, 200, 200]],
    ['ticket comments', 'GET', (fx) => `tickets/${fx.ticket}/comments.json`, undefined, [401, 403, 200, 200, 200]],
    ['ticket audits', 'GET', (fx) => `tickets/${fx.ticket}/audits.json`, undefined, [401, 403, 200, 200, 200]],
    ['create ticket', 'POST', () => 'tickets.json', (fx) => ({ ticket: { subject: `created by ${fx.tag}`, comment: { body: 'hello' }, requester_id: u.customer.id } }), [401, 403, 201, 201, 201]],
    ['update ticket', 'PUT', (fx) => `tickets/${fx.ticket}.json`, () => ({ ticket: { priority: 'high', comment: { body: 'internal', public: false } } }), [401, 403, 200, 200, 200]],
    ['create_many tickets', 'POST', () => 'tickets/create_many.json', (fx) => ({ tickets: [{ subject: `bulk ${fx.tag}`, comment: { body: 'b' }, requester_id: u.customer.id }] }), [401, 403, 200, 200, 200]],
    ['update_many tickets', 'PUT', (fx) => `tickets/update_many.json?ids=${fx.ticket}`, () => ({ ticket: { priority: 'low' } }), [401, 403, 200, 200, 200]],
    ['delete ticket', 'DELETE', (fx) => `tickets/${fx.ticketDel}.json`, undefined, [401, 403, 403, 204, 204]],

    ['job status', 'GET', (fx) => `job_statuses/${fx.job}.json`, undefined, [401, 403, 200, 200, 200]],
    ['search', 'GET', () => 'search.json?query=perm', undefined, [401, 403, 200, 200, 200]],
    ['search without .json', 'GET', () => 'search?query=perm', undefined, [401, 403, 200, 200, 200]],
    ['incremental tickets', 'GET', () => 'incremental/tickets.json?start_time=0', undefined, [401, 403, null, null, 200]],
    ['incremental tickets cursor', 'GET', () => 'incremental/tickets/cursor.json?start_time=0', undefined, [401, 403, null, null, 200]],

    ['list own requests', 'GET', () => 'requests.json', undefined, [401, 200, null, null, null]],
    ['show own request', 'GET', () => `requests/${shared.customerRequest}.json`, undefined, [401, 200, null, null, null]],
    ['own request comments', 'GET', () => `requests/${shared.customerRequest}/comments.json`, undefined, [401, 200, null, null, null]],
    ["another customer's request", 'GET', () => `requests/${shared.customer2Request}.json`, undefined, [401, 404, null, null, null]],
    ['create request', 'POST', () => 'requests.json', (fx) => ({ request: { subject: `request by ${fx.tag}`, comment: { body: 'please help' } } }), [401, 201, null, null, null]],
    ['comment on own request', 'PUT', () => `requests/${shared.customerRequest}.json`, () => ({ request: { comment: { body: 'any news?' } } }), [401, 200, null, null, null]],

    ['list organizations', 'GET', () => 'organizations.json', undefined, [401, 403, 200, 200, 200]],
    ['show organization', 'GET', (fx) => `organizations/${fx.org}.json`, undefined, [401, 403, 200, 200, 200]],
    ['create organization', 'POST', () => 'organizations.json', (fx) => ({ organization: { name: `New org ${fx.tag}` } }), [401, 403, 201, 201, 201]],
    ['update organization', 'PUT', (fx) => `organizations/${fx.org}.json`, (fx) => ({ organization: { notes: `noted by ${fx.tag}` } }), [401, 403, 200, 200, 200]],
    ['delete organization', 'DELETE', (fx) => `organizations/${fx.orgDel}.json`, undefined, [401, 403, 403, 204, 204]],

    ['list groups', 'GET', () => 'groups.json', undefined, [401, 403, 200, 200, 200]],
    ['show group', 'GET', (fx) => `groups/${fx.group}.json`, undefined, [401, 403, 200, 200, 200]],
    ['create group', 'POST', () => 'groups.json', (fx) => ({ group: { name: `New group ${fx.tag}` } }), [401, 403, 403, 201, 201]],
    ['update group', 'PUT', (fx) => `groups/${fx.group}.json`, (fx) => ({ group: { description: `described by ${fx.tag}` } }), [401, 403, 403, 200, 200]],
    ['delete group', 'DELETE', (fx) => `groups/${fx.groupDel}.json`, undefined, [401, 403, 403, 204, 204]],

    ['list group memberships', 'GET', () => 'group_memberships.json', undefined, [401, 403, 200, 200, 200]],
    ["a user's group memberships", 'GET', () => `users/${u.agent2.id}/group_memberships.json`, undefined, [401, 403, 200, 200, 200]],
    ["a group's memberships", 'GET', (fx) => `groups/${fx.group}/memberships.json`, undefined, [401, 403, 200, 200, 200]],
    ["a user's memberships, nested create", 'POST', () => `users/${u.agent2.id}/group_memberships.json`, (fx) => ({ group_membership: { user_id: u.agent2.id, group_id: fx.groupNested } }), [401, 403, 403, 201, 201]],
    ['create group membership', 'POST', () => 'group_memberships.json', (fx) => ({ group_membership: { user_id: u.agent2.id, group_id: fx.groupEmpty } }), [401, 403, 403, 201, 201]],
    ['delete group membership', 'DELETE', (fx) => `group_memberships/${fx.membership}.json`, undefined, [401, 403, 403, 204, 204]],
];

before(async () => {
    desk = await Desk.create('permissions');
    u = await addStandardUsers(desk);
    await desk.start();
    const req = async (requester, subject) =>
        (await must('POST', 'tickets.json', { ticket: { subject, comment: { body: subject }, requester_id: requester.id } })).ticket.id;
    shared = {
        customerRequest: await req(u.customer, 'customer request'),
        customer2Request: await req(u.customer2, 'customer2 request'),
    };
});

after(async () => {
    await desk?.stop();
});

const authFor = (role) =>
    ({ anonymous: undefined, 'end-user': u.customer, agent: u.agent, supervisor: u.supervisor, admin: u.admin })[role];

for (const [roleIndex, role] of ROLES.entries()) {
    test(`permission matrix as ${role}`, async () => {
        const fx = await fixture(role);
        const problems = [];
        for (const [name, method, pathFn, bodyFn, expected] of MATRIX) {
            const path = pathFn(fx);
            const body = bodyFn ? bodyFn(fx) : undefined;
            const want = expected[roleIndex];
            const r = await desk.api(method, path, { auth: authFor(role), body });
            const where = `${role}: ${name}: ${method} ${path}${body ? ' ' + JSON.stringify(body) : ''}`;
            if (want === null) {
                if (r.status >= 500 || r.status === 401) {
                    problems.push(`${where}: expected no 401/5xx, got ${show(r)}`);
                }
                continue;
            }
            if (r.status !== want) {
                problems.push(`${where}: expected ${want}, got ${show(r)}`);
                continue;
            }
            if (!path.startsWith('/') && r.status !== 204) {
                const ct = r.headers.get('content-type') || '';
                if (ct !== 'application/json; charset=utf-8') {
                    problems.push(`${where}: Content-Type ${JSON.stringify(ct)}, expected application/json; charset=utf-8`);
                }
            }
            if (r.status === 401 && !(r.json && r.json.error === "Couldn't authenticate you")) {
                problems.push(`${where}: 401 body should be {"error":"Couldn't authenticate you"}, got ${r.text}`);
            }
            if (r.status === 403 && !(r.json && r.json.error === 'Forbidden')) {
                problems.push(`${where}: 403 body should have error "Forbidden", got ${r.text}`);
            }
            if (r.status === 404 && !(r.json && r.json.error === 'RecordNotFound')) {
                problems.push(`${where}: 404 body should have error "RecordNotFound", got ${r.text}`);
            }
            if (r.status === 204 && r.text !== '') {
                problems.push(`${where}: 204 with a body ${JSON.stringify(r.text)}`);
            }
            if (name === 'create supervisor' && r.status === 201 && r.json?.user?.desk_role !== 'supervisor') {
                problems.push(`${where}: created user should have desk_role "supervisor" and role "agent", got ${r.text}`);
            }
            if (name === 'delete user' && r.status === 200 && r.json?.user?.active !== false) {
                problems.push(`${where}: deleted user should come back with active:false, got ${r.text}`);
            }
        }
        assert.deepEqual(problems, [], `${problems.length} permission mismatches:\n${problems.join('\n')}`);
    });
}

test('every auth form works for every role on /users/me', async () => {
    const problems = [];
    for (const key of ['admin', 'supervisor', 'agent', 'customer']) {
        const user = u[key];
        for (const [form, header] of [
            ['basic token', basicToken(user.email, user.token)],
            ['basic password', basicPassword(user.email, user.password)],
            ['bearer', bearer(user.token)],
        ]) {
            const r = await desk.api('GET', 'users/me.json', { auth: header });
            if (r.status !== 200 || r.json?.user?.id !== user.id) {
                problems.push(`${key} with ${form}: ${show(r)}`);
            }
        }
    }
    assert.deepEqual(problems, []);
});

test('wire roles: a supervisor shows role agent and desk_role supervisor', async () => {
    const expect = {
        admin: ['admin', 'admin'],
        supervisor: ['agent', 'supervisor'],
        agent: ['agent', 'agent'],
        customer: ['end-user', 'end-user'],
    };
    for (const [key, [role, deskRole]] of Object.entries(expect)) {
        const r = await desk.api('GET', `users/${u[key].id}.json`, { auth: u.admin });
        assert.equal(r.status, 200, show(r));
        assert.equal(r.json.user.role, role, `${key}.role`);
        assert.equal(r.json.user.desk_role, deskRole, `${key}.desk_role`);
    }
});

test('an end user cannot raise their own role', async () => {
    const r = await desk.api('PUT', `users/${u.customer2.id}.json`, { auth: u.customer2, body: { user: { role: 'admin' } } });
    assert.equal(r.status, 403, show(r));
    const me = await desk.api('GET', 'users/me.json', { auth: u.customer2 });
    assert.equal(me.json.user.role, 'end-user');
});

test('an agent cannot demote or edit an admin', async () => {
    const r = await desk.api('PUT', `users/${u.admin.id}.json`, { auth: u.agent, body: { user: { role: 'end-user' } } });
    assert.equal(r.status, 403, show(r));
    const me = await desk.api('GET', 'users/me.json', { auth: u.admin });
    assert.equal(me.json.user.role, 'admin');
});

test('role fields cannot be smuggled past the policy', async () => {
    const problems = [];
    const tries = [
        ['agent', { role: 'end-user', desk_role: 'admin' }],
        ['agent', { role: 'end-user', desk_role: 'supervisor' }],
        ['agent', { role: 'end-user', desk_role: 'agent' }],
        ['agent', { desk_role: 'admin' }],
        ['supervisor', { role: 'agent', desk_role: 'admin' }],
        ['supervisor', { role: 'admin', desk_role: 'agent' }],
        ['supervisor', { role: 'ADMIN' }],
    ];
    for (const [i, [who, fields]] of tries.entries()) {
        const email = `smuggle${i}@perm.example`;
        const r = await desk.api('POST', 'users.json', { auth: u[who], body: { user: { name: `Smuggle ${i}`, email, ...fields } } });
        const ceiling = who === 'agent' ? ['end-user'] : ['end-user', 'agent', 'supervisor'];
        if (r.status === 201) {
            if (!ceiling.includes(r.json.user.desk_role)) {
                problems.push(`${who} created ${JSON.stringify(fields)} -> desk_role ${r.json.user.desk_role}`);
            }
        } else if (![403, 422].includes(r.status)) {
            problems.push(`${who} POST users ${JSON.stringify(fields)}: expected 201 (within role), 403 or 422, got ${show(r)}`);
        }
    }
    // Updates: an agent may edit an end user, but not make them staff through desk_role.
    const target = (await must('POST', 'users.json', { user: { name: 'Smuggle Target', email: 'smuggle-target@perm.example' } })).user.id;
    for (const fields of [{ desk_role: 'admin' }, { desk_role: 'agent' }, { role: 'end-user', desk_role: 'supervisor' }]) {
        const r = await desk.api('PUT', `users/${target}.json`, { auth: u.agent, body: { user: fields } });
        const now = await desk.api('GET', `users/${target}.json`, { auth: u.admin });
        if (now.json.user.desk_role !== 'end-user') {
            problems.push(`agent PUT ${JSON.stringify(fields)} (${r.status}) made the user ${now.json.user.desk_role}`);
        }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
});

test('X-On-Behalf-Of never raises privileges', async () => {
    const r1 = await desk.api('GET', 'tickets.json', { auth: u.customer, headers: { 'X-On-Behalf-Of': u.admin.email } });
    assert.equal(r1.status, 403, `end user acting as admin: ${show(r1)}`);
    const t = (await must('POST', 'tickets.json', { ticket: { subject: 'obo', comment: { body: 'x' } } })).ticket.id;
    const r2 = await desk.api('DELETE', `tickets/${t}.json`, { auth: u.agent, headers: { 'X-On-Behalf-Of': u.admin.email } });
    assert.equal(r2.status, 403, `agent acting as admin: ${show(r2)}`);
    const r3 = await desk.api('POST', 'users.json', { auth: u.agent, headers: { 'X-On-Behalf-Of': u.admin.email }, body: { user: { name: 'Obo Admin', email: 'obo-admin@perm.example', role: 'admin' } } });
    assert.equal(r3.status, 403, show(r3));
});

test('a deleted user can no longer authenticate, in any form', async () => {
    const victim = await desk.addUser('leaver', { role: 'agent', name: 'Lee Leaver', password: 'Leaver-Pw-123!' });
    let r = await desk.api('GET', 'users/me.json', { auth: victim });
    assert.equal(r.status, 200, show(r));
    r = await desk.api('DELETE', `users/${victim.id}.json`, { auth: u.admin });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.json.user.active, false);
    for (const [form, header] of [
        ['basic token', basicToken(victim.email, victim.token)],
        ['basic password', basicPassword(victim.email, victim.password)],
        ['bearer', bearer(victim.token)],
    ]) {
        const x = await desk.api('GET', 'tickets.json', { auth: header });
        assert.equal(x.status, 401, `deleted user with ${form}: ${show(x)}`);
    }
    const again = await desk.api('GET', `users/${victim.id}.json`, { auth: u.admin });
    assert.equal(again.status, 200, 'a deleted user is still readable by staff');
    assert.equal(again.json.user.active, false);
});

test('a user created without a password cannot log in with an empty one', async () => {
    const nopw = await desk.addUser('nopassword', { role: 'agent', name: 'No Password' });
    for (const pw of ['', ' ', 'null', 'undefined']) {
        const r = await desk.api('GET', 'users/me.json', { auth: basicPassword(nopw.email, pw) });
        assert.equal(r.status, 401, `password ${JSON.stringify(pw)}: ${show(r)}`);
    }
    const ok = await desk.api('GET', 'users/me.json', { auth: nopw });
    assert.equal(ok.status, 200);
});

test('auth e-mail matching is case-insensitive but the token must match exactly', async () => {
    const r = await desk.api('GET', 'users/me.json', { auth: basicToken(u.agent.email.toUpperCase(), u.agent.token) });
    assert.ok([200, 401].includes(r.status), show(r));
    if (r.status === 200) {
        assert.equal(r.json.user.id, u.agent.id);
    }
    const flipped = u.agent.token.slice(0, -1) + (u.agent.token.endsWith('A') ? 'B' : 'A');
    const bad = await desk.api('GET', 'users/me.json', { auth: basicToken(u.agent.email, flipped) });
    assert.equal(bad.status, 401, show(bad));
    const upper = await desk.api('GET', 'users/me.json', { auth: bearer(u.agent.token.toUpperCase() === u.agent.token ? u.agent.token.toLowerCase() : u.agent.token.toUpperCase()) });
    assert.equal(upper.status, 401, `token compared case-insensitively: ${show(upper)}`);
});

test('passwords containing colons and non-ASCII work with Basic auth', async () => {
    const odd = await desk.addUser('oddpw', { role: 'agent', name: 'Odd Password', password: 'pa:ss:wörd ünïcode' });
    const r = await desk.api('GET', 'users/me.json', { auth: basicPassword(odd.email, odd.password) });
    assert.equal(r.status, 200, show(r));
    const bad = await desk.api('GET', 'users/me.json', { auth: basicPassword(odd.email, 'pa') });
    assert.equal(bad.status, 401, show(bad));
});

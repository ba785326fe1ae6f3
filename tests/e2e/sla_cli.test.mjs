// `desk sla due`: an admin checks a schedule before using it. The due time is
// printed in the zone and in UTC with the explanation; bad input is a usage
// error (exit 2) naming what is wrong.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { DESK_BIN } from './lib/desk.mjs';

function due(args) {
    const r = spawnSync(DESK_BIN, ['sla', 'due', ...args], { encoding: 'utf8', timeout: 10_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

test('due across the spring DST weekend with a Saturday interval', () => {
    const r = due(['--tz', 'Europe/Prague', '--hours', 'mon-fri 09:00-17:00,sat 10:00-14:00',
        '--start', '2026-03-27T16:30', '--business-minutes', '600']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^due {6}Mon 2026-03-30T14:30\+02:00 Europe\/Prague$/m);
    assert.match(r.out, /^due_utc {2}2026-03-30T12:30:00Z$/m);
    assert.match(r.out, /clocks changed at Sun 2026-03-29 03:00 \(UTC\+01:00 to UTC\+02:00\)/);
});

test('repeated --holiday skips each day, a range skips all of it', () => {
    const r = due(['--tz', 'America/New_York', '--hours', 'mon-fri 09:00-17:00',
        '--holiday', '2026-11-26', '--holiday', '2026-11-27..2026-11-30',
        '--start', '2026-11-25T16:00', '--business-minutes', '120']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^due {6}Tue 2026-12-01T10:00-05:00 America\/New_York$/m);
    assert.match(r.out, /skipped holiday Thu 2026-11-26/);
    assert.match(r.out, /skipped holiday Mon 2026-11-30/);
});

test('exactly at closing is due at closing', () => {
    const r = due(['--tz', 'Australia/Sydney', '--hours', 'mon-fri 09:00-17:00',
        '--start', '2026-04-03T09:00', '--business-minutes', '480']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^due {6}Fri 2026-04-03T17:00\+11:00 Australia\/Sydney$/m);
});

test('bad input is a usage error naming the problem', () => {
    const cases = [
        [['--tz', 'Mars/Olympus', '--hours', 'mon 09:00-17:00', '--start', '2026-01-05T09:00', '--business-minutes', '5'], /not a known IANA time zone/],
        [['--tz', 'UTC', '--hours', 'mon 09:00-09:10', '--start', '2026-01-05T09:00', '--business-minutes', '5'], /shorter than 15 minutes/],
        [['--tz', 'UTC', '--hours', 'mon 09:00-12:00,mon 11:00-13:00', '--start', '2026-01-05T09:00', '--business-minutes', '5'], /overlaps/],
        [['--tz', 'UTC', '--hours', 'someday 09:00-12:00', '--start', '2026-01-05T09:00', '--business-minutes', '5'], /Hours: expected a day/],
        [['--tz', 'UTC', '--hours', 'mon 09:00-12:00', '--holiday', '2026-13-01', '--start', '2026-01-05T09:00', '--business-minutes', '5'], /--holiday/],
        [['--tz', 'UTC', '--hours', 'mon 09:00-12:00', '--holiday', '2026-01-09..2026-01-02', '--start', '2026-01-05T09:00', '--business-minutes', '5'], /ends before it starts/],
        [['--tz', 'UTC', '--hours', 'mon 09:00-12:00', '--start', 'tomorrow', '--business-minutes', '5'], /--start/],
        [['--tz', 'UTC', '--hours', 'mon 09:00-12:00', '--start', '2026-01-05T09:00', '--business-minutes', '0'], /usage/],
    ];
    for (const [args, re] of cases) {
        const r = due(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
        assert.match(r.err, re, args.join(' '));
        assert.equal(r.out, '');
    }
});

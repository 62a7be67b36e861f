import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, json, signup, type Session } from './helpers';

/** Junk a client might send to the follow-up routes: never a 5xx, always problem+json. */
const junk = (keys: string[]) =>
  fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .record(
        Object.fromEntries(
          keys.map((k) => [
            k,
            fc.oneof(
              fc.string({ maxLength: 60 }),
              fc.jsonValue(),
              fc.constant(null),
              fc.integer(),
              fc.constantFrom('2027-13-40', '9999-12-31', '0001-01-01', '2027-03-28T01:30:00+01:00', 'FREQ=WEEKLY;BYDAY=XX', 'FREQ=MONTHLY;UNTIL=99999999', 'Europe/Berlin', '24:00'),
            ),
          ]),
        ),
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 120 }),
  );

let owner: Session;
let taskId: string;
beforeAll(async () => {
  owner = await signup({ workspaceName: 'Fuzzy Follow-ups' });
  taskId = (await json<{ id: string }>(await api('/tasks', { as: owner, body: { title: 'Fuzz target', dueDate: '9999-12-31', recurrence: 'FREQ=DAILY' } }), 201)).id;
});

const cases: [string, string, string[]][] = [
  ['POST', '/tasks', ['title', 'type', 'dueAt', 'dueDate', 'timezone', 'reminderOffsets', 'recurrence', 'priority', 'ownerId', 'contactId']],
  ['POST', '/cadences', ['name', 'trigger', 'triggerValue', 'stopOn', 'steps']],
  ['PUT', '/me/reminder-preferences', ['emailMode', 'digestHour', 'quietStart', 'quietEnd']],
  ['PUT', '/settings/reminders', ['rules']],
  ['POST', '/tasks/{id}/snooze', ['minutes', 'until']],
  ['POST', '/tasks/{id}/reschedule', ['dueAt', 'dueDate']],
];

describe('junk input to follow-up routes never produces a 5xx', () => {
  it.each(cases)('%s %s', async (method, path, keys) => {
    await fc.assert(
      fc.asyncProperty(junk(keys), async (body) => {
        const res = await api(path.replace('{id}', taskId), { as: owner, method, raw: body, headers: { 'content-type': 'application/json' } });
        expect(res.status, body).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/problem\+json/);
        await res.body?.cancel();
      }),
      { numRuns: 60 },
    );
  });

  it('completing the last representable day ends the series instead of failing', async () => {
    // Its own task: the fuzzed edits above may have given the shared target a valid due date.
    const last = await json<{ id: string }>(await api('/tasks', { as: owner, body: { title: 'Last day', dueDate: '9999-12-31', recurrence: 'FREQ=DAILY' } }), 201);
    const done = await json<{ next: unknown }>(await api(`/tasks/${last.id}/complete`, { as: owner, body: {} }), 200);
    expect(done.next).toBeNull();
  });

  it('junk query strings on the lists are 4xx or 200', async () => {
    for (const qs of ['?from=2027-02-30', '?status=maybe', '?limit=0', '?cursor=%%%', '?type=call,fax', '?overdue=yes']) {
      const res = await api(`/tasks${qs}`, { as: owner });
      expect(res.status, qs).toBeLessThan(500);
      await res.body?.cancel();
    }
    for (const qs of ['?from=2027-01-01', '?from=2027-02-01&to=2027-01-01', '?from=x&to=y']) {
      const res = await api(`/tasks/calendar${qs}`, { as: owner });
      expect(res.status, qs).toBe(422);
      await res.body?.cancel();
    }
  });
});

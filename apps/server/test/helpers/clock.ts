/**
 * The tests' "now". A test that involves dates takes today from here, and the app under test gets
 * the same clock (createTestContext passes it to buildApp), so the two never disagree.
 *
 * TEST_NOW pins the start to an instant of our choosing (ISO 8601, e.g.
 * `TEST_NOW=2027-02-05T16:05:00Z`, 00:05 on 春节 eve in China); the clock then runs on at the
 * real pace, so timeouts and durations still behave. CI runs the date-sensitive tests once more
 * at such awkward moments (.ci/run): just after midnight China time, a Sunday, the last day of a
 * month, a festival. Without TEST_NOW it is the system clock.
 *
 * Only the application's clock moves: PostgreSQL's now() (row timestamps by default) stays real,
 * so a test under TEST_NOW must not compare a row's created_at with the app's "now".
 */
const pinned = process.env.TEST_NOW ? Date.parse(process.env.TEST_NOW) : null;
if (pinned !== null && Number.isNaN(pinned)) throw new Error(`TEST_NOW is not an ISO 8601 instant: ${process.env.TEST_NOW}`);
const offsetMs = pinned === null ? 0 : pinned - Date.now();

/** The current instant on the tests' clock. */
export const testNow = (): Date => new Date(Date.now() + offsetMs);

/** A clock that stands still at `at` (for unit tests of services that take `clock`). */
export const fixedClock = (at: Date | string) => {
  const t = new Date(at).getTime();
  return () => new Date(t);
};

/**
 * The schedule port over routing's schedules: what the lead wires for real calls and what
 * the simulator builds from a configuration file. A schedule that is closed for a public
 * holiday or one of its own closed dates answers `holiday`; closed outside its hours,
 * `closed`.
 */
import type { HolidayCalendar } from '../routing/holidays.js';
import { evaluateSchedule, type Schedule } from '../routing/schedule.js';
import { IvrError } from './errors.js';
import type { ScheduleStatePort, ScheduleStateValue } from './types.js';

export function routingScheduleState(
  schedules: Readonly<Record<string, Schedule>>,
  calendar: HolidayCalendar,
  timeZone: string,
): ScheduleStatePort {
  return (name, instant): ScheduleStateValue => {
    const schedule = Object.hasOwn(schedules, name) ? schedules[name] : undefined;
    if (schedule === undefined)
      throw new IvrError('IVR_PORT_FAILED', `no schedule ${JSON.stringify(name)} is configured`);
    const state = evaluateSchedule(schedule, calendar, instant, timeZone);
    if (state.open) return 'open';
    return state.reason === 'holiday' || state.reason === 'closed-date' ? 'holiday' : 'closed';
  };
}

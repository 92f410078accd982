/**
 * EventBridge Scheduler's daily reminder schedule, on the local stack: the long-running service
 * (`invoicer local up`, `invoicer serve`) looks every few minutes whether today's job has run (the
 * day it last ran is kept in the data dir) and, from the scheduled hour on, runs it once for today
 * in the billing time zone. A stack that was down for days runs today's job only: the job itself
 * sends the latest step an invoice reached, never a backlog.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDateOf } from '../../lambdas/shared/domain/periods.js';
import { parseStoredJson } from '../../lambdas/shared/edge/safe-json.js';
import type { ReminderJobResult } from '../../lambdas/shared/operations/send-reminders.js';

export const REMINDERS_STATE_FILE = 'reminders-last-run.json';
/** The schedule's hour (as the deployed `cron(0 8 * * ? *)`), in the billing time zone. */
export const REMINDERS_HOUR = 8;
const CHECK_EVERY_MS = 5 * 60_000;

/** The hour of `now` in `timeZone` (0–23). */
function hourIn(now: Date, timeZone: string): number {
  return Number(
    new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone }).format(now),
  );
}

/** The day the job should run for now, or undefined when it ran today or its hour has not come. */
export function reminderDayDue(lastRun: string | undefined, now: Date, timeZone: string): string | undefined {
  const today = localDateOf(now.toISOString(), timeZone);
  if (lastRun !== undefined && lastRun >= today) return undefined;
  return hourIn(now, timeZone) >= REMINDERS_HOUR ? today : undefined;
}

export interface DailyReminders {
  /** One look: runs the job if it is due (the timer calls this; tests call it with their clock). */
  tick(): Promise<ReminderJobResult | undefined>;
  /** Stops the timer and waits for a job under way. */
  stop(): Promise<void>;
}

export function dailyReminders(options: {
  dataDir: string;
  timeZone: string;
  run: (date: string) => Promise<ReminderJobResult>;
  now?: () => Date;
  reportError?: (error: unknown) => void;
  /** Start the timer (the service); false: `tick` only. */
  timer?: boolean;
}): DailyReminders {
  const file = join(options.dataDir, REMINDERS_STATE_FILE);
  const now = options.now ?? (() => new Date());
  const lastRun = (): string | undefined => {
    if (!existsSync(file)) return undefined;
    try {
      const state = parseStoredJson(readFileSync(file), file) as { date?: unknown };
      return typeof state.date === 'string' ? state.date : undefined;
    } catch {
      return undefined;
    }
  };
  let running: Promise<ReminderJobResult | undefined> | undefined;
  const tick = (): Promise<ReminderJobResult | undefined> => {
    running ??= (async () => {
      const day = reminderDayDue(lastRun(), now(), options.timeZone);
      if (day === undefined) return undefined;
      const result = await options.run(day);
      writeFileSync(file, `${JSON.stringify({ date: day, at: now().toISOString(), result })}\n`);
      return result;
    })().finally(() => (running = undefined));
    return running;
  };
  const timer =
    options.timer === false
      ? undefined
      : setInterval(() => void tick().catch(options.reportError ?? (() => undefined)), CHECK_EVERY_MS);
  timer?.unref();
  if (options.timer !== false) void tick().catch(options.reportError ?? (() => undefined));
  return {
    tick,
    stop: async () => {
      if (timer) clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

import { runReminders } from "~/timeliness/reminders.server";

// A worker that dies (SIGKILL, no clean-up) right after queueing its first reminder message.
await runReminders({
  now: new Date(process.argv[2]!),
  hooks: { afterReminderQueued: () => void process.kill(process.pid, "SIGKILL") },
});
process.exit(0);

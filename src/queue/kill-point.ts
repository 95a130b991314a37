/**
 * Crash injection for the reliability tests only: when `SHIPLOOP_TEST_KILL_AT` names this point,
 * the process kills itself with SIGKILL right here, as a power cut would. Unset in production.
 */
export function killPoint(name: string): void {
  if (process.env.SHIPLOOP_TEST_KILL_AT === name) process.kill(process.pid, "SIGKILL");
}

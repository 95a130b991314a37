import type { Logger } from "pino";
import { PostHog } from "posthog-node";
import type { Telemetry } from "../../domain/ports.js";

type TelemetryEvent = Parameters<Telemetry["capture"]>[0];

const CLIENT_DEADLINE_SLACK_MS = 1_000;

/** The slice of posthog-node's client that telemetry uses (a fake can stand in). */
export interface CaptureClient {
  capture(message: {
    distinctId: string;
    event: string;
    properties?: Record<string, unknown>;
  }): void;
  flush(): Promise<void>;
  shutdown(shutdownTimeoutMs?: number): Promise<void>;
}

export interface PostHogTelemetryOptions {
  host: string;
  projectApiKey: string;
  /** Whose events these are in PostHog (default `shiploop`): one "person" for all of shiploop's work. */
  distinctId?: string;
  /** Events per batch (default 20) and the longest an event waits in memory (default 10 s). */
  flushAt?: number;
  flushIntervalMs?: number;
  /** The longest `flush()` and `shutdown()` wait for PostHog (default 5 s). */
  timeoutMs?: number;
}

/**
 * shiploop's own events (`shiploop experiment shipped`, `shiploop verdict reached`) captured
 * into the team's PostHog with posthog-node, so the growth lead can chart them next to product
 * metrics. `capture` only queues (posthog-node batches in the background); nothing here throws
 * or waits on the network for a job: failures are logged and dropped. `flush()` sends what is
 * queued, bounded by a timeout; call it (or `shutdown()`) when the worker stops.
 */
export class PostHogTelemetry implements Telemetry {
  readonly mode = "live";
  private readonly distinctId: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: CaptureClient,
    private readonly logger: Logger,
    options: Pick<PostHogTelemetryOptions, "distinctId" | "timeoutMs"> = {},
  ) {
    this.distinctId = options.distinctId ?? "shiploop";
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  capture(event: TelemetryEvent, properties: Record<string, unknown>): void {
    try {
      this.client.capture({
        distinctId: this.distinctId,
        event,
        // One actor for all of shiploop's events: no person profile to create or merge.
        properties: { ...properties, $process_person_profile: false },
      });
    } catch (error) {
      this.logger.warn({ err: error, event }, "telemetry event dropped");
    }
  }

  async flush(): Promise<void> {
    await this.bounded(() => this.client.flush(), "flush");
  }

  /** Flushes and stops posthog-node's timers; the client sends nothing afterwards. */
  async shutdown(): Promise<void> {
    // posthog-node gives up silently at its own deadline; ours comes first, so events still
    // unsent when shutdown ends are always reported as dropped.
    await this.bounded(
      () => this.client.shutdown(this.timeoutMs + CLIENT_DEADLINE_SLACK_MS),
      "shutdown",
    );
  }

  private async bounded(task: () => Promise<void>, what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        task(),
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            this.logger.warn({ timeoutMs: this.timeoutMs }, `telemetry ${what} timed out`);
            resolve();
          }, this.timeoutMs);
        }),
      ]);
    } catch (error) {
      this.logger.warn({ err: error }, `telemetry ${what} failed; events dropped`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A posthog-node client for telemetry; delivery errors are logged, never thrown at a job. */
export function createPostHogTelemetry(
  options: PostHogTelemetryOptions,
  logger: Logger,
): PostHogTelemetry {
  const client = new PostHog(options.projectApiKey, {
    host: options.host,
    flushAt: options.flushAt ?? 20,
    flushInterval: options.flushIntervalMs ?? 10_000,
    requestTimeout: 10_000,
    fetchRetryCount: 3,
  });
  client.on("error", (error: unknown) => {
    logger.warn({ err: error }, "PostHog telemetry delivery failed");
  });
  return new PostHogTelemetry(client, logger, options);
}

/** Sandbox telemetry: the events go to the log only. */
export class LogTelemetry implements Telemetry {
  readonly mode = "sandbox";

  constructor(private readonly logger: Logger) {}

  capture(event: TelemetryEvent, properties: Record<string, unknown>): void {
    this.logger.info({ telemetry: event, properties }, "telemetry (sandbox: not sent)");
  }

  async flush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}

import { z } from "zod";

/** Product event names, shared by the events-file and PostHog sources; each overridable in the config file. */
export const EventNamesSchema = z.strictObject({
  signup: z.string().min(1).default("signed_up"),
  activation: z.string().min(1).default("activated"),
  invite: z.string().min(1).default("invited_teammate"),
  workflowSaved: z.string().min(1).default("saved_workflow"),
  pricingViewed: z.string().min(1).default("viewed_pricing"),
  subscriptionStarted: z.string().min(1).default("subscription_started"),
  mrrChanged: z.string().min(1).default("mrr_changed"),
  subscriptionCancelled: z.string().min(1).default("subscription_cancelled"),
});

export type EventNames = z.infer<typeof EventNamesSchema>;

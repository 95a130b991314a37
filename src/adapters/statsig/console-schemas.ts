import { z } from "zod";

/**
 * The parts of Statsig Console API responses shiploop relies on (statsig-io/docs,
 * console-api/capiopenapi.json, API version 20240601). Objects are loose: fields we do not
 * read are kept as they are, so a full-replacement write can send them back unchanged.
 */

// Mutations such as start or make_decision answer `{message}` alone.
export const EnvelopeSchema = z.looseObject({
  message: z.string().optional(),
  data: z.unknown().optional(),
});

export const ErrorBodySchema = z.looseObject({
  status: z.number().optional(),
  message: z.string().optional(),
});

export const GateRuleSchema = z.looseObject({
  name: z.string(),
  passPercentage: z.number(),
  conditions: z.array(z.looseObject({ type: z.string() })),
  environments: z.array(z.string()).nullable().optional(),
  id: z.string().optional(),
  baseID: z.string().optional(),
});
export type GateRule = z.infer<typeof GateRuleSchema>;

export const GateSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  isEnabled: z.boolean(),
  status: z.string().optional(),
  idType: z.string().optional(),
  rules: z.array(GateRuleSchema),
});
export type Gate = z.infer<typeof GateSchema>;

export const ExperimentGroupSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  size: z.number(),
});

export const ExperimentSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  status: z.string(),
  groups: z.array(ExperimentGroupSchema),
  launchedGroupID: z.string().nullable().optional(),
});
export type Experiment = z.infer<typeof ExperimentSchema>;

export const PaginationSchema = z.looseObject({
  nextPage: z.string().nullable().optional(),
  pageNumber: z.number().optional(),
  totalItems: z.number().optional(),
});

/** One Pulse metric; Statsig answers in camelCase or (older) snake_case. */
const interval = z.union([
  z.looseObject({ lower: z.number(), upper: z.number() }),
  z.tuple([z.number(), z.number()]),
]);
const num = z.number().nullable().optional();

export const PulseMetricSchema = z.looseObject({
  metricID: z.string().optional(),
  metric_id: z.string().optional(),
  metricName: z.string().optional(),
  metric_name: z.string().optional(),
  value: num,
  absoluteChange: num,
  absolute_change: num,
  percentChange: num,
  percent_change: num,
  percentConfidenceInterval: interval.nullable().optional(),
  percent_confidence_interval: interval.nullable().optional(),
  percentConfidenceIntervalDelta: num,
  percent_confidence_interval_delta: num,
  percentSequentialTestingConfidenceInterval: interval.nullable().optional(),
  percent_sequential_testing_confidence_interval: interval.nullable().optional(),
  percentSequentialTestingConfidenceIntervalDelta: num,
  percent_sequential_testing_confidence_interval_delta: num,
  testMean: num,
  test_mean: num,
  controlMean: num,
  control_mean: num,
  testUnits: num,
  test_units: num,
  controlUnits: num,
  control_units: num,
  pValue: num,
  p_value: num,
});
export type PulseMetric = z.infer<typeof PulseMetricSchema>;

const metricList = z.array(PulseMetricSchema).nullable().optional();
export const PulseResultsSchema = z.looseObject({
  ds: z.string().optional(),
  primaryMetrics: metricList,
  primary_metrics: metricList,
  secondaryMetrics: metricList,
  secondary_metrics: metricList,
  monitoringMetrics: metricList,
  monitoring_metrics: metricList,
});
export type PulseResults = z.infer<typeof PulseResultsSchema>;

export const CumulativeExposuresSchema = z.array(
  z.looseObject({
    groupID: z.string().optional(),
    group_id: z.string().optional(),
    groupName: z.string().optional(),
    group_name: z.string().optional(),
    results: z.array(z.looseObject({ date: z.string(), exposures: z.number() })),
  }),
);
export type CumulativeExposures = z.infer<typeof CumulativeExposuresSchema>;

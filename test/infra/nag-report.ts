import * as cxapi from 'aws-cdk-lib/cx-api';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from '#contracts/zod';
import { NAG_PACKS } from './synth.ts';

/**
 * How cdk-nag v3 reports: its packs are CDK policy-validation plugins (`Validations.of(app).addPlugins`),
 * so at synth CDK runs them over the templates, drops every finding acknowledged with
 * `Validations.of(scope).acknowledge()` on the resource or a scope above it, and writes
 * `validation-report.json` (cxapi.VALIDATION_REPORT_FILE) into the assembly directory: one entry per
 * plugin that found anything, with the open `violations` and the acknowledged
 * `suppressedViolations` (each with its reason). An open violation then fails the synth: in-process
 * (vitest sets NODE_ENV=test, which CDK reads as "in-memory" mode) `app.synth()` throws with the
 * report in the message; under the CDK CLI the report is printed and the exit code is 1.
 * (cdk-nag's README still names the file `policy-validation-report.json`; CDK writes that legacy
 * copy only when the `@aws-cdk/core:validationReportJson` context is true.)
 */

const ViolatingConstruct = z.object({ constructPath: z.string() });
const Violation = z.object({ ruleName: z.string(), severity: z.string(), violatingConstructs: z.array(ViolatingConstruct) });
const SuppressedViolation = z.extend(Violation, {
  acknowledgedId: z.string(),
  reason: z.optional(z.string()),
  acknowledgedAt: z.optional(z.string()),
});
const ValidationReport = z.object({
  pluginReports: z.array(
    z.object({
      pluginName: z.string(),
      conclusion: z.string(),
      violations: z.array(Violation),
      suppressedViolations: z.optional(z.array(SuppressedViolation)),
    }),
  ),
});
export type ValidationReport = z.infer<typeof ValidationReport>;

export function readValidationReport(assemblyDirectory: string): ValidationReport {
  return ValidationReport.parse(JSON.parse(readFileSync(path.join(assemblyDirectory, cxapi.VALIDATION_REPORT_FILE), 'utf8')));
}

export interface NagFinding {
  pack: string;
  rule: string;
  constructPath: string;
}

export interface AcknowledgedNagFinding extends NagFinding {
  acknowledgedId: string;
  acknowledgedAt: string;
  reason: string;
}

const nagReports = (report: ValidationReport) => report.pluginReports.filter((plugin) => NAG_PACKS.includes(plugin.pluginName));

/** The cdk-nag packs that reported anything, open or acknowledged. */
export const packsThatReported = (report: ValidationReport): string[] => nagReports(report).map((plugin) => plugin.pluginName);

/** Findings of the cdk-nag packs that no acknowledgement covers: each one fails the synth. */
export function unacknowledgedNagFindings(report: ValidationReport): NagFinding[] {
  return nagReports(report).flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map(({ constructPath }) => ({ pack: plugin.pluginName, rule: violation.ruleName, constructPath })),
    ),
  );
}

export function acknowledgedNagFindings(report: ValidationReport): AcknowledgedNagFinding[] {
  return nagReports(report).flatMap((plugin) =>
    (plugin.suppressedViolations ?? []).flatMap((violation) =>
      violation.violatingConstructs.map(({ constructPath }) => ({
        pack: plugin.pluginName,
        rule: violation.ruleName,
        constructPath,
        acknowledgedId: violation.acknowledgedId,
        acknowledgedAt: violation.acknowledgedAt ?? '',
        reason: violation.reason ?? '',
      })),
    ),
  );
}

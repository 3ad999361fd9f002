import { vi } from 'vitest';

/** One metric as CloudWatch reads it from an Embedded Metric Format line. */
export interface EmittedMetric {
  namespace: string;
  name: string;
  unit: string;
  value: number;
  /** The dimension sets it is aggregated under, each a list of dimension names in order. */
  dimensionSets: string[][];
  /** The line's value of each dimension named in those sets. */
  dimensions: Record<string, string>;
}

/**
 * Captures the EMF lines Powertools writes to stdout, as Lambda ships them to CloudWatch Logs,
 * and reads them back metric by metric (the spec: Amazon CloudWatch "Embedded metric format
 * specification"). Other output passes through.
 */
export function captureEmf() {
  const lines: Array<Record<string, any>> = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
    const parsed = parseEmf(String(chunk));
    if (parsed) {
      lines.push(parsed);
      return true;
    }
    return write(chunk as string, ...(rest as []));
  });
  return {
    /** Every metric of every line captured so far, in order. */
    metrics(): EmittedMetric[] {
      return lines.flatMap((line) =>
        line._aws.CloudWatchMetrics.flatMap((directive: any) => {
          const dimensionSets: string[][] = directive.Dimensions;
          const names = new Set(dimensionSets.flat());
          const dimensions = Object.fromEntries([...names].map((name) => [name, line[name]]));
          return directive.Metrics.map((metric: any) => ({
            namespace: directive.Namespace,
            name: metric.Name,
            unit: metric.Unit,
            value: line[metric.Name],
            dimensionSets,
            dimensions,
          }));
        }),
      );
    },
    /** The metrics of one name. */
    named(name: string): EmittedMetric[] {
      return this.metrics().filter((metric) => metric.name === name);
    },
    clear(): void {
      lines.length = 0;
    },
    restore(): void {
      spy.mockRestore();
    },
  };
}

function parseEmf(chunk: string): Record<string, any> | null {
  if (!chunk.includes('"_aws"')) return null;
  try {
    const parsed = JSON.parse(chunk);
    return parsed?._aws?.CloudWatchMetrics ? parsed : null;
  } catch {
    return null;
  }
}
